/**
 * The `verdict` CLI as users run it: the real bin entry as a subprocess, against the local runtime —
 * human tables, --json for scripts, documented exit codes, help with an example on every command.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { logger } from '../../../functions/shared/logger';
import { aCreateRequest } from '../../support/factories';
import { call, startTestRuntime, TEST_TOKEN } from '../../support/local-runtime';
import { daysFromNow, importFollowerHistory, runScorer } from '../api/api-helpers';
import { isolatedHome, json, verdict } from './cli-helpers';

let runtime: LocalRuntime;
beforeAll(async () => {
  logger.setLogLevel('SILENT');
  runtime = await startTestRuntime({ loop: { targetActive: 3 } });
  await importFollowerHistory(runtime, 45);
});
afterAll(async () => { await runtime.close(); });

const ANSI = /\x1b\[/;

/** Runs `work` over `items`, `size` at a time (each run is a Node process). */
async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return out;
}

describe('help', () => {
  it('lists every command and the exit codes', async () => {
    const res = await verdict(['--help']);
    expect(res.code).toBe(0);
    for (const command of ['new', 'list', 'show', 'abandon', 'backlog', 'log', 'collect', 'health', 'login', 'start', 'score', 'import', 'secrets']) {
      expect(res.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(res.stdout).toMatch(/Exit codes:[\s\S]*4 {2}not allowed in the experiment's current status/);
  });

  it('every command answers --help with usage and an example', async () => {
    const commands = [
      ['new'], ['list'], ['show'], ['abandon'], ['backlog'], ['backlog', 'add'], ['backlog', 'list'], ['backlog', 'rank'], ['backlog', 'start'],
      ['log'], ['metrics'], ['collect'], ['health'], ['login'], ['start'], ['import'], ['secrets'], ['score'],
    ];
    const results = await inBatches(commands, 3, (command) => verdict([...command, '--help']));

    results.forEach((res, i) => {
      const name = commands[i].join(' ');
      expect({ name, code: res.code, usage: /^Usage: verdict/.test(res.stdout) }).toEqual({ name, code: 0, usage: true });
      expect({ name, example: /Example:\n\s+\S/.test(res.stdout) }).toEqual({ name, example: true });
    });
  });

  it('every command accepts --json', async () => {
    const commands = [['new'], ['list'], ['show'], ['abandon'], ['backlog', 'add'], ['backlog', 'list'], ['backlog', 'rank'], ['backlog', 'start'],
      ['log'], ['metrics'], ['collect'], ['health'], ['login'], ['start'], ['import'], ['secrets', 'set'], ['score'], ['digest'], ['mcp']];
    const results = await inBatches(commands, 3, (command) => verdict([...command, '--json', '--help']));
    expect(results.map((res, i) => ({ name: commands[i].join(' '), code: res.code, stderr: res.stderr }))).toEqual(commands.map((c) => ({ name: c.join(' '), code: 0, stderr: '' })));
  });

  it('exits 2 for an unknown command or option', async () => {
    expect((await verdict(['frobnicate'])).code).toBe(2);
    const res = await verdict(['list', '--bogus'], { runtime });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/verdict list --help/);
  });
});

describe('verdict new', () => {
  it('creates an experiment from flags and says when it ends', async () => {
    const res = await verdict(['new', '--name', 'CLI thread test', '--hypothesis', 'Threads grow followers', '--metric', 'x.follower_growth_rate', '--start', 'now', '--days', '14', '--tag', 'cli', '--yes'], { runtime });

    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Created exp_\w+ +“CLI thread test”/);
    expect(res.stdout).toMatch(/running · x\.follower_growth_rate · .* · ends in 14 days/);
    expect(res.stdout).not.toMatch(ANSI);
  });

  it('prints the experiment as JSON with --json', async () => {
    const res = await verdict(['new', '--json', '--name', 'JSON one', '--hypothesis', 'H', '--metric', 'newsletter.open_rate', '--start', daysFromNow(3), '--days', '7', '--min-lift', '10', '--confidence', '90', '--yes'], { runtime });
    expect(res.code).toBe(0);
    expect(json(res)).toMatchObject({ status: 'planned', durationDays: 7, decision: { minLift: 0.1, confidence: 0.9 } });
  });

  it('shows the plan first and, when another experiment overlaps, creates only with --yes', async () => {
    const args = ['new', '--name', 'Planned', '--hypothesis', 'H', '--metric', 'citations.mention_rate', '--start', daysFromNow(2), '--days', '14', '--baseline-days', '28'];
    const first = await verdict(args, { runtime });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Plan +No data for citations\.mention_rate yet/);

    const refused = await verdict(args, { runtime });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/The plan warns \(.*overlapping_experiment.*\); nothing created\. Pass --yes/);
    const created = await verdict([...args, '--yes', '--json'], { runtime });
    expect(created.code).toBe(0);
    expect(json(created).plan.warnings.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(['no_data', 'overlapping_experiment']));
    expect(json(created).baseline.end).toBe(json(created).start);
  });

  it('exits 2 naming the missing flags when not on a terminal', async () => {
    const res = await verdict(['new', '--name', 'half'], { runtime });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/Missing --hypothesis, --metric/);
  });

  it('exits 2 listing the fields the API rejected', async () => {
    const res = await verdict(['new', '--name', 'N', '--hypothesis', 'H', '--metric', 'x.vibes'], { runtime });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/• primaryMetric: Unknown metric/);
  });

  it('refuses a start in the past without --backdate, saying what it would mean', async () => {
    const longAgo = await verdict(['new', '--name', 'Backdated', '--hypothesis', 'H', '--metric', 'x.follower_growth_rate', '--start', '2023-01-02', '--days', '14'], { runtime });
    expect(longAgo.code).toBe(2);
    expect(longAgo.stderr).toMatch(/would start 2023-01-02, \d+ years ago: its whole window .* is already over[\s\S]*Pass --backdate to create it anyway/);

    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const args = ['new', '--name', 'Backdated', '--hypothesis', 'H', '--metric', 'x.follower_growth_rate', '--start', threeDaysAgo, '--days', '14'];
    const refused = await verdict(args, { runtime });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/3 days ago: the days since then .* count as experiment days/);
    const created = await verdict([...args, '--backdate', '--json', '--yes'], { runtime });
    expect(created.code).toBe(0);
    expect(json(created).start).toBe(`${threeDaysAgo}T00:00:00.000Z`);
    const abandoned = await call(runtime, 'POST', `/experiments/${json(created).id}/abandon`, { body: { reason: 'test done' } });
    expect(abandoned.status).toBe(200);
  });

  it('names a start that is not a date before asking the API', async () => {
    const res = await verdict(['new', '--name', 'N', '--hypothesis', 'H', '--metric', 'x.follower_growth_rate', '--start', 'next friday'], { runtime });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--start "next friday" is not a date');
  });
});

