/** `verdict metrics`: the metric catalog — every primary metric an experiment can name. */
import type { MetricDefinition } from '../domain/metric-catalog';
import { CONNECTION_HELP, defineCommand } from './command';
import { EXIT } from './exit-codes';

/** `label` + `text` in lines of at most `width` characters, indented two spaces, continuations under the text. */
function wrap(label: string, text: string, width: number): string[] {
  const indent = ' '.repeat(label.length);
  const lines: string[] = [];
  let line = label;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.trim() && line !== label && line.length + 1 + word.length > width) { lines.push(line); line = indent + word; } else line = line === label || line === indent ? line + word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.map((l) => `  ${l}`);
}

export const METRICS_HELP = `Usage: verdict metrics [--json]

Lists the primary metrics experiments can use: what each measures, its unit, and its derivation —
which stored observations it is computed from and how (window edges, gaps).
Citation metrics accept an engine qualifier, e.g. citations.citation_rate:perplexity. A source
configured with several accounts (sources.<name>.accounts) gives each account its own metric
keys, the key with @name (x.follower_growth_rate@acme); the key without @ is the default account.

${CONNECTION_HELP}

Example:
  verdict metrics`;

export const metricsCommand = defineCommand({ name: 'metrics', help: METRICS_HELP }, async (ctx) => {
  const { items } = await ctx.api.get<{ items: (MetricDefinition & { accounts?: string[] })[] }>('/metrics');
  if (ctx.json) { ctx.printJson({ items }); return EXIT.ok; }
  const { p } = ctx;
  const columns = (ctx.io.stdout as { columns?: number }).columns ?? 100;
  const width = Math.max(40, Math.min(100, columns - 4));
  ctx.out(items.map((m) => [
    `${p.bold(m.key)}  ${p.dim(`${m.unit} · from ${m.from.join(', ')}`)}`,
    ...wrap('Measures: ', m.description, width),
    ...wrap('Derived:  ', m.derivation, width),
    ...(m.accounts?.length ? wrap('Accounts: ', `default (${m.key}), ${m.accounts.map((a) => `${m.key}@${a}`).join(', ')}`, width) : []),
  ].join('\n')).join('\n\n'));
  return EXIT.ok;
});
