/**
 * `verdict import FILE…`: backfills observations from a CSV export (X analytics, newsletter subscriber
 * or post exports, or the generic `metric,at,value[,…]` format). The whole file is validated first; bad
 * rows are listed with their line numbers and nothing is sent unless --skip-invalid. Observations go
 * to POST /observations in chunks of ≤ 500 — the store keys them by metric, time and id, so importing
 * the same file again writes the same items (idempotent).
 *
 * Exit codes: 0 imported (or validated, with --dry-run), 2 invalid input, 1 the API failed.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ACCOUNT_NAME_PATTERN } from '../domain/accounts';
import { observedSeriesKey, type Observation } from '../domain/observation';
import { IMPORT_FORMATS, parseImportFiles, type ImportFile, type ImportFormat, type ImportOptions } from '../sources/csv/import-formats';

export const IMPORT_CHUNK_SIZE = 500;
/** Bad rows printed before "… and N more". */
const MAX_ROW_ERRORS_SHOWN = 50;
/** Observations a --dry-run prints. */
const DRY_RUN_PREVIEW = 5;

const HELP = `Usage: verdict import FILE [FILE…] [options]

Backfills observations from a CSV file (",", ";" or tab separated). The format is detected from the header:
  metric,at,value[,…]          generic: one observation per row (extra columns for x.post,
                               newsletter.send and citations.answer fields)
  X analytics account overview x.followers (and x.posts) per day — needs --followers
  X analytics content export   x.post metrics per post
  X tweet_activity_metrics     x.post metrics per tweet (older analytics.twitter.com export)
  subscriber exports           newsletter.subscribers per day from join/leave times: beehiiv,
                               Substack email list, Mailchimp subscribed/unsubscribed/cleaned
                               (give all three files at once), Buttondown, Kit
  beehiiv post export          newsletter.send stats per post

Options:
  --skip-invalid      import the valid rows and report the others (default: import nothing)
  --dry-run           validate only and print the first observations; send nothing
  --followers N       X account overview: follower count at the end of the export's last day
  --posts N           X account overview: post count at the end of the export's last day
  --at TIME           when the export was taken (default: the last date in the file name,
                      else the midnight after the newest post or subscriber event)
  --format NAME       skip detection: ${IMPORT_FORMATS.join(', ')}
  --source NAME       source recorded on the observations (default: csv)
  --account NAME      import into a configured account (sources.<name>.accounts.NAME): its series,
                      read by metric keys like x.follower_growth_rate@NAME (default: the default account)
  --json              print the summary as JSON (format, rows, observations, written, new,
                      alreadyStored, skippedRows, dryRun)

Example:
  verdict import account_overview_analytics.csv --followers 1520
  verdict import subscribed_members.csv unsubscribed_members.csv cleaned_members.csv --dry-run
  verdict import email_list_brand2.csv --account brand2`;

export interface ImportIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Whether stderr is a terminal (progress bar). */
  isTTY: boolean;
}

export interface ImportApi { post(path: string, body: unknown): Promise<unknown> }

interface Args { files: string[]; skipInvalid: boolean; dryRun: boolean; help: boolean; json: boolean; options: ImportOptions; accountName?: string; error?: string }

