/**
 * The README's "Your first experiment", as a newcomer runs it: `verdict start --demo` in one process,
 * then the CLI in another with no URL, token or login — it must find the demo runtime by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isolatedHome, json, verdict } from './cli-helpers';

const BIN = resolve(__dirname, '../../../bin/verdict.js');

let home: string;
let demo: ChildProcess;
let demoOutput = '';

beforeAll(async () => {
  home = isolatedHome();
  demo = spawn(process.execPath, [BIN, 'start', '--demo', '--port', '0', '--no-schedule'], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home, VERDICT_CLI_CONFIG: join(home, 'verdict-config.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`demo did not start:\n${demoOutput}`)), 40_000);
    const onData = (chunk: Buffer) => {
      demoOutput += chunk.toString();
      if (demoOutput.includes('Press Ctrl-C to stop.')) { clearTimeout(timer); ready(); }
    };
    demo.stdout!.on('data', onData);
    demo.stderr!.on('data', (c: Buffer) => { demoOutput += c.toString(); });
    demo.once('exit', (code) => { clearTimeout(timer); fail(new Error(`demo exited ${code}:\n${demoOutput}`)); });
  });
}, 60_000);

afterAll(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((done) => demo.once('exit', done));
    demo.kill('SIGINT');
    await exited;
  }
  rmSync(home, { recursive: true, force: true });
});

/** The CLI as the README runs it: same working directory, nothing in the environment. */
const cli = (args: string[]) => verdict(args, { home, env: { VERDICT_DATA_DIR: undefined } });

describe('README walkthrough against verdict start --demo', () => {
  it('lists the demo experiments without --api, --token or login', async () => {
    const result = await cli(['list', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const names = json<{ items: { name: string }[] }>(result).items.map((e) => e.name).sort();
    expect(names).toEqual(['Daily build-in-public thread', 'Lead magnet in the X bio', 'Reply to 10 larger accounts a day', 'Weekly teardown video']);
  });

  it('keeps the token with the real data, where the README says (./.verdict/api-token)', () => {
    expect(existsSync(join(home, '.verdict', 'api-token'))).toBe(true);
    expect(existsSync(join(home, '.verdict', 'runtime.json'))).toBe(true);
    expect(demoOutput).toContain(`saved in ${join(home, '.verdict', 'api-token')}`);
  });

  it('says in verdict health that nothing is scheduled under --no-schedule, promising no next run', async () => {
    const result = await cli(['health']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Scorer: last run');
    expect(result.stdout).toContain('not scheduled');
    expect(result.stdout).not.toMatch(/next in|in \d+ (minutes|hours)/);
    const health = json<{ schedule: unknown; sources: { nextSlot: string | null }[]; scorer: { nextSlot: string | null }; loop: { nextFill: string | null } }>(await cli(['health', '--json']));
    expect(health.schedule).toEqual({ running: false });
    expect(health.sources.map((s) => s.nextSlot)).toEqual(health.sources.map(() => null));
    expect([health.scorer.nextSlot, health.loop.nextFill]).toEqual([null, null]);
  });

  it('promises no scheduler run in verdict backlog list under --no-schedule', async () => {
    const added = await cli(['backlog', 'add', '--name', 'Pin the best thread', '--hypothesis', 'A pinned thread turns visits into follows', '--metric', 'bluesky.follower_growth_rate', '--ice', '6,7,9', '--json']);
    expect(added.code).toBe(0);

    const result = await cli(['backlog', 'list']);
    const view = json<{ loop: { nextRun: string | null; message: string } }>(await cli(['backlog', 'list', '--json']));

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Nothing runs on a schedule');
    expect(result.stdout).not.toMatch(/Next run|next scheduler run starts/);
    expect(view.loop.nextRun).toBeNull();
    expect(view.loop.message).not.toMatch(/next scheduler run starts/);
  });

  it('forgets the runtime once it stops, and says where to start it', async () => {
    const exited = new Promise((done) => demo.once('exit', done));
    demo.kill('SIGINT');
    await exited;
    expect(existsSync(join(home, '.verdict', 'runtime.json'))).toBe(false);
    const result = await cli(['list']);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain("verdict start");
  });
});
