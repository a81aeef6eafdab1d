/**
 * GET /metrics: the metric catalog, so clients (CLI, dashboard, agents) offer only valid primary metrics.
 * GET /metrics/{metric}: one metric's derived daily series (and, with ?raw=1, the stored observations
 * behind it) for charts and the CLI's sparkline.
 */
import * as z from '../../domain/zod-mini';
import { METRIC_CATALOG, observedMetricsFor, parseMetricKey } from '../../domain/metric-catalog';
import { InstantSchema as instant, MetricKeySchema } from '../../domain/experiment';
import { engineSummaries } from '../../domain/metrics/answer-agreement';
import { dailySeries } from '../../domain/metrics/daily-series';
import { MetricDefinitionSchema } from '../../domain/verdict-schema';
import { parseOrThrow, ValidationError } from '../../shared/errors';
import { accountsFeeding } from '../../sources/collector-entries';
import type { Route } from '../router';

const DAY_MS = 86_400_000;
/** Longest range one request may chart. */
export const MAX_SERIES_DAYS = 400;
/** Raw observations returned at most (the series itself is never truncated). */
export const MAX_RAW_OBSERVATIONS = 5_000;
/** Margin loaded either side so counts at the range's edges can be interpolated. */
const EDGE_MARGIN_MS = 2 * DAY_MS;


export const SeriesQuerySchema = z.strictObject({
  from: z.described(z.optional(instant), 'Start (inclusive), a date or date-time; default: 8 weeks before `to`'),
  to: z.described(z.optional(instant), 'End (exclusive); default: now'),
  raw: z.described(z.optional(z.enum(['0', '1', 'true', 'false'])), '1: also return the stored observations in the range'),
});

export const catalogRoutes: Route[] = [
  {
    method: 'GET',
    path: '/metrics',
    doc: {
      tag: 'Metrics', summary: 'The metric catalog', description: 'Every primary metric with its description, unit, kind and derivation.',
      success: {
        status: 200, description: '{ items }',
        schema: z.object({ items: z.array(z.extend(MetricDefinitionSchema, { accounts: z.described(z.array(z.string()), 'Configured accounts besides the default whose collectors feed it: each is the metric key with @name, e.g. x.follower_growth_rate@acme') })) }),
      },
    },
    handle: async (_req, s) => ({ status: 200, body: { items: METRIC_CATALOG.map((m) => ({ ...m, accounts: accountsFeeding(m.from, s.config) })) } }),
  },
  {
    method: 'GET',
    path: '/metrics/{metric}',
    doc: {
      tag: 'Metrics', summary: 'A metric as a daily series',
      description: `One value per UTC day in the metric's unit (null for a gap: never a zero). At most ${MAX_SERIES_DAYS} days per request; ?raw=1 adds up to ${MAX_RAW_OBSERVATIONS} stored observations.`,
      params: { metric: 'Catalog key, e.g. x.follower_growth_rate or citations.citation_rate:perplexity' },
      query: SeriesQuerySchema,
      success: {
        status: 200, description: '{ metric, unit, from, to, series: [{ date, value }], observations? }',
        schema: z.object({
          metric: z.string(), unit: z.string(), description: z.string(), kind: z.enum(['count_rate', 'ratio', 'proportion']),
          from: z.described(z.string(), 'ISO-8601 (inclusive)'), to: z.described(z.string(), 'ISO-8601 (exclusive)'),
          series: z.array(z.object({ date: z.described(z.string(), 'UTC date, YYYY-MM-DD'), value: z.described(z.nullable(z.number()), 'In `unit`; null for a gap (never a zero)') })),
          observations: z.described(z.optional(z.array(z.record(z.string(), z.unknown()))), '?raw=1: the stored observations in the range'),
          truncated: z.described(z.optional(z.boolean()), 'More raw observations than returned'),
          engines: z.described(z.optional(z.array(z.object({
            engine: z.string(), answers: z.number().check(z.int()), citationRate: z.number(), mentionRate: z.number(),
            repeatedGroups: z.described(z.number().check(z.int()), '(prompt, run) groups answered at least twice'),
            citedAgreement: z.described(z.nullable(z.number()), 'Share of repeated groups whose answers all agree on cited (0–1)'),
            mentionedAgreement: z.nullable(z.number()),
          }))), 'Citation metrics: per answer engine, its rates and the repeat-to-repeat agreement (the noise floor)'),
        }),
      },
    },
    async handle(req, s) {
      const metric = parseOrThrow(MetricKeySchema, req.params.metric, 'metric');
      const q = parseOrThrow(SeriesQuerySchema, req.query, 'query');
      const to = q.to ?? s.now().toISOString();
      const from = q.from ?? new Date(Date.parse(to) - 56 * DAY_MS).toISOString();
      const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
      if (days <= 0) throw new ValidationError('Invalid query: to must be after from', [{ path: 'to', message: 'must be after from' }]);
      if (days > MAX_SERIES_DAYS) throw new ValidationError(`Invalid query: at most ${MAX_SERIES_DAYS} days per request`, [{ path: 'from', message: `range longer than ${MAX_SERIES_DAYS} days` }]);
      const { definition, account } = parseMetricKey(metric)!;
      const raw = q.raw === '1' || q.raw === 'true';
      const margins = [new Date(Date.parse(from) - EDGE_MARGIN_MS).toISOString(), new Date(Date.parse(to) + EDGE_MARGIN_MS).toISOString()] as const;
      // Snapshots come as daily roll-ups (a year of 15-minute data is one small Query), unless the raw ones are asked for.
      const loaded = raw
        ? await s.observations.queryMany(observedMetricsFor(metric), ...margins, account)
        : await s.observations.queryForDailySeries(observedMetricsFor(metric), ...margins, account);
      const series = dailySeries(metric, loaded, { start: from, end: to });
      const engines = definition.from.includes('citations.answer') ? engineSummaries(loaded, { start: from, end: to }) : undefined;
      const inRange = raw ? loaded.filter((o) => o.at >= from && o.at < to) : [];
      return {
        status: 200,
        body: {
          metric, unit: definition.unit, description: definition.description, kind: definition.kind, from, to, series,
          ...(engines && { engines }),
          ...(raw && { observations: inRange.slice(0, MAX_RAW_OBSERVATIONS), ...(inRange.length > MAX_RAW_OBSERVATIONS && { truncated: true }) }),
        },
      };
    },
  },
];
