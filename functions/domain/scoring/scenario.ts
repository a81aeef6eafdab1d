/**
 * Offline scenarios: one JSON document with an experiment, its observations and (optionally) other
 * experiments, scored by the same engine as the scorer Lambda — no database. Used by
 * `verdict score --input scenario.json`.
 */
import * as z from '../zod-mini';
import {
  DecisionRuleSchema, DEFAULT_DECISION, EXPERIMENT_STATUSES, type Experiment, InstantSchema, MAX_WINDOW_DAYS, MetricKeySchema,
  MIN_WINDOW_DAYS, PeriodSchema, windowRules,
} from '../experiment';
import { ObservationSchema } from '../observation';
import type { Verdict } from '../verdict';
import { scoreExperiment } from './score-experiment';

const DAY_MS = 86_400_000;

export const ScenarioExperimentSchema = z
  .strictObject({
    id: z.optional(z.string().check(z.minLength(1))),
    name: z.optional(z.string().check(z.minLength(1))),
    hypothesis: z.optional(z.string()),
    primaryMetric: MetricKeySchema,
    start: InstantSchema,
    end: z.optional(InstantSchema),
    durationDays: z.optional(z.number().check(z.int(), z.gte(MIN_WINDOW_DAYS), z.lte(MAX_WINDOW_DAYS))),
    baseline: z.optional(PeriodSchema),
    decision: z.optional(DecisionRuleSchema),
  }).check(z.superRefine(windowRules));

/** Another experiment, only for overlap warnings. */
export const OtherExperimentSchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  name: z.optional(z.string().check(z.minLength(1))),
  primaryMetric: z.string().check(z.minLength(1)),
  status: z.optional(z.enum(EXPERIMENT_STATUSES)),
  start: InstantSchema,
  end: z.optional(InstantSchema),
  durationDays: z.optional(z.number().check(z.int(), z.positive())),
}).check(z.refine((o) => o.end !== undefined || o.durationDays !== undefined, { message: 'Give either end or durationDays', path: ['durationDays'] }));

export const ScenarioSchema = z.strictObject({
  experiment: ScenarioExperimentSchema,
  observations: z.array(ObservationSchema),
  otherExperiments: z.optional(z.array(OtherExperimentSchema)),
});
export type Scenario = z.output<typeof ScenarioSchema>;

export interface ScenarioIssue {
  /** Dotted path of the offending field, e.g. "observations.3.value" ("(root)" for the document). */
  path: string;
  message: string;
}

export type ScenarioResult = { ok: true; verdict: Verdict } | { ok: false; issues: ScenarioIssue[] };

function endOf(start: string, end: string | undefined, durationDays: number | undefined): string {
  return end ?? new Date(Date.parse(start) + (durationDays as number) * DAY_MS).toISOString();
}

function toExperiment(s: Scenario['experiment'], now: Date): Experiment {
  const end = endOf(s.start, s.end, s.durationDays);
  return {
    id: s.id ?? 'scenario',
    name: s.name ?? 'Scenario',
    hypothesis: s.hypothesis ?? '',
    primaryMetric: s.primaryMetric,
    status: 'running',
    start: s.start,
    end,
    durationDays: Math.round((Date.parse(end) - Date.parse(s.start)) / DAY_MS),
    decision: { ...DEFAULT_DECISION, ...s.decision },
    ...(s.baseline && { baseline: s.baseline }),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/**
 * Validates `json` (already parsed) against ScenarioSchema and scores it at `now`.
 * Pure: the same input and `now` always give the same result.
 */
export function scoreScenario(json: unknown, now: Date): ScenarioResult {
  const parsed = ScenarioSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ path: i.path.length ? i.path.join('.') : '(root)', message: i.message })),
    };
  }
  const { experiment, observations, otherExperiments = [] } = parsed.data;
  const others: Experiment[] = otherExperiments.map((o) => {
    const end = endOf(o.start, o.end, o.durationDays);
    return {
      id: o.id,
      name: o.name ?? o.id,
      hypothesis: '',
      primaryMetric: o.primaryMetric,
      status: o.status ?? 'running',
      start: o.start,
      end,
      durationDays: Math.round((Date.parse(end) - Date.parse(o.start)) / DAY_MS),
      decision: DEFAULT_DECISION,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
  });
  const verdict = scoreExperiment(toExperiment(experiment, now), observations, { now, otherExperiments: others });
  return { ok: true, verdict };
}
