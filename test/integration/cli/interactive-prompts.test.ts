/**
 * The prompts `verdict new` and `verdict backlog add` show on a terminal: a pseudo-terminal cannot be
 * opened for a subprocess here, so the commands run in-process with a terminal-like stdin/stdout
 * that answers each prompt as it appears — against the real local runtime.
 */
import { PassThrough } from 'node:stream';
import { newCommand } from '../../../functions/cli/new-command';
import { backlogCommand } from '../../../functions/cli/backlog-command';
import type { CliIo } from '../../../functions/cli/io';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { logger } from '../../../functions/shared/logger';
import { call, startTestRuntime, TEST_TOKEN } from '../../support/local-runtime';

let runtime: LocalRuntime;
beforeAll(async () => {
  logger.setLogLevel('SILENT');
  runtime = await startTestRuntime();
});
afterAll(async () => { await runtime.close(); });

/** A terminal that types the next answer whenever output ends in a prompt (`: ` or `] `). */
function terminal(answers: string[], env: NodeJS.ProcessEnv): { io: CliIo; output: () => string; prompts: string[] } {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  let output = '';
  let sinceAnswer = '';
  const prompts: string[] = [];
  const stdout = {
    isTTY: true,
    write(s: string) {
      output += s;
      sinceAnswer += s;
      // eslint-disable-next-line no-control-regex
      const visible = sinceAnswer.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
      if (/(: |\] )$/.test(visible) && answers.length > 0) {
        prompts.push(visible.trim().split('\n').pop()!);
        sinceAnswer = '';
        const answer = answers.shift()!;
        setImmediate(() => stdin.write(`${answer}\r`));
      }
      return true;
    },
  };
  return { io: { stdin, stdout, stderr: { write: (s: string) => { output += s; return true; }, isTTY: true }, env }, output: () => output, prompts };
}

const env = () => ({ VERDICT_API_URL: runtime.url, VERDICT_API_TOKEN: TEST_TOKEN, NO_COLOR: '1' });

it('asks for what the flags leave out, choosing the metric from the catalog with descriptions', async () => {
  const term = terminal([
    'Weekly teardown video', // name
    'Teardowns earn more follows than text posts', // hypothesis
    '1', // metric: first in the catalog
    '21', // days
    '5', // min lift %
    '', // confidence: default 95
    'tomorrow', // start
    'y', // confirm
  ], env());

  const code = await newCommand([], term.io);

  expect(code).toBe(0);
  expect(term.output()).toMatch(/ 1\) x\.follower_growth_rate +Net new X followers per day \(followers\/day\)/);
  // No history in this runtime: the plan says so before the confirmation.
  expect(term.output()).toMatch(/Plan +No data for x\.follower_growth_rate yet/);
  expect(term.prompts).toEqual([
    'Name:', 'Hypothesis (what you expect, and why):', expect.stringMatching(/^Choose 1–\d+:$/), 'Window in days (7–42) [14]:',
    'Keep only if the lift is at least (%) [0]:', '…with a probability of improvement of at least (%) [95]:',
    'Start (now, today, tomorrow or YYYY-MM-DD) [now]:', 'Create "Weekly teardown video" on x.follower_growth_rate? [Y/n]',
  ]);
  const created = (await call(runtime, 'GET', '/experiments?status=planned')).body.items[0];
  expect(created).toMatchObject({ name: 'Weekly teardown video', primaryMetric: 'x.follower_growth_rate', durationDays: 21, decision: { minLift: 0.05, confidence: 0.95 } });
});

it('asks only for what is missing and re-asks an invalid answer', async () => {
  const term = terminal(['Bio link test', '50', '14', '0', '95', '11,2,3', '7,2,3'], env());

  const code = await backlogCommand(['add', '--metric', 'newsletter.subscriber_growth_rate', '--hypothesis', 'A link in the bio converts'], term.io);

  expect(code).toBe(0);
  expect(term.output()).toMatch(/The window is a whole number of days from 7 to 42 \(got "50"\)/);
  expect(term.output()).toMatch(/three whole numbers 1–10/);
  const item = (await call(runtime, 'GET', '/backlog')).body.items[0].experiment;
  expect(item).toMatchObject({ name: 'Bio link test', status: 'backlog', durationDays: 14, iceScore: { impact: 7, confidence: 2, ease: 3 } });
});

