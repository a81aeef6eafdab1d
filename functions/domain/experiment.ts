/**
 * Experiments: the request schemas that validate them (shared by the API, the CLI, OpenAPI and MCP)
 * and the pure rules for windows and status.
 */
import { z } from 'zod';
import { isKnownMetricKey } from './metric-catalog';

export const MIN_WINDOW_DAYS = 7;
export const MAX_WINDOW_DAYS = 42;
const DAY_MS = 86_400_000;

const isoDateTime = z.iso.datetime({ offset: true });
/** Accepts a full ISO-8601 date-time or a plain date (taken as 00:00 UTC). */
const instant = z.union([isoDateTime, z.iso.date()]).transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s).toISOString());

export const MetricKeySchema = z.string().refine(isKnownMetricKey, {
  message: 'Unknown metric: see GET /metrics or `verdict metrics` for the catalog',
});

export const DecisionRuleSchema = z.strictObject({
  /** Minimum relative lift (0.1 = +10 %) the effect must clear to keep. */
  minLift: z.number().min(0).max(10).default(0),
  /** Probability of improvement required to keep (0.5–0.999). */
  confidence: z.number().min(0.5).max(0.999).default(0.95),
});
export type DecisionRule = z.infer<typeof DecisionRuleSchema>;

export const PeriodSchema = z
  .strictObject({ start: instant, end: instant })
  .refine((p) => p.end > p.start, { message: 'end must be after start', path: ['end'] });
export type Period = z.infer<typeof PeriodSchema>;

export const IceScoreSchema = z.strictObject({
  impact: z.number().int().min(1).max(10),
  confidence: z.number().int().min(1).max(10),
  ease: z.number().int().min(1).max(10),
});
export type IceScore = z.infer<typeof IceScoreSchema>;

const descriptive = {
  name: z.string().trim().min(1).max(200),
  hypothesis: z.string().trim().min(1).max(2000),
  primaryMetric: MetricKeySchema,
  decision: DecisionRuleSchema.optional(),
  baseline: PeriodSchema.optional(),
  channel: z.string().trim().min(1).max(100).optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  secondaryMetrics: z.array(MetricKeySchema).max(10).optional(),
  iceScore: IceScoreSchema.optional(),
};

/** POST /experiments body: a scheduled experiment with a start and either an end or a duration. */
export const CreateExperimentSchema = z
  .strictObject({
    ...descriptive,
    start: instant,
    end: instant.optional(),
    durationDays: z.number().int().min(MIN_WINDOW_DAYS).max(MAX_WINDOW_DAYS).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.end === undefined && input.durationDays === undefined) {
      ctx.addIssue({ code: 'custom', message: 'Give either end or durationDays', path: ['durationDays'] });
    }
    if (input.end !== undefined && input.durationDays !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'Give end or durationDays, not both', path: ['end'] });
    }
    if (input.end !== undefined) {
      const days = (Date.parse(input.end) - Date.parse(input.start)) / DAY_MS;
      if (days <= 0) ctx.addIssue({ code: 'custom', message: 'end must be after start', path: ['end'] });
      else if (days < MIN_WINDOW_DAYS || days > MAX_WINDOW_DAYS) {
        ctx.addIssue({ code: 'custom', message: `window must be ${MIN_WINDOW_DAYS}–${MAX_WINDOW_DAYS} days`, path: ['end'] });
      }
    }
    if (input.baseline && Date.parse(input.baseline.end) > Date.parse(input.start)) {
      ctx.addIssue({ code: 'custom', message: 'baseline must end at or before the experiment start', path: ['baseline', 'end'] });
    }
  });
export type CreateExperimentInput = z.input<typeof CreateExperimentSchema>;
export type CreateExperiment = z.output<typeof CreateExperimentSchema>;

export const EXPERIMENT_STATUSES = ['backlog', 'planned', 'running', 'concluded', 'abandoned'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

/** A stored experiment. Times are ISO-8601 UTC; `end` is exclusive. */
export interface Experiment {
  id: string;
  name: string;
  hypothesis: string;
  primaryMetric: string;
  status: ExperimentStatus;
  /** Absent only for backlog items, which get a start when they are started. */
  start?: string;
  end?: string;
  durationDays: number;
  decision: DecisionRule;
  baseline?: Period;
  channel?: string;
  tags?: string[];
  secondaryMetrics?: string[];
  iceScore?: IceScore;
  learnings?: string;
  createdAt: string;
  updatedAt: string;
  concludedAt?: string;
}

export const DEFAULT_DECISION: DecisionRule = { minLift: 0, confidence: 0.95 };

/** Builds the stored experiment for a validated create request at time `now`. */
export function newExperiment(input: CreateExperiment, id: string, now: Date): Experiment {
  const start = input.start;
  const end = input.end ?? new Date(Date.parse(start) + (input.durationDays as number) * DAY_MS).toISOString();
  const durationDays = Math.round((Date.parse(end) - Date.parse(start)) / DAY_MS);
  const nowIso = now.toISOString();
  return {
    id,
    name: input.name,
    hypothesis: input.hypothesis,
    primaryMetric: input.primaryMetric,
    status: Date.parse(start) <= now.getTime() ? 'running' : 'planned',
    start,
    end,
    durationDays,
    decision: { ...DEFAULT_DECISION, ...input.decision },
    ...(input.baseline && { baseline: input.baseline }),
    ...(input.channel && { channel: input.channel }),
    ...(input.tags && { tags: input.tags }),
    ...(input.secondaryMetrics && { secondaryMetrics: input.secondaryMetrics }),
    ...(input.iceScore && { iceScore: input.iceScore }),
    createdAt: nowIso,
    updatedAt: nowIso,
  };
}

/** Whether the experiment's window has ended at `now` and it still awaits a verdict. */
export function isDueForScoring(e: Experiment, now: Date): boolean {
  return (e.status === 'running' || e.status === 'planned') && e.end !== undefined && Date.parse(e.end) <= now.getTime();
}

/** ICE score as the product impact × confidence × ease (1–1000); undefined when not scored. */
export function iceProduct(ice: IceScore | undefined): number | undefined {
  return ice ? ice.impact * ice.confidence * ice.ease : undefined;
}