describe('verdict list and show', () => {
  let runningId: string;
  beforeAll(async () => {
    runningId = (await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'Show me', start: daysFromNow(-5), durationDays: 14 }) })).body.id;
  });

  it('lists experiments in an aligned table with relative dates', async () => {
    const res = await verdict(['list', '--status', 'running'], { runtime });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/│ ID +│ Name +│ Status +│ Metric +│ Window +│ When +│/);
    expect(res.stdout).toMatch(new RegExp(`${runningId} +│ Show me .*RUNNING.*ends in 9 days`));
  });

  it('follows every page with --all --json', async () => {
    const res = await verdict(['list', '--all', '--limit', '1', '--json'], { runtime });
    const { items, nextCursor } = json(res);
    expect(items.length).toBeGreaterThan(2);
    expect(nextCursor).toBeUndefined();
  });

  it('shows the summary, the interim readout and a sparkline with the window marked', async () => {
    const res = await verdict(['show', runningId], { runtime });

    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Show me {2}exp_\w+ {2}RUNNING/);
    expect(res.stdout).toMatch(/Window +\d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d \(14 days\) · ends in 9 days/);
    expect(res.stdout).toMatch(/Interim +not a verdict · day 5 of 14 · leaning (KEEP|DISCARD)/);
    expect(res.stdout).toMatch(/[▁▂▃▄▅▆▇█]{10,}/);
    expect(res.stdout).toMatch(/└─+window─+┘/);
  });

  it('prints no terminal control sequence a hostile name or hypothesis carries (OSC 8, OSC 52, CSI)', async () => {
    const hostile = 'Evil \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 \u001b]52;c;cHduZWQ=\u0007 \u001b[2J\u001b[31mred\u009b1m \u202eoverride';
    const id = (await call(runtime, 'POST', '/backlog', { body: { name: hostile, hypothesis: hostile, primaryMetric: 'x.follower_growth_rate' } })).body.id;

    const [show, list] = await Promise.all([verdict(['show', id], { runtime }), verdict(['backlog', 'list'], { runtime })]);
    // The backlog tests below count the items: this one goes again.
    expect((await call(runtime, 'DELETE', `/experiments/${id}`)).status).toBe(204);

    for (const res of [show, list]) {
      expect(res.code).toBe(0);
      expect(res.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
    expect(show.stdout).toContain('Evil ]8;;https://evil.examplelink]8;; ]52;c;cHduZWQ= [2J[31mred1m override');
  });

  it('reads consistently on day 0: no leaning either way, no "n/a", the same days left twice', async () => {
    const created = json(await verdict(['new', '--name', 'Day zero', '--hypothesis', 'H', '--metric', 'bluesky.follower_growth_rate', '--start', 'now', '--days', '14', '--yes', '--json'], { runtime }));
    const res = await verdict(['show', created.id], { runtime });
    await call(runtime, 'POST', `/experiments/${created.id}/abandon`, { body: { reason: 'test done' } });

    expect(res.code).toBe(0);
    expect(res.stdout).not.toMatch(/leaning (DISCARD|KEEP)/);
    expect(res.stdout).not.toMatch(/n\/a/);
    const endsIn = /ends in (\d+) days/.exec(res.stdout)?.[1];
    const toGo = /(\d+) day\(s\) to go/.exec(res.stdout)?.[1];
    expect(endsIn).toBe('14');
    if (toGo !== undefined) expect(toGo).toBe(endsIn);
  });

  it('exits 3 for an unknown experiment', async () => {
    const res = await verdict(['show', 'exp_nothere'], { runtime });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/No experiment exp_nothere \(404 not_found\)/);
  });
});

