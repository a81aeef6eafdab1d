/**
 * What every API command shares: option parsing (node:util parseArgs) with --help, --json, --api and
 * --token; the connection; and one place that turns failures into a message and an exit code.
 */
import { parseArgs } from 'node:util';
import { ApiError, ApiUnreachableError, createApiClient, type ApiClient } from './api-client';
import { resolveConnection, type Connection } from './connection';
import { EXIT, exitCodeForStatus } from './exit-codes';
import { palette, type Palette } from './format';
import type { CliIo } from './io';
import { errorMessage } from '../shared/errors';

export type Command = (argv: string[], io: CliIo) => Promise<number>;

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Wrong use of the command line: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {}

export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  io: CliIo;
  /** Colours for stdout. */
  p: Palette;
  json: boolean;
  now: Date;
  api: ApiClient;
  connection: Connection;
  out(text: string): void;
  /** Prints a JSON value (pretty) on stdout: the --json output. */
  printJson(value: unknown): void;
}

export interface CommandSpec {
  /** As typed after `verdict`, e.g. 'backlog add'. */
  name: string;
  help: string;
  options?: Record<string, OptionSpec>;
  /** Names of the positional arguments, in order; `?` suffix = optional. */
  positionals?: string[];
}

const COMMON: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  api: { type: 'string' },
  token: { type: 'string' },
};

export const CONNECTION_HELP = `Connection: --api URL and --token TOKEN, else VERDICT_API_URL / VERDICT_API_TOKEN, else the
file \`verdict login\` wrote, else the running \`verdict start\` (also --demo), found through ./.verdict.`;

export function defineCommand(spec: CommandSpec, run: (ctx: CommandContext) => Promise<number | void>): Command {
  return async (argv, io) => {
    const json = argv.includes('--json');
    try {
      const { values, positionals } = parseArgs({ args: argv, options: { ...COMMON, ...spec.options }, allowPositionals: true, strict: true });
      if (values.help) { io.stdout.write(`${spec.help}\n`); return EXIT.ok; }
      const names = spec.positionals ?? [];
      const required = names.filter((n) => !n.endsWith('?')).length;
      if (positionals.length < required) throw new UsageError(`Missing ${names[positionals.length].replace('?', '')}`);
      if (positionals.length > names.length) throw new UsageError(`Unexpected argument: ${positionals[names.length]}`);
      const connection = resolveConnection({ api: values.api as string | undefined, token: values.token as string | undefined }, io.env);
      const ctx: CommandContext = {
        values: values as OptionValues,
        positionals,
        io,
        p: palette(io.stdout, io.env),
        json,
        now: new Date(),
        api: createApiClient({ baseUrl: connection.api, token: connection.token }),
        connection,
        out: (text) => { io.stdout.write(text.endsWith('\n') ? text : `${text}\n`); },
        printJson: (value) => { io.stdout.write(`${JSON.stringify(value, null, 2)}\n`); },
      };
      return (await run(ctx)) ?? EXIT.ok;
    } catch (err) {
      return reportFailure(err, spec, io, json, argv);
    }
  };
}

function reportFailure(err: unknown, spec: CommandSpec, io: CliIo, json: boolean, argv: string[]): number {
  const p = palette(io.stderr, io.env);
  const say = (text: string) => io.stderr.write(`${text}\n`);
  if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    say(`${p.red('verdict:')} ${errorMessage(err)}\nRun 'verdict ${spec.name} --help' for usage and an example.`);
    return EXIT.usage;
  }
  if (err instanceof ApiError) {
    if (json) say(JSON.stringify({ error: { status: err.status, code: err.code, message: err.message, details: err.details, requestId: err.requestId } }));
    else {
      const issues = (err.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
      say(`${p.red('verdict:')} ${issues?.length ? 'the API rejected the input' : err.message} ${p.dim(`(${err.status} ${err.code})`)}`);
      for (const issue of issues ?? []) say(`  • ${issue.path}: ${issue.message}`);
      if (err.status === 401) say(`  Pass --token, set VERDICT_API_TOKEN, or run 'verdict login'.`);
      if (err.requestId) say(p.dim(`  request id: ${err.requestId}`));
    }
    return exitCodeForStatus(err.status);
  }
  if (err instanceof ApiUnreachableError) {
    const local = !argv.includes('--api') && !io.env.VERDICT_API_URL;
    say(`${p.red('verdict:')} ${err.message}${local ? `\n  Is the local runtime running? Start it with 'verdict start', or pass --api URL.` : ''}`);
    return EXIT.unreachable;
  }
  say(`${p.red('verdict:')} ${errorMessage(err)}`);
  return EXIT.failed;
}

/** A string option, or undefined. */
export function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable string option (`--tag a --tag b` or `--tag a,b`). */
export function list(values: OptionValues, name: string): string[] | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const items = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/** A number option, or a UsageError naming it. */
export function num(values: OptionValues, name: string): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${raw}"`);
  return n;
}

/** `--ice 8,6,9` → { impact, confidence, ease }. */
export function parseIce(raw: string): { impact: number; confidence: number; ease: number } {
  const parts = raw.split(/[,/ ]+/).map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n) || n < 1 || n > 10)) {
    throw new UsageError(`--ice takes impact,confidence,ease — three whole numbers 1–10, e.g. --ice 8,6,9 (got "${raw}")`);
  }
  return { impact: parts[0], confidence: parts[1], ease: parts[2] };
}
