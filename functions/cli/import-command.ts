/**
 * `verdict import FILE`: backfills observations from a CSV export (X analytics, beehiiv subscriber or
 * post exports, or the generic `metric,at,value[,…]` format). The whole file is validated first; bad
 * rows are listed with their line numbers and nothing is sent unless --skip-invalid. Observations go
 * to POST /observations in chunks of ≤ 500 — the store keys them by metric, time and id, so importing
 * the same file again writes the same items (idempotent).
 *
 * Exit codes: 0 imported (or validated, with --dry-run), 2 invalid input, 1 the API failed.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { IMPORT_FORMATS, parseImport, type ImportFormat, type ImportOptions } from '../sources/csv/import-formats';

export const IMPORT_CHUNK_SIZE = 500;
/** Bad rows printed before "… and N more". */
const MAX_ROW_ERRORS_SHOWN = 50;

const HELP = `Usage: verdict import FILE [options]

Backfills observations from a CSV file. The format is detected from the header:
  metric,at,value[,…]          generic: one observation per row (extra columns for x.post,
                               newsletter.send and citations.answer fields)
  X analytics account overview x.followers (and x.posts) per day — needs --followers
  X analytics content export   x.post metrics per post
  beehiiv subscriber export    newsletter.subscribers per day
  beehiiv post export          newsletter.send stats per post

Options:
  --skip-invalid      import the valid rows and report the others (default: import nothing)
  --dry-run           validate only; send nothing
  --followers N       X account overview: follower count at the end of the export's last day
  --posts N           X account overview: post count at the end of the export's last day
  --at TIME           when per-post exports were observed (default: the date in the file name,
                      else the midnight after the newest post)
  --format NAME       skip detection: ${IMPORT_FORMATS.join(', ')}
  --source NAME       source recorded on the observations (default: csv)
  --account NAME      account recorded on the observations

Example:
  verdict import account_overview_analytics.csv --followers 1520`;

export interface ImportIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Whether stderr is a terminal (progress bar). */
  isTTY: boolean;
}

export interface ImportApi { post(path: string, body: unknown): Promise<unknown> }

interface Args { file?: string; skipInvalid: boolean; dryRun: boolean; help: boolean; options: ImportOptions; error?: string }

export async function importCommand(argv: string[], io: ImportIo, api: ImportApi): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) { io.stdout.write(`${HELP}\n`); return 0; }
  if (args.error || !args.file) { io.stderr.write(`${args.error ?? 'FILE is required'}\n\n${HELP}\n`); return 2; }

  let text: string;
  let options = args.options;
  try {
    const info = await stat(args.file);
    if (!info.isFile()) throw new Error('not a file');
    text = await readFile(args.file, 'utf8');
    options = { ...options, at: options.at ?? dateFromFileName(args.file) };
  } catch {
    io.stderr.write(`Cannot read ${args.file}\n`);
    return 2;
  }

  const result = parseImport(text, options);
  if (result.fileErrors.length > 0) {
    for (const e of result.fileErrors) io.stderr.write(`${args.file}: ${e}\n`);
    return 2;
  }
  if (result.rowErrors.length > 0) {
    io.stderr.write(`${args.file}: ${result.rowErrors.length} invalid row(s)${args.skipInvalid ? ' skipped' : ''}:\n`);
    for (const e of result.rowErrors.slice(0, MAX_ROW_ERRORS_SHOWN)) io.stderr.write(`  line ${e.line}: ${e.message}\n`);
    if (result.rowErrors.length > MAX_ROW_ERRORS_SHOWN) io.stderr.write(`  … and ${result.rowErrors.length - MAX_ROW_ERRORS_SHOWN} more\n`);
    if (!args.skipInvalid) {
      io.stderr.write('Nothing was imported. Fix the rows, or pass --skip-invalid to import the valid ones.\n');
      return 2;
    }
  }

  const total = result.observations.length;
  const summary = (written: number) =>
    `format: ${result.format}\nrows: ${result.rows}\nobservations: ${total}\nwritten: ${written}${args.dryRun ? ' (dry run)' : ''}\nskipped rows: ${result.rowErrors.length}\n`;
  if (args.dryRun) { io.stdout.write(summary(0)); return 0; }

  const progress = io.isTTY && total > 0 ? progressBar(io.stderr, total) : undefined;
  let written = 0;
  try {
    for (let i = 0; i < total; i += IMPORT_CHUNK_SIZE) {
      const chunk = result.observations.slice(i, i + IMPORT_CHUNK_SIZE);
      await api.post('/observations', { observations: chunk });
      written += chunk.length;
      progress?.update(written);
    }
  } catch (err) {
    progress?.done();
    const reason = err instanceof Error ? err.message : String(err);
    io.stderr.write(`The API rejected the import after ${written} of ${total} observations: ${reason}\nRe-running the same import is safe (it is idempotent).\n`);
    io.stdout.write(summary(written));
    return 1;
  }
  progress?.done();
  io.stdout.write(summary(written));
  return 0;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { skipInvalid: false, dryRun: false, help: false, options: {} };
  const queue = [...argv];
  /** The flag's value: `--flag=value` or the next argument. */
  const valueOf = (flag: string, inline: string | undefined): string | undefined => {
    if (inline !== undefined) return inline;
    const next = queue[0];
    if (next === undefined || next.startsWith('--')) { args.error ??= `${flag} needs a value`; return undefined; }
    return queue.shift();
  };
  while (queue.length > 0) {
    const a = queue.shift() as string;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    switch (flag) {
      case '--help': case '-h': args.help = true; break;
      case '--skip-invalid': args.skipInvalid = true; break;
      case '--dry-run': args.dryRun = true; break;
      case '--at': args.options.at = valueOf(flag, inline); break;
      case '--source': args.options.source = valueOf(flag, inline); break;
      case '--account': args.options.account = valueOf(flag, inline); break;
      case '--followers': case '--posts': {
        const raw = valueOf(flag, inline);
        if (raw === undefined) break;
        const n = Number(raw);
        if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) args.error ??= `${flag} must be a whole number ≥ 0`;
        else args.options[flag === '--followers' ? 'followersAtEnd' : 'postsAtEnd'] = n;
        break;
      }
      case '--format': {
        const raw = valueOf(flag, inline);
        if (raw === undefined) break;
        if (!(IMPORT_FORMATS as readonly string[]).includes(raw)) args.error ??= `--format must be one of ${IMPORT_FORMATS.join(', ')}`;
        else args.options.format = raw as ImportFormat;
        break;
      }
      default:
        if (a.startsWith('-')) args.error ??= `Unknown option ${a}`;
        else if (args.file) args.error ??= `Unexpected argument ${a} (one FILE at a time)`;
        else args.file = a;
    }
  }
  return args;
}

/**
 * The export's end date from names like `account_analytics_content_2026-02-14_2026-02-27.csv`: the
 * midnight after the last date in the name (when the numbers were exported, at the earliest).
 */
export function dateFromFileName(file: string): string | undefined {
  const dates = basename(file).match(/\d{4}-\d{2}-\d{2}/g);
  const last = dates?.at(-1);
  if (!last || Number.isNaN(Date.parse(`${last}T00:00:00Z`))) return undefined;
  return new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString();
}

function progressBar(out: { write(s: string): unknown }, total: number) {
  const width = 30;
  const draw = (n: number) => {
    const filled = Math.round((n / total) * width);
    out.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor((n / total) * 100)}% ${n}/${total} observations`);
  };
  draw(0);
  return { update: draw, done: () => out.write('\n') };
}