describe('verdict backlog', () => {
  it('adds ideas, ranks them by ICE, and shows what the next scheduler run starts', async () => {
    const low = await verdict(['backlog', 'add', '--json', '--name', 'Low idea', '--hypothesis', 'H', '--metric', 'bluesky.follower_growth_rate', '--ice', '2,2,2'], { runtime });
    const added = await verdict(['backlog', 'add', '--name', 'Checklist in bio', '--hypothesis', 'Converts visitors', '--metric', 'newsletter.subscriber_growth_rate', '--ice', '5,5,5', '--days', '21'], { runtime });
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/Added exp_\w+ +“Checklist in bio” to the backlog at #1 of 2 \(ICE 125\)/);

    const ranked = await verdict(['backlog', 'rank', json(low).id, '--ice', '9,9,9'], { runtime });
    expect(ranked.code).toBe(0);
    expect(ranked.stdout).toMatch(/ICE 729, now #1 of 2/);

    const list = await verdict(['backlog', 'list'], { runtime });
    expect(list.stdout).toMatch(/│ 1 +│ exp_\w+ +│ Low idea .*│ 729 .*starts/);
    expect(list.stdout).toMatch(/\d of 3 experiments running; the next scheduler run starts \d from the backlog\. Next run (in \d|now\.)/); // 'now' within a minute of the hourly slot
  });

  it('exits 2 when rank has no ID off a terminal', async () => {
    expect((await verdict(['backlog', 'rank'], { runtime })).code).toBe(2);
  });
});

describe('verdict abandon', () => {
  it('abandons, then exits 4 explaining why it cannot abandon again', async () => {
    const id = (await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'Abandon me', primaryMetric: 'x.replies_per_post', start: daysFromNow(-1) }) })).body.id;

    const first = await verdict(['abandon', id, '--reason', 'changed plans'], { runtime });
    const again = await verdict(['abandon', id], { runtime });

    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Abandoned exp_\w+ “Abandon me”/);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/abandoned, which is final \(409 conflict\)/);
  });
});

describe('verdict log', () => {
  beforeAll(async () => {
    await call(runtime, 'POST', '/experiments', { body: aCreateRequest({ name: 'Logged thread', start: daysFromNow(-24), durationDays: 14 }) });
    await runScorer(runtime);
  });

  it('prints the research log as a table, TSV and markdown', async () => {
    const [tableOut, tsv, md] = await Promise.all([['log'], ['log', '--format', 'tsv'], ['log', '--format', 'md']].map((a) => verdict(a, { runtime })));

    expect(tableOut.stdout).toMatch(/Logged thread[\s\S]*(KEEP|DISCARD)[\s\S]*(improved|no effect|worse|inconclusive|insufficient data)/);
    expect(tableOut.stdout).toMatch(/Outcome/);
    expect(tsv.stdout.split('\n')[0]).toBe('concluded\tid\tname\tmetric\twindow_start\twindow_end\tbaseline\twindow\texpected\teffect\teffect_low\teffect_high\tlift\tlift_low\tlift_high\tdecision\toutcome\treason\tdescription');
    expect(tsv.stdout.split('\n')[1].split('\t')[16]).toMatch(/^(improved|no_effect|worse|inconclusive|insufficient_data)$/);
    expect(tsv.stdout).toMatch(/\tLogged thread\tx\.follower_growth_rate\t/);
    expect(md.stdout).toMatch(/^\| Concluded \| Experiment/);
  });

  it('exits 2 for an unknown format', async () => {
    expect((await verdict(['log', '--format', 'xml'], { runtime })).code).toBe(2);
  });
});

