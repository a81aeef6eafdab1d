/** `verdict log`: the research log — every concluded experiment, newest first. */
import type { ResearchLogRow } from '../domain/research-log';
import { effectText, outcomeText, researchLogMarkdown, researchLogTsv } from '../domain/research-log';
import { CONNECTION_HELP, defineCommand, str, UsageError } from './command';
import { EXIT } from './exit-codes';
import { decisionText, table, valueText } from './format';
import { truncate } from './list-command';

export const LOG_HELP = `Usage: verdict log [--format table|tsv|md|json]

The research log: one row per concluded experiment, newest first — metric, window, baseline and
window values, effect with its 95 % interval, decision, outcome (improved, no effect, worse,
inconclusive, insufficient data), reason and the hypothesis in one line.

  --format table   aligned table for reading (default)
  --format tsv     tab-separated with a header: paste into a spreadsheet (like autoresearch's results.tsv)
  --format md      a markdown table for notes and pull requests
  --json           the rows as JSON (same as --format json)

${CONNECTION_HELP}

Example:
  verdict log --format tsv > results.tsv`;

const FORMATS = ['table', 'tsv', 'md', 'json'] as const;

export const logCommand = defineCommand({ name: 'log', help: LOG_HELP, options: { format: { type: 'string' } } }, async (ctx) => {
  const format = ctx.json ? 'json' : str(ctx.values, 'format') ?? 'table';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  // The API pages the log (at most 1,000 rows a response); the CLI reads every page and renders the whole log.
  const items: ResearchLogRow[] = [];
  let cursor: string | undefined;
  do {
    const page: { items: ResearchLogRow[]; nextCursor?: string } = await ctx.api.get(`/log?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  if (format === 'tsv' || format === 'md') {
    ctx.io.stdout.write(format === 'tsv' ? researchLogTsv(items) : researchLogMarkdown(items));
    return EXIT.ok;
  }
  if (format === 'json') { ctx.printJson({ items }); return EXIT.ok; }
  if (items.length === 0) { ctx.out('No concluded experiments yet: verdicts arrive when windows end.'); return EXIT.ok; }
  ctx.out(table(['Concluded', 'Experiment', 'Metric', 'Baseline → window (expected)', 'Effect (95 % interval)', 'Decision', 'Outcome', 'Reason'], items.map((r) => [
    r.concludedAt.slice(0, 10), `${truncate(r.name, 30)}\n${ctx.p.dim(r.id)}`, r.primaryMetric,
    `${valueText(r.baselineValue, r.unit)} → ${valueText(r.windowValue, r.unit)}\n(expected ${valueText(r.expectedValue, r.unit)})`, effectText(r), decisionText(r.decision, ctx.p),
    r.outcome === 'inconclusive' ? ctx.p.yellow(outcomeText(r.outcome)) : outcomeText(r.outcome) || '—', r.reason.replace(/_/g, ' '),
  ]), ctx.p));
  return EXIT.ok;
});
