/** The randomized designs from the command line: new --design, today, skip, show's schedule, calendar, next-post and tag. */
import * as ical from 'node-ical';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { logger } from '../../../functions/shared/logger';
import { aCreateRequest } from '../../support/factories';
import { call, startTestRuntime } from '../../support/local-runtime';
import { daysFromNow, importFollowerHistory, runScorer } from '../api/api-helpers';
import { json, verdict } from './cli-helpers';

let runtime: LocalRuntime;
beforeAll(async () => {
  logger.setLogLevel('SILENT');
  runtime = await startTestRuntime({ loop: { targetActive: 0 } });
});
afterAll(async () => { await runtime.close(); });

const today = () => new Date().toISOString().slice(0, 10);

describe('switchbacks from the CLI', () => {
  it('creates one, says what to do today, records a skip, shows the schedule and gives a calendar feed', async () => {
    const created = json(await verdict([
      'new', '--no-input', '--json', '--name', 'Replies at noon', '--hypothesis', 'Noon replies grow followers',
      '--metric', 'x.follower_growth_rate', '--start', 'today', '--days', '14', '--design', 'switchback', '--seed', '77',
    ], { runtime }));
    expect(created).toMatchObject({ design: 'switchback', switchback: { seed: 77 } });
    const arm = created.switchback.schedule[0].arm as string;

    const todayOut = await verdict(['today'], { runtime });
    expect(todayOut.code).toBe(0);
    expect(todayOut.stdout).toContain(arm === 'treatment' ? 'DO IT' : "DON'T");
    expect(todayOut.stdout).toContain('Replies at noon');

    const skipped = await verdict(['skip', created.id, 'today', '--reason', 'travelling'], { runtime });
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain(`Recorded ${today()}`);

    const shown = await verdict(['show', created.id], { runtime });
    expect(shown.stdout).toMatch(/Schedule\s+x[Tc]{6} [Tc]{7}/);
    expect(shown.stdout).toContain('seed 77');

    const feed = json(await verdict(['calendar', '--json'], { runtime }));
    const events = Object.values(ical.sync.parseICS(await (await fetch(feed.url)).text())).filter((c) => c?.type === 'VEVENT');
    expect(events).toHaveLength(14);
  });

  it('extends one, scheduling the added days from a seed derived from the stored one', async () => {
    const created = json(await verdict([
      'new', '--no-input', '--json', '--name', 'Longer noon replies', '--hypothesis', 'Noon replies grow followers',
      '--metric', 'x.follower_growth_rate', '--start', 'today', '--days', '14', '--design', 'switchback', '--seed', '78',
    ], { runtime }));

    const out = await verdict(['extend', created.id, '--days', '7'], { runtime });

    expect(out.code).toBe(0);
    expect(out.stdout).toContain('(21 days)');
    expect(out.stdout).toMatch(/Switchback: [0-7] treatment and [0-7] control days added \(seed \d+, derived from 78\)/);
  });

  it('refuses a malformed date for a skip as a usage error', async () => {
    expect((await verdict(['skip', 'exp_abc', 'next tuesday'], { runtime })).code).toBe(2);
  });
});

describe('post variants from the CLI', () => {
  it('draws the next post\'s arm and tags a post by arm name', async () => {
    const created = json(await verdict([
      'new', '--no-input', '--json', '--name', 'Raw vs polished', '--hypothesis', 'Raw posts engage more',
      '--metric', 'x.engagement_rate', '--start', 'today', '--days', '28', '--design', 'post_variants', '--arms', 'raw,polished',
    ], { runtime }));

    const drawn = json(await verdict(['next-post', created.id, '--json'], { runtime }));
    expect(['raw', 'polished']).toContain(drawn.arm);
    expect(drawn.marker).toBe(`#v-${drawn.arm}`);

    const tagged = await verdict(['tag', '1866000000000000042', 'polished'], { runtime });
    expect(tagged.code).toBe(0);
    expect(tagged.stdout).toContain('is in arm polished');
  });
});

describe('a follow-up of a switchback', () => {
  it('keeps the design with a fresh seed (verdict rerun)', async () => {
    await importFollowerHistory(runtime, 40, () => 10);
    const first = (await call(runtime, 'POST', '/experiments', {
      body: aCreateRequest({ name: 'Noon replies, first go', start: daysFromNow(-31).slice(0, 10), durationDays: 28, design: 'switchback', switchback: { seed: 99, blockDays: 2 } }),
    })).body;
    expect((await runScorer(runtime)).scored).toContain(first.id);

    const rerun = json(await verdict(['rerun', first.id, '--days', '14', '--json'], { runtime }));

    expect(rerun).toMatchObject({ design: 'switchback', durationDays: 14, switchback: { blockDays: 2, washoutDays: 0, timeZone: first.switchback.timeZone } });
    expect(rerun.switchback.seed).not.toBe(99);
    expect(rerun.switchback.schedule).toHaveLength(14);
  });
});
