/**
 * The `verdict` command line: dispatches to one module per command. Modules load on demand, so an API
 * command starts without the local runtime's dependencies (dynalite, the AWS SDK).
 */
import { EXIT, EXIT_CODES_HELP, exitCodeForStatus } from './exit-codes';
import { processIo, type CliIo } from './io';

type Command = (argv: string[], io: CliIo) => Promise<number>;

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading keeps start-up fast */
const COMMANDS: Record<string, () => Command> = {
  start: () => (require('./start-command') as typeof import('./start-command')).startCommand,
  new: () => (require('./new-command') as typeof import('./new-command')).newCommand,
  list: () => (require('./list-command') as typeof import('./list-command')).listCommand,
  show: () => (require('./show-command') as typeof import('./show-command')).showCommand,
  abandon: () => (require('./abandon-command') as typeof import('./abandon-command')).abandonCommand,
  extend: () => (require('./extend-command') as typeof import('./extend-command')).extendCommand,
  rerun: () => (require('./extend-command') as typeof import('./extend-command')).rerunCommand,
  backlog: () => (require('./backlog-command') as typeof import('./backlog-command')).backlogCommand,
  log: () => (require('./log-command') as typeof import('./log-command')).logCommand,
  metrics: () => (require('./metrics-command') as typeof import('./metrics-command')).metricsCommand,
  collect: () => (require('./collect-command') as typeof import('./collect-command')).collectCommand,
  health: () => (require('./health-command') as typeof import('./health-command')).healthCommand,
  login: () => (require('./login-command') as typeof import('./login-command')).loginCommand,
  score: () => (argv, io) => (require('./score-command') as typeof import('./score-command')).scoreCommand(argv, io),
  import: () => importWithApi,
  secrets: () => (argv, io) => (require('./secrets-command') as typeof import('./secrets-command')).secretsCommand(argv, io),
  mcp: () => (require('./mcp-command') as typeof import('./mcp-command')).mcpCommand,
  digest: () => (require('./digest-command') as typeof import('./digest-command')).digestCommand,
  today: () => (require('./randomized-commands') as typeof import('./randomized-commands')).todayCommand,
  skip: () => (require('./randomized-commands') as typeof import('./randomized-commands')).skipCommand,
  'next-post': () => (require('./randomized-commands') as typeof import('./randomized-commands')).nextPostCommand,
  tag: () => (require('./randomized-commands') as typeof import('./randomized-commands')).tagCommand,
  calendar: () => (require('./randomized-commands') as typeof import('./randomized-commands')).calendarCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

const HELP = `verdict — marketing experiments on autopilot: hypothesis, fixed window, one metric, keep or discard

Usage: verdict <command> [options]

Experiments:
  new              create an experiment (asks on a terminal, flags in scripts)
  list             list experiments, filtered by status or metric
  show ID          summary, interim readout or verdict, and a sparkline of the metric
  abandon ID       stop an experiment: the record stays, it is never scored
  extend ID        lengthen a running window before it ends (--days N; the bar is raised for it)
  rerun ID         after a verdict, start a follow-up with the window that would decide it
  backlog          add | list | rank | start — ideas the loop starts by ICE score
  log              the research log of concluded experiments (table, tsv, md, json)
  metrics          the metric catalog

Randomized designs (switchback days, post variants):
  today            what to do today: treatment or control day, or draw the next post's arm
  skip ID DATE     record that a switchback day's assignment was not followed
  next-post ID     draw the arm of your next post (balanced, random)
  tag POST_ID ARM  link a post published without its marker to its arm
  calendar         the switchback schedules as a calendar feed URL (read-only token)

Running the loop:
  start            run the whole loop locally (API, scheduler, embedded DynamoDB)
  collect [SOURCE] collect metrics now
  health           collection per source, the scorer, experiments running vs target
  login            save the API URL and token the other commands use
  import FILE      backfill observations from a CSV export
  secrets set SRC  store a source's credentials in the deployed stack's secret
  score            score a scenario file offline and print the verdict as JSON
  digest           print this week's digest (verdicts, running, backlog, source health)
  mcp              serve the loop as MCP tools on stdio, for desktop agents

Connection: --api URL and --token TOKEN, or VERDICT_API_URL / VERDICT_API_TOKEN, or the file
'verdict login' writes; otherwise the running 'verdict start' (also --demo), found through ./.verdict.
Output: aligned tables for people, --json for scripts; colours only on a terminal (NO_COLOR turns them off).

${EXIT_CODES_HELP}

Run 'verdict <command> --help' for a command's options and an example; 'verdict --version' for the version.`;

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') { io.stdout.write(`${HELP}\n`); return EXIT.ok; }
  if (name === '--version' || name === '-V' || name === 'version') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- bundled as a constant; read only here
    const { version } = require('../../package.json') as { version: string };
    io.stdout.write(rest.includes('--json') ? `${JSON.stringify({ version, node: process.version })}\n` : `verdict ${version} (Node.js ${process.version})\n`);
    return EXIT.ok;
  }
  if (name === 'help') return rest[0] && COMMANDS[rest[0]] ? COMMANDS[rest[0]]()(['--help'], io) : (io.stdout.write(`${HELP}\n`), EXIT.ok);
  const load = COMMANDS[name];
  if (!load) { io.stderr.write(`verdict: unknown command: ${name}\n\n${HELP}\n`); return EXIT.usage; }
  return load()(rest, io);
}

/** `verdict import`: the import command with an API client from the usual connection flags. */
async function importWithApi(argv: string[], io: CliIo): Promise<number> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand, like the commands */
  const { ApiError, ApiUnreachableError, createApiClient } = require('./api-client') as typeof import('./api-client');
  const { resolveConnection } = require('./connection') as typeof import('./connection');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const flags: { api?: string; token?: string } = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(api|token)(?:=(.*))?$/.exec(argv[i]);
    if (!m) { rest.push(argv[i]); continue; }
    flags[m[1] as 'api' | 'token'] = m[2] ?? argv[++i];
  }
  const connection = resolveConnection(flags, io.env);
  const api = createApiClient({ baseUrl: connection.api, token: connection.token });
  const { importCommand } = require('./import-command') as typeof import('./import-command'); // eslint-disable-line @typescript-eslint/no-require-imports
  try {
    return await importCommand(rest, { stdout: io.stdout, stderr: io.stderr, isTTY: Boolean(io.stderr.isTTY) }, api);
  } catch (err) {
    // The import command reports its own API failures; this catches anything it lets through.
    if (err instanceof ApiError) { io.stderr.write(`verdict: ${err.message} (${err.status} ${err.code})\n`); return exitCodeForStatus(err.status); }
    if (err instanceof ApiUnreachableError) { io.stderr.write(`verdict: ${err.message}\n`); return EXIT.unreachable; }
    throw err;
  }
}