it('checks the start date as soon as it is given, in words, and keeps every other answer', async () => {
  const term = terminal([
    'Pinned best-of thread', 'A pinned best-of thread turns visits into follows', '1', '60', '14', '10%', '', 'next friday', 'tomorrow', 'y',
  ], env());

  const code = await newCommand([], term.io);

  expect(code).toBe(0);
  expect(term.output()).toContain('The window is a whole number of days from 7 to 42 (got "60")');
  expect(term.output()).toContain('"next friday" is not a date: use now, today, tomorrow, YYYY-MM-DD');
  expect(term.output()).not.toMatch(/Too big|Invalid input|expected number/);
  expect(term.prompts.filter((q) => q.startsWith('Start')).length).toBe(2);
  const created = (await call(runtime, 'GET', '/experiments?status=planned')).body.items.find((e: { name: string }) => e.name === 'Pinned best-of thread');
  expect(created).toMatchObject({ hypothesis: 'A pinned best-of thread turns visits into follows', durationDays: 14, decision: { minLift: 0.1 } });
});

it('says what a start years in the past means and creates nothing unless confirmed', async () => {
  const term = terminal(['Old idea', 'It worked back then', '1', '14', '0', '95', '2023-01-02', 'n'], env());

  const code = await newCommand([], term.io);

  expect(code).toBe(0);
  expect(term.output()).toMatch(/would start 2023-01-02, \d+ years ago: its whole window \(2023-01-02 → 2023-01-15\) is already over/);
  expect(term.output()).toMatch(/DISCARD for lack of data/);
  expect(term.prompts.at(-1)).toBe('Create it with this past start? [y/N]');
  expect(term.output()).toContain('Nothing created.');
  const all = (await call(runtime, 'GET', '/experiments?limit=100')).body.items as { name: string }[];
  expect(all.some((e) => e.name === 'Old idea')).toBe(false);
});

it('after the API rejects fields, asks again for exactly those and keeps every other answer', async () => {
  const longChannel = 'c'.repeat(101);
  const longTag = 't'.repeat(51);
  const term = terminal([
    'Launch-week thread', 'A thread a day in launch week grows followers', '1', '21', '5', '', 'tomorrow', 'y',
    // The API rejects the channel, the tag and the secondary metric given as flags: only those are asked.
    'x', 'launch,thread', 'x.replies_per_post',
  ], env());

  const code = await newCommand(['--channel', longChannel, '--tag', longTag, '--secondary', 'x.vibes'], term.io);

  expect(code).toBe(0);
  const afterConfirm = term.prompts.slice(term.prompts.findIndex((q) => q.startsWith('Create "Launch-week thread"')) + 1);
  expect(afterConfirm).toEqual(['Channel, e.g. x or newsletter (Enter for none):', 'Tags, comma-separated (Enter for none):', 'Secondary metrics, comma-separated (Enter for none):']);
  expect(term.output()).toContain('Channel is too long (at most 100 characters).');
  expect(term.output()).toMatch(/A tag is too long \(at most 50 characters\)\./);
  expect(term.output()).toContain("A secondary metric is not in the catalog (see 'verdict metrics').");
  const created = (await call(runtime, 'GET', '/experiments?limit=100')).body.items.find((e: { name: string }) => e.name === 'Launch-week thread');
  expect(created).toMatchObject({
    hypothesis: 'A thread a day in launch week grows followers', primaryMetric: 'x.follower_growth_rate', durationDays: 21, decision: { minLift: 0.05, confidence: 0.95 },
    channel: 'x', tags: ['launch', 'thread'], secondaryMetrics: ['x.replies_per_post'],
  });
  expect(created.start.slice(0, 10)).toBe(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
});

it('asks for the metric again when the design cannot use it, keeping the design and the rest', async () => {
  const term = terminal(['Noon replies', 'Replying at noon grows followers', 'newsletter.open_rate', '14', '0', '95', 'tomorrow', 'y', 'x.follower_growth_rate'], env());

  const code = await newCommand(['--design', 'switchback', '--seed', '7'], term.io);

  expect(code).toBe(0);
  expect(term.output()).toMatch(/Metric a switchback compares days, so its primary metric must be a per-day growth rate/);
  expect(term.prompts.filter((q) => /^Choose 1–\d+:$/.test(q))).toHaveLength(2);
  const created = (await call(runtime, 'GET', '/experiments?limit=100')).body.items.find((e: { name: string }) => e.name === 'Noon replies');
  expect(created).toMatchObject({ design: 'switchback', primaryMetric: 'x.follower_growth_rate', durationDays: 14, hypothesis: 'Replying at noon grows followers', switchback: { seed: 7 } });
});
