/**
 * CLI start-up: `verdict --help` and `verdict list` (against a local runtime with a few experiments),
 * each a fresh node process timed from spawn to exit, as a ratio to a bare `node -e 0` timed in the same
 * rounds; and, for reference, the same commands run from the sources through tsx (VERDICT_CLI_BUNDLE=0)
 * and a node process that makes the same GET /experiments with node:http (what the server's answer and
 * a bare HTTP request cost, which no CLI can go below).
 * Runs alone too: `npx tsx test/bench/cli-startup.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { anExperiment } from '../support/factories';
import { startTestRuntime, TEST_TOKEN } from '../support/local-runtime';
import { median } from './stats';
import { ROOT } from './bundles';

const BIN = join(ROOT, 'bin', 'verdict.js');

export interface CliStartupReport {
  baselineMs: number;
  /** node -e "http.get(GET /experiments)": the floor of any command that reads the API. */
  rawGetMs: number;
  commands: { command: string; bundleMs: number; tsxMs: number; ratio: number }[];
  runs: number;
  load: number;
}

function timedRun(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done(Number(process.hrtime.bigint() - start) / 1e6) : fail(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

export async function measureCliStartup(runs = 9): Promise<CliStartupReport> {
  const runtime = await startTestRuntime();
  const home = mkdtempSync(join(tmpdir(), 'verdict-bench-cli-'));
  try {
    const { stores } = runtime;
    for (let i = 0; i < 5; i++) await stores.experiments.create(anExperiment({ id: `exp_bench_cli_${i}`, name: `Bench experiment ${i}` }));
    const env = { PATH: process.env.PATH, HOME: home, VERDICT_CLI_CONFIG: join(home, 'none.json'), VERDICT_API_URL: runtime.url, VERDICT_API_TOKEN: TEST_TOKEN };
    const commands = [['--help'], ['list']];
    // Warm-up: builds the bundle if a source changed, fills the OS file cache for both paths.
    for (const c of commands) { await timedRun([BIN, ...c], env); await timedRun([BIN, ...c], { ...env, VERDICT_CLI_BUNDLE: '0' }); }
    const rawGet = `require('node:http').get(${JSON.stringify(`${runtime.url}/experiments?limit=50`)}, { headers: { authorization: 'Bearer ${TEST_TOKEN}' } }, (r) => { r.resume(); r.on('end', () => process.exit(r.statusCode === 200 ? 0 : 1)); })`;
    const baseline: number[] = [];
    const rawGets: number[] = [];
    const samples = commands.map(() => ({ bundle: [] as number[], tsx: [] as number[] }));
    for (let r = 0; r < runs; r++) {
      baseline.push(await timedRun(['-e', '0'], env));
      rawGets.push(await timedRun(['-e', rawGet], env));
      for (const [i, c] of commands.entries()) {
        samples[i].bundle.push(await timedRun([BIN, ...c], env));
        samples[i].tsx.push(await timedRun([BIN, ...c], { ...env, VERDICT_CLI_BUNDLE: '0' }));
      }
    }
    const baselineMs = median(baseline);
    return {
      baselineMs,
      rawGetMs: median(rawGets),
      runs,
      load: loadavg()[0],
      commands: commands.map((c, i) => ({ command: `verdict ${c.join(' ')}`, bundleMs: median(samples[i].bundle), tsxMs: median(samples[i].tsx), ratio: median(samples[i].bundle) / baselineMs })),
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
    await runtime.close();
  }
}

if (require.main === module) {
  measureCliStartup().then((r) => {
    console.log(`node -e 0: ${r.baselineMs.toFixed(0)} ms (median of ${r.runs}; load average ${r.load.toFixed(2)}); node making the same GET with node:http: ${r.rawGetMs.toFixed(0)} ms`);
    for (const c of r.commands) console.log(`${c.command}: ${c.bundleMs.toFixed(0)} ms = ${c.ratio.toFixed(1)}× node -e 0; from the sources through tsx ${c.tsxMs.toFixed(0)} ms`);
  }).catch((err: unknown) => { console.error(err); process.exit(1); });
}