export async function importCommand(argv: string[], io: ImportIo, api: ImportApi): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) { io.stdout.write(`${HELP}\n`); return 0; }
  if (args.error || args.files.length === 0) { io.stderr.write(`${args.error ?? 'FILE is required'}\n\n${HELP}\n`); return 2; }

  const files: ImportFile[] = [];
  let options = args.options;
  for (const file of args.files) {
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      files.push({ name: file, text: await readFile(file, 'utf8') });
      options = { ...options, at: options.at ?? dateFromFileName(file) };
    } catch {
      io.stderr.write(`Cannot read ${file}\n`);
      return 2;
    }
  }
  const label = args.files.join(', ');

  const parsed = parseImportFiles(files, options);
  // --account: every observation goes to that account's series (the file cannot say which configured account it is).
  const result = args.accountName === undefined ? parsed : { ...parsed, observations: parsed.observations.map((o) => ({ ...o, accountName: args.accountName })) };
  if (result.fileErrors.length > 0) {
    for (const e of result.fileErrors) io.stderr.write(`${label}: ${e}\n`);
    return 2;
  }
  for (const n of result.notices) io.stderr.write(`note: ${n}\n`);
  if (result.rowErrors.length > 0) {
    io.stderr.write(`${label}: ${result.rowErrors.length} invalid row(s)${args.skipInvalid ? ' skipped' : ''}:\n`);
    for (const e of result.rowErrors.slice(0, MAX_ROW_ERRORS_SHOWN)) io.stderr.write(`  ${'file' in e && e.file && files.length > 1 ? `${e.file} ` : ''}line ${e.line}: ${e.message}\n`);
    if (result.rowErrors.length > MAX_ROW_ERRORS_SHOWN) io.stderr.write(`  … and ${result.rowErrors.length - MAX_ROW_ERRORS_SHOWN} more\n`);
    if (!args.skipInvalid) {
      io.stderr.write('Nothing was imported. Fix the rows, or pass --skip-invalid to import the valid ones.\n');
      return 2;
    }
  }

  const total = result.observations.length;
  /** What the API said was new and what it had already (absent from older APIs and test doubles). */
  const stored = { new: 0, alreadyStored: 0, reported: true };
  const summary = (written: number) => {
    if (args.json) {
      return `${JSON.stringify({ format: result.format, rows: result.rows, observations: total, written, ...(stored.reported && !args.dryRun && { new: stored.new, alreadyStored: stored.alreadyStored }), skippedRows: result.rowErrors.length, dryRun: args.dryRun })}\n`;
    }
    const split = stored.reported && !args.dryRun ? ` (${stored.new} new, ${stored.alreadyStored} already stored${stored.new === 0 && written > 0 ? ': nothing new' : ''})` : '';
    return `format: ${result.format}\nrows: ${result.rows}\nobservations: ${total}\nwritten: ${written}${args.dryRun ? ' (dry run)' : split}\nskipped rows: ${result.rowErrors.length}\n`;
  };
  if (args.dryRun) {
    io.stdout.write(summary(0));
    if (total > 0 && !args.json) {
      io.stdout.write(`first ${Math.min(DRY_RUN_PREVIEW, total)} of ${total}:\n`);
      for (const o of result.observations.slice(0, DRY_RUN_PREVIEW)) io.stdout.write(`  ${describeObservation(o)}\n`);
    }
    return 0;
  }

  const progress = io.isTTY && total > 0 ? progressBar(io.stderr, total) : undefined;
  let written = 0;
  try {
    for (let i = 0; i < total; i += IMPORT_CHUNK_SIZE) {
      const chunk = result.observations.slice(i, i + IMPORT_CHUNK_SIZE);
      const answer = (await api.post('/observations', { observations: chunk })) as { new?: unknown; alreadyStored?: unknown } | undefined;
      if (typeof answer?.new === 'number' && typeof answer.alreadyStored === 'number') {
        stored.new += answer.new;
        stored.alreadyStored += answer.alreadyStored;
      } else stored.reported = false;
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
  const args: Args = { files: [], skipInvalid: false, dryRun: false, help: false, json: false, options: {} };
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
      case '--json': args.json = true; break;
      case '--at': args.options.at = valueOf(flag, inline); break;
      case '--source': args.options.source = valueOf(flag, inline); break;
      case '--account': {
        const raw = valueOf(flag, inline);
        if (raw === undefined) break;
        if (!ACCOUNT_NAME_PATTERN.test(raw)) args.error ??= '--account must be a configured account name: 1–32 lower-case letters, digits, - or _';
        else args.accountName = raw;
        break;
      }
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
        else args.files.push(a);
    }
  }
  return args;
}

/**
 * The export's end date from names like `account_analytics_content_2026-02-14_2026-02-27.csv` or
 * `tweet_activity_metrics_dev_20190101_20190201_en.csv`: the midnight after the last date in the name
 * (when the numbers were exported, at the earliest).
 */
export function dateFromFileName(file: string): string | undefined {
  const dates = [...basename(file).matchAll(/(?<!\d)((?:19|20)\d{2})-?(\d{2})-?(\d{2})(?!\d)/g)]
    .map((m) => `${m[1]}-${m[2]}-${m[3]}`)
    .filter((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d));
  const last = dates.at(-1);
  if (!last) return undefined;
  return new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString();
}

/** One line per observation for --dry-run: time, metric, and the values that would be written. */
export function describeObservation(o: Observation): string {
  const series = observedSeriesKey(o);
  const who = o.account ? ` (${o.account})` : '';
  switch (o.metric) {
    case 'x.post':
      return `${o.at} ${series}${who} id=${o.id}${o.publishedAt ? ` published=${o.publishedAt}` : ''} impressions=${o.impressions} likes=${o.likes} replies=${o.replies} reposts=${o.reposts} quotes=${o.quotes}`;
    case 'newsletter.send':
      return `${o.at} ${series}${who} id=${o.id}${o.sentAt ? ` sent=${o.sentAt}` : ''} delivered=${o.delivered} opens=${o.opens} clicks=${o.clicks}`;
    case 'citations.answer':
      return `${o.at} ${series}${who} engine=${o.engine} prompt="${o.prompt}" cited=${o.cited} mentioned=${o.mentioned}`;
    default:
      return `${o.at} ${series}${who} ${o.value}`;
  }
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
