/** `verdict metrics`: the metric catalog — every primary metric an experiment can name. */
import type { MetricDefinition } from '../domain/metric-catalog';
import { CONNECTION_HELP, defineCommand } from './command';
import { EXIT } from './exit-codes';
import { table } from './format';

export const METRICS_HELP = `Usage: verdict metrics [--json]

Lists the primary metrics experiments can use, with what each measures and its unit.
Citation metrics accept an engine qualifier, e.g. citations.citation_rate:perplexity.

${CONNECTION_HELP}

Example:
  verdict metrics`;

export const metricsCommand = defineCommand({ name: 'metrics', help: METRICS_HELP }, async (ctx) => {
  const { items } = await ctx.api.get<{ items: MetricDefinition[] }>('/metrics');
  if (ctx.json) { ctx.printJson({ items }); return EXIT.ok; }
  ctx.out(table(['Metric', 'Measures', 'Unit'], items.map((m) => [m.key, m.description, m.unit]), ctx.p));
  return EXIT.ok;
});