describe('flags every command shares', () => {
  it('prints the version with --version', async () => {
    const res = await verdict(['--version']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^verdict \d+\.\d+\.\d+ \(Node\.js v\d+/);
    expect(json(await verdict(['--version', '--json'])).version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('accepts --json on import and score', async () => {
    const home = isolatedHome();
    const csv = join(home, 'followers.csv');
    writeFileSync(csv, `metric,at,value\n${[0, 1, 2].map((d) => `x.followers,2024-03-0${d + 1}T00:00:00.000Z,${500 + d}`).join('\n')}\n`);
    const dry = await verdict(['import', csv, '--dry-run', '--json'], { runtime, home });
    expect(dry.code).toBe(0);
    expect(json(dry)).toEqual({ format: 'generic', rows: 3, observations: 3, written: 0, skippedRows: 0, dryRun: true });
    const scenario = join(home, 'scenario.json');
    writeFileSync(scenario, JSON.stringify({ experiment: { primaryMetric: 'x.follower_growth_rate', start: '2024-03-01', durationDays: 14 }, observations: [] }));
    const scored = await verdict(['score', '--input', scenario, '--json']);
    expect(scored.code).toBe(0);
    expect(json(scored).decision).toBeDefined();
  });

  it('says on a second import of the same file that nothing new was stored', async () => {
    const home = isolatedHome();
    const csv = join(home, 'again.csv');
    writeFileSync(csv, `metric,at,value\n${[0, 1, 2, 3].map((d) => `bluesky.followers,2024-04-0${d + 1}T00:00:00.000Z,${70 + d}`).join('\n')}\n`);
    const first = await verdict(['import', csv, '--json'], { runtime, home });
    expect(json(first)).toMatchObject({ written: 4, new: 4, alreadyStored: 0 });
    const again = await verdict(['import', csv], { runtime, home });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('written: 4 (0 new, 4 already stored: nothing new)');
  });
});

describe('verdict metrics', () => {
  it("prints each metric's unit, source observations and derivation", async () => {
    const res = await verdict(['metrics'], { runtime });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/x\.follower_growth_rate {2}followers\/day · from x\.followers/);
    expect(res.stdout).toMatch(/Derived: {2}Count snapshots are linearly interpolated/);
  });
});

describe('verdict collect and health', () => {
  it('collects now and reports a source without credentials', async () => {
    const res = await verdict(['collect'], { runtime, env: { X_APP_KEY: undefined } });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/│ x +│ not_configured/);
    expect((await verdict(['collect', 'beehiiv'], { runtime })).code).toBe(2);
  });

  it('shows sources, scorer and the loop', async () => {
    const res = await verdict(['health'], { runtime });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/│ x +│ .*not_configured/);
    expect(res.stdout).toMatch(/Scorer: last run .* \(ok\), next (in \d|now\.)/); // 'now' within a minute of the hourly slot
    expect(res.stdout).toMatch(/Loop: +\d+ of 3 running, \d+ planned, \d+ in the backlog\./);
    expect(json(await verdict(['health', '--json'], { runtime })).loop).toMatchObject({ target: 3 });
  });
});

describe('connection', () => {
  it('exits 5 with a hint when the token is wrong', async () => {
    const res = await verdict(['list'], { runtime, env: { VERDICT_API_TOKEN: 'wrong-token-of-some-length' } });
    expect(res.code).toBe(5);
    expect(res.stderr).toMatch(/verdict login/);
  });

  it('exits 6 when the API cannot be reached, suggesting verdict start for the local default', async () => {
    const res = await verdict(['list'], { env: { PORT: '9' } });
    expect(res.code).toBe(6);
    expect(res.stderr).toMatch(/Is the local runtime running\?/);
  });

  it('logs in with a token from stdin and uses the saved connection afterwards', async () => {
    const home = isolatedHome();
    const login = await verdict(['login', '--api', runtime.url], { home, stdin: `${TEST_TOKEN}\n` });
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/Logged in to http:\/\/127\.0\.0\.1:\d+; saved to /);
    expect(statSync(join(home, 'verdict-config.json')).mode & 0o777).toBe(0o600);

    const list = await verdict(['list', '--json'], { home });
    expect(list.code).toBe(0);
    expect(json(list).items.length).toBeGreaterThan(0);
  });

  it('refuses to save a token the API rejects', async () => {
    const res = await verdict(['login', '--api', runtime.url, '--token', 'wrong-token-of-some-length']);
    expect(res.code).toBe(5);
  });
});

describe('colours', () => {
  it('uses colour only when forced or on a terminal, never with NO_COLOR', async () => {
    expect((await verdict(['list'], { runtime })).stdout).not.toMatch(ANSI);
    expect((await verdict(['list'], { runtime, env: { FORCE_COLOR: '1' } })).stdout).toMatch(ANSI);
  });
});
