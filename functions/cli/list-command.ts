/** `verdict list`: experiments newest first, filtered by status or metric, as a table or JSON. */
import type { Experiment } from '../domain/experiment';
import { EXPERIMENT_STATUSES } from '../domain/experiment-status';
import { CONNECTION_HELP, defineCommand, num, str, UsageError } from './command';
import { EXIT } from './exit-codes';
import { statusText, table, whenText, windowText } from './format';

export const LIST_HELP = `Usage: verdict list [--status STATUS] [--metric KEY] [--limit N] [--all] [--json]

Lists experiments, newest first.

  --status STATUS   ${EXPERIMENT_STATUSES.join(' | ')}
  --metric KEY      only this primary metric (a base key also matches its :engine variants)
  --limit N         page size, 1–200 (default 20)
  --cursor C        continue from a previous page
  --all             follow every page
  --json            { items, nextCursor? } as JSON

${CONNECTION_HELP}

Example:
  verdict list --status running`;

export const listCommand = defineCommand({
  name: 'list',
  help: LIST_HELP,
  options: { status: { type: 'string' }, metric: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' }, all: { type: 'boolean' } },
}, async (ctx) => {
  const status = str(ctx.values, 'status');
  if (status && !(EXPERIMENT_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status must be one of ${EXPERIMENT_STATUSES.join(', ')}`);
  const limit = num(ctx.values, 'limit') ?? 20;
  const items: Experiment[] = [];
  let cursor = str(ctx.values, 'cursor');
  let nextCursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(limit), ...(status && { status }), ...(str(ctx.values, 'metric') && { metric: str(ctx.values, 'metric')! }), ...(cursor && { cursor }) });
    const page = await ctx.api.get<{ items: Experiment[]; nextCursor?: string }>(`/experiments?${query}`);
    items.push(...page.items);
    nextCursor = page.nextCursor;
    cursor = nextCursor;
  } while (ctx.values.all && cursor);

  if (ctx.json) { ctx.printJson({ items, ...(nextCursor && { nextCursor }) }); return EXIT.ok; }
  if (items.length === 0) {
    ctx.out(status || str(ctx.values, 'metric') ? 'No experiments match.' : "No experiments yet. Create one with 'verdict new' or add ideas with 'verdict backlog add'.");
    return EXIT.ok;
  }
  const { p } = ctx;
  ctx.out(table(['ID', 'Name', 'Status', 'Metric', 'Window', 'When'], items.map((e) => [
    e.id, truncate(e.name, 40), statusText(e.status, p), e.primaryMetric, windowText(e.start, e.end), whenText(e, ctx.now),
  ]), p));
  if (nextCursor) ctx.out(p.dim(`More: verdict list --cursor ${nextCursor}${status ? ` --status ${status}` : ''} (or --all)`));
  return EXIT.ok;
});

export function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
