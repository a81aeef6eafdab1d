/** `verdict start [--demo]`: the local runtime, in the foreground until Ctrl-C. */
import { parseArgs } from 'node:util';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Table from 'cli-table3';
import { readAppConfigFile } from '../shared/app-config';
import { seedDemo } from '../local/demo';
import { DataDirLockedError } from '../local/data-dir-lock';
import { startLocalRuntime } from '../local/runtime';
import { removeRuntimeNote, writeRuntimeNote } from '../local/runtime-file';
import { lastDayOfWindow, type Experiment } from '../domain/experiment';
import type { Verdict } from '../domain/verdict';
import { windowText } from './format';
import type { CliIo } from './io';

export const START_HELP = `Usage: verdict start [--demo] [--port N] [--data-dir DIR] [--no-schedule]

Runs the whole loop locally: embedded DynamoDB (dynalite), the API on http://127.0.0.1:8787
and the collectors and scorer on their schedules.

  --demo           seed ten weeks of demo data and four experiments, score them, print the verdicts
                   (in DIR/demo, a fresh database each time, apart from your real data)
  --port N         listen on port N (default: $PORT or 8787)
  --data-dir DIR   where data and the API token live (default: $VERDICT_DATA_DIR or ./.verdict);
                   the other commands find this runtime through DIR/runtime.json while it runs
  --no-schedule    do not run the collectors and scorer on their schedules
  --exit           with --demo: print the verdicts and exit instead of serving
  --json           print { api, dashboard, tokenFile, dataDir, demo? } as one JSON line on stdout

Example:
  npm start -- --demo`;

export async function startCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      demo: { type: 'boolean', default: false }, port: { type: 'string' }, 'data-dir': { type: 'string' },
      'no-schedule': { type: 'boolean', default: false }, exit: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { io.stdout.write(`${START_HELP}\n`); return 0; }
  const root = resolve(__dirname, '..', '..');
  const config = readAppConfigFile(root);
  const baseDir = resolve(values['data-dir'] ?? process.env.VERDICT_DATA_DIR ?? '.verdict');
  // The demo gets a fresh database of its own, so it never mixes with (or duplicates into) real data.
  const dataDir = values.demo ? join(baseDir, 'demo') : baseDir;
  if (values.demo) rmSync(join(dataDir, 'db'), { recursive: true, force: true });
  const port = Number(values.port ?? process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { io.stderr.write(`Invalid port: ${values.port ?? process.env.PORT}\n`); return 2; }

  // With --json, stdout carries one JSON line; everything for people goes to stderr.
  const say = (text: string) => (values.json ? io.stderr : io.stdout).write(text);
  // Everything the runtime writes (database, token, notes) is for this user only.
  process.umask(0o077);
  let runtime: Awaited<ReturnType<typeof startLocalRuntime>>;
  try {
    runtime = await startLocalRuntime({
      config, dataDir, tokenDir: baseDir, port, schedule: !values['no-schedule'], reportScheduleOff: values['no-schedule'],
      log: { info: (m) => say(`${m}\n`), warn: (m) => io.stderr.write(`${m}\n`) },
    });
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    io.stderr.write(`verdict: ${err.message}\n`);
    return 2;
  }
  // The other commands (in another terminal, same working directory) read this note to find us.
  writeRuntimeNote(baseDir, { url: runtime.url, pid: process.pid, ...(runtime.tokenFile && { tokenFile: runtime.tokenFile }), dataDir, demo: values.demo });
  const close = async () => { removeRuntimeNote(baseDir); await runtime.close(); };
  const tokenNote = runtime.tokenOrigin === 'env' ? '   (from VERDICT_API_TOKEN)' : `   (${runtime.tokenOrigin === 'generated' ? 'generated; ' : ''}saved in ${runtime.tokenFile})`;
  say(`Verdict is running locally.\n  API:       ${runtime.url}\n  Dashboard: ${runtime.url}/\n  Token:     ${runtime.token}${tokenNote}\n  Data:      ${dataDir}\n\n  curl -H "Authorization: Bearer ${runtime.token}" ${runtime.url}/experiments\n\n`);

  let demo: unknown[] | undefined;
  if (values.demo) {
    say('Seeding demo data and scoring…\n');
    const now = new Date();
    const result = await seedDemo(runtime.stores, now);
    // One scheduled scorer run, as the scheduler would make it: records the run and fills the loop.
    await runtime.runJob({ id: 'score', kind: 'scorer', cadence: config.scorer }, now.toISOString());
    const { stores } = runtime;
    const plain = values.json || !io.stdout.isTTY;
    const table = new Table({ head: ['Experiment', 'Metric', 'Window', 'Decision', 'Summary'], colWidths: [28, 34, 25, 10, 60], wordWrap: true, ...(plain && { style: { head: [], border: [] } }) });
    const rows: { id: string; name: string; metric: string; start: string; end: string; decision: string; summary: string }[] = [];
    for (const e of result.experiments) {
      const v = await stores.experiments.getVerdict(e.id);
      rows.push({ id: e.id, name: e.name, metric: e.primaryMetric, start: e.start!, end: e.end!, decision: v ? v.decision : 'running', summary: v ? v.summary : `last day ${lastDayOfWindow(e.end!)}` });
      table.push(demoTableRow(e, v));
    }
    say(`${result.observations} observations, ${result.scoring.scored.length} verdicts recorded.\n${table.toString()}\n`);
    demo = rows;
  }
  if (values.json) io.stdout.write(`${JSON.stringify({ api: runtime.url, dashboard: `${runtime.url}/`, ...(runtime.tokenFile && { tokenFile: runtime.tokenFile }), dataDir, ...(demo && { demo }) })}\n`);
  if (values.demo && values.exit) { await close(); return 0; }
  say('Press Ctrl-C to stop.\n');
  await new Promise<void>((done) => {
    const stop = () => { void close().then(done); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** One row of the demo table; the window names its last day (end − 1 ms), like every other display. */
export function demoTableRow(e: Experiment, v: Verdict | undefined): string[] {
  return [e.name, e.primaryMetric, windowText(e.start, e.end), v ? v.decision.toUpperCase() : 'running', v ? v.summary : `last day ${e.end ? lastDayOfWindow(e.end) : '—'}`];
}
