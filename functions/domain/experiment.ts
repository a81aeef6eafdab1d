/**
 * Experiments: the request schemas that validate them (shared by the API, the CLI, OpenAPI and MCP)
 * and the pure rules for windows and the lifecycle:
 *
 *   backlog ──start──▶ planned ──start passes──▶ running ──window ends──▶ concluded
 *      │                  │                          │
 *      └──────────────────┴──────── abandon ─────────┴──▶ abandoned   (kept, never scored)
 *
 * A backlog item has no window until it is started (by the user, or by the loop with start = now).
 */
import * as z from './zod-mini';
import { type StoredPlan, StoredPlanSchema } from './planning/stored-plan';
import { isKnownMetricKey, METRIC_CATALOG, metricFamilyKey, parseMetricKey } from './metric-catalog';
import { newPostVariantsDesign, POST_VARIANT_METRICS, PostVariantOptionsSchema, type PostVariantsDesign } from './post-variants';
import {
  addDays, extendSwitchbackDesign, localDateOf, localMidnight, nearestLocalMidnight, newSwitchbackDesign, SwitchbackOptionsSchema, type ConcurrentSchedule, type SwitchbackDesign,
} from './switchback';
import { EXPERIMENT_STATUSES, type ExperimentStatus } from './experiment-status';

export const MIN_WINDOW_DAYS = 7;
export const MAX_WINDOW_DAYS = 42;
const DAY_MS = 86_400_000;

const isoDateTime = z.iso.datetime({ offset: true, local: true });
const DATE_FORMAT = 'a date like 2026-12-01 (00:00 UTC), a date-time like 2026-12-01T09:00:00Z (no offset = UTC), or today / tomorrow (00:00 UTC)';
const DAY_WORDS: Record<string, number> = { today: 0, tomorrow: 1 };

/** A typed date as ISO-8601: "Tomorrow " → tomorrow's date, "2026-12-01 09:00" → 2026-12-01T09:00 (UTC). */
function typedDateToIso(value: string): string {
  const typed = value.trim();
  const offset = DAY_WORDS[typed.toLowerCase()];
  const s = offset !== undefined ? new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10) : typed.replace(' ', 'T');
  return new Date(s.length === 10 ? `${s}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}Z`).toISOString();
}

/**
 * Accepts what people and agents type: a plain date (00:00 UTC), an ISO-8601 date-time (without an
 * offset it is UTC; a space may stand for the T), "today" or "tomorrow" (00:00 UTC); anything else is
 * refused with the format named.
 */
export const InstantSchema = z.described(z.pipe(z.union([
  isoDateTime,
  z.iso.date(),
  z.string().check(z.regex(/^\s*(today|tomorrow)\s*$/i)),
  z.string().check(z.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/), z.refine((s) => !Number.isNaN(Date.parse(s.replace(' ', 'T'))))),
], { error: `Invalid date: expected ${DATE_FORMAT}` }), z.transform(typedDateToIso)), `When: ${DATE_FORMAT}`);
const instant = InstantSchema;

export const MetricKeySchema = z.described(z.string().check(z.refine(isKnownMetricKey, { message: 'Unknown metric: see GET /metrics or `verdict metrics` for the catalog' })), `A primary metric from the catalog (GET /metrics): ${METRIC_CATALOG.map((m) => m.key).join(', ')}; citation metrics take an engine qualifier, e.g. citations.citation_rate:perplexity; a configured account other than the default is named after @, e.g. x.follower_growth_rate@acme`);

/** The largest minimum lift a decision rule takes: +500 % (a larger one is almost surely a percent sent as a fraction). */
export const MAX_MIN_LIFT = 5;

export const DecisionRuleSchema = z.described(z.strictObject({
  /** Minimum relative lift (0.1 = +10 %) the effect must clear to keep. */
  minLift: z.described(z._default(z.number().check(z.gte(0, 'minLift is a fraction of the expected value and cannot be negative: 0.1 means +10 %'), z.lte(MAX_MIN_LIFT, {
      error: (issue) => `minLift is a fraction, not a percent: ${String(issue.input)} would demand +${Math.round(Number(issue.input) * 100)} %. `
        + `For a +${String(issue.input)} % bar send ${Number(issue.input) / 100} (the CLI's --min-lift takes percent: --min-lift ${String(issue.input)}). At most ${MAX_MIN_LIFT} (+${MAX_MIN_LIFT * 100} %).`,
    })), 0), `Smallest relative lift that counts as a win, as a FRACTION of the expected value: 0.1 = +10 %, 0.25 = +25 % (not 10 or 25). 0 (default) keeps any credible improvement; at most ${MAX_MIN_LIFT} (+${MAX_MIN_LIFT * 100} %).`),
  /** Probability of improvement required to keep (0.5–0.999). */
  confidence: z.described(z._default(z.number().check(z.gte(0.5), z.lte(0.999)), 0.95), 'Probability of improvement required to keep, 0.5–0.999 (default 0.95 = 95 %)'),
}), 'The keep/discard rule');
export type DecisionRule = z.infer<typeof DecisionRuleSchema>;

export const PeriodSchema = z
  .strictObject({ start: instant, end: z.described(instant, 'Exclusive end: a date, a date-time, today or tomorrow') }).check(z.refine((p) => p.end > p.start, { message: 'end must be after start', path: ['end'] }));
export type Period = z.infer<typeof PeriodSchema>;

export const IceScoreSchema = z.described(z.strictObject({
  impact: z.described(z.number().check(z.int(), z.gte(1), z.lte(10)), 'How much it would move the metric if it works, 1–10'),
  confidence: z.described(z.number().check(z.int(), z.gte(1), z.lte(10)), 'How sure you are it works, 1–10'),
  ease: z.described(z.number().check(z.int(), z.gte(1), z.lte(10)), 'How cheap it is to run, 1–10'),
}), 'ICE score; the loop starts the highest impact × confidence × ease first');
export type IceScore = z.infer<typeof IceScoreSchema>;

/** Fields every experiment and backlog item shares (name, hypothesis, metric, labels, ICE). */
const descriptive = {
  name: z.described(z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), 'Short name of the tactic, e.g. "Daily build-in-public thread" (1–200 characters)'),
  hypothesis: z.described(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)), 'What you change and what you expect it to do to the primary metric, in one or two sentences (≤ 2000 characters)'),
  primaryMetric: MetricKeySchema,
  decision: z.described(z.optional(DecisionRuleSchema), 'The keep/discard rule: minLift as a FRACTION (0.1 = +10 %) and confidence (default 0 and 0.95)'),
  baseline: z.described(z.optional(PeriodSchema), 'The period to compare with; default: the same length right before the window'),
  channel: z.described(z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))), 'Where the tactic runs, e.g. x, newsletter, blog'),
  tags: z.described(z.optional(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(50))).check(z.maxLength(20))), 'Free labels (≤ 20, ≤ 50 characters each)'),
  secondaryMetrics: z.described(z.optional(z.array(MetricKeySchema).check(z.maxLength(10))), 'Catalog metrics reported alongside (never decide the verdict; ≤ 10)'),
  iceScore: z.optional(IceScoreSchema),
};

/**
 * How the effect is identified. before_after (default): the window against a forecast from the
 * baseline, for tactics that cannot be switched off and on. switchback: days (or blocks) randomly
 * assigned treatment or control inside the window. post_variants: each post randomly assigned an arm.
 */
export const EXPERIMENT_DESIGNS = ['before_after', 'switchback', 'post_variants'] as const;
export type ExperimentDesignKind = (typeof EXPERIMENT_DESIGNS)[number];

const designFields = {
  design: z.described(z.optional(z.enum(EXPERIMENT_DESIGNS)), 'before_after (default), switchback (randomized days) or post_variants (randomized posts)'),
  switchback: z.described(z.optional(SwitchbackOptionsSchema), 'Options of a switchback design'),
  postVariants: z.described(z.optional(PostVariantOptionsSchema), 'Arms of a post_variants design (required for it)'),
};

/** Which metrics each randomized design can use, and that its options come with it. */
export function designRules(
  input: { design?: ExperimentDesignKind; primaryMetric: string; switchback?: unknown; postVariants?: unknown; baseline?: unknown },
  ctx: z.core.$RefinementCtx,
): void {
  const design = input.design ?? 'before_after';
  const kind = parseMetricKey(input.primaryMetric)?.definition.kind;
  if (input.switchback !== undefined && design !== 'switchback') ctx.addIssue({ code: 'custom', message: 'switchback options need design: "switchback"', path: ['switchback'] });
  if (input.postVariants !== undefined && design !== 'post_variants') ctx.addIssue({ code: 'custom', message: 'postVariants options need design: "post_variants"', path: ['postVariants'] });
  if (design === 'switchback' && kind !== undefined && kind !== 'count_rate') {
    ctx.addIssue({ code: 'custom', message: 'a switchback compares days, so its primary metric must be a per-day growth rate (e.g. x.follower_growth_rate)', path: ['primaryMetric'] });
  }
  if (design === 'post_variants') {
    if (!(POST_VARIANT_METRICS as readonly string[]).includes(input.primaryMetric)) {
      ctx.addIssue({ code: 'custom', message: `post variants compare posts, so the primary metric must be one of ${POST_VARIANT_METRICS.join(', ')}`, path: ['primaryMetric'] });
    }
    if (input.postVariants === undefined) ctx.addIssue({ code: 'custom', message: 'give postVariants.arms, e.g. ["raw", "polished"]', path: ['postVariants'] });
  }
  if (design !== 'before_after' && input.baseline !== undefined) {
    ctx.addIssue({ code: 'custom', message: 'randomized designs compare arms inside the window and take no baseline', path: ['baseline'] });
  }
}

/**
 * The window rules every scheduled experiment obeys (create requests and offline scenarios alike):
 * an end or a duration, not both; 7–42 days; a baseline that ends by the start.
 */
export function windowRules(
  input: { start: string; end?: string; durationDays?: number; baseline?: { end: string } },
  ctx: z.core.$RefinementCtx,
): void {
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
}

/** POST /experiments body: a scheduled experiment with a start and either an end or a duration. */
export const CreateExperimentSchema = z
  .strictObject({
    ...descriptive,
    start: z.described(instant, `When the window starts: a date (00:00 UTC), a date-time, today or tomorrow`),
    end: z.described(z.optional(instant), 'Exclusive end of the window (or give durationDays, not both)'),
    durationDays: z.described(z.optional(z.number().check(z.int(), z.gte(MIN_WINDOW_DAYS), z.lte(MAX_WINDOW_DAYS))), `Window length in days, ${MIN_WINDOW_DAYS}–${MAX_WINDOW_DAYS} (or give end)`),
    ...designFields,
  }).check(z.superRefine(windowRules), z.superRefine(designRules));
export type CreateExperimentInput = z.input<typeof CreateExperimentSchema>;
export type CreateExperiment = z.output<typeof CreateExperimentSchema>;

/** POST /backlog body: an idea with a planned duration but no window yet; the loop starts it by ICE score. */
export const BacklogItemSchema = z.strictObject({
  ...designFields,
  name: descriptive.name,
  hypothesis: descriptive.hypothesis,
  primaryMetric: descriptive.primaryMetric,
  decision: descriptive.decision,
  channel: descriptive.channel,
  tags: descriptive.tags,
  secondaryMetrics: descriptive.secondaryMetrics,
  iceScore: descriptive.iceScore,
  /** Window length once started (days). */
  durationDays: z.described(z._default(z.number().check(z.int(), z.gte(MIN_WINDOW_DAYS), z.lte(MAX_WINDOW_DAYS)), 14), `Window length in days once the loop starts it, ${MIN_WINDOW_DAYS}–${MAX_WINDOW_DAYS} (default 14)`),
}).check(z.superRefine(designRules));
export type BacklogItemInput = z.input<typeof BacklogItemSchema>;
export type BacklogItem = z.output<typeof BacklogItemSchema>;

/** POST /experiments/{id}/start body: when a backlog item's window begins (default: now). */
export const StartExperimentSchema = z.strictObject({ start: z.optional(instant) });

/** POST /experiments/{id}/abandon body. */
export const AbandonExperimentSchema = z.strictObject({ reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))) });

/**
 * PATCH /experiments/{id} body. Which fields a status accepts is decided by `updateExperiment`:
 * backlog and planned items take any field but learnings; concluded and abandoned ones only learnings.
 */
export const UpdateExperimentSchema = z
  .strictObject({
    name: z.optional(descriptive.name),
    hypothesis: z.optional(descriptive.hypothesis),
    primaryMetric: z.optional(descriptive.primaryMetric),
    decision: z.optional(z.partial(DecisionRuleSchema)),
    /** null removes an explicit baseline (back to the default: the same length before the window). */
    baseline: z.optional(z.nullable(PeriodSchema)),
    channel: descriptive.channel,
    tags: descriptive.tags,
    secondaryMetrics: descriptive.secondaryMetrics,
    iceScore: z.optional(IceScoreSchema),
    start: z.optional(instant),
    end: z.optional(instant),
    durationDays: z.optional(z.number().check(z.int(), z.gte(MIN_WINDOW_DAYS), z.lte(MAX_WINDOW_DAYS))),
    /** What the team learned, added after the verdict (markdown welcome). */
    learnings: z.optional(z.string().check(z.trim(), z.maxLength(10_000))),
    /** The version you read (GET): the change is refused with a 409 if the experiment changed since. */
    version: z.optional(z.number().check(z.int(), z.positive())),
  }).check(z.refine((u) => Object.keys(u).length > 0, { message: 'Give at least one field to change' }));
export type ExperimentUpdate = z.output<typeof UpdateExperimentSchema>;

export { EXPERIMENT_STATUSES, type ExperimentStatus };

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
  /** 'loop' when the scheduler started it from the backlog to keep the target filled. */
  startedBy?: 'user' | 'loop';
  /** Each lengthening of the window before it ended (verdict extend); the verdict's bar is raised for them. */
  extensions?: WindowExtension[];
  /** Absent means before_after. */
  design?: ExperimentDesignKind;
  /** switchback: how the schedule was drawn and the schedule itself (empty until the window is set). */
  switchback?: SwitchbackDesign;
  /** post_variants: arms, marker, seed and draws so far. */
  postVariants?: PostVariantsDesign;
  createdAt: string;
  updatedAt: string;
  concludedAt?: string;
  abandonedAt?: string;
  abandonReason?: string;
  /** What the window can detect, computed from the metric's history at create and again at start. */
  plan?: StoredPlan;
  /** Set by the store: 1 when created, +1 on every write; every write is conditional on the version read. */
  version?: number;
}

export const DEFAULT_DECISION: DecisionRule = { minLift: 0, confidence: 0.95 };

/**
 * What a randomized design needs from outside the pure domain: a seed for its draw (used when the
 * request names none) and the time zone its days are counted in (when the request names none).
 */
export interface DesignDefaults { seed: number; timeZone: string }

const FALLBACK_DEFAULTS: DesignDefaults = { seed: 1, timeZone: 'UTC' };

/** Builds the stored experiment for a validated create request at time `now`. */
/**
 * `scheduledNow`: the experiments already planned or running (any metric; only switchbacks on the
 * same metric family matter): a switchback switching daily is drawn balanced against theirs.
 */
export function newExperiment(
  input: CreateExperiment, id: string, now: Date, defaults: DesignDefaults = FALLBACK_DEFAULTS, scheduledNow: readonly Experiment[] = [],
): Experiment {
  const nowIso = now.toISOString();
  return { ...scheduled(input, now, designOf(input, defaults), concurrentSchedules(input.primaryMetric, id, scheduledNow)), id, createdAt: nowIso, updatedAt: nowIso };
}

/**
 * The schedules a new switchback on `metric` is drawn balanced against: the other planned or running
 * switchbacks on the same metric family (newSwitchbackDesign keeps those overlapping its dates).
 */
export function concurrentSchedules(metric: string, id: string, scheduledNow: readonly Experiment[]): ConcurrentSchedule[] {
  const family = metricFamilyKey(metric);
  return scheduledNow
    .filter((o) => o.id !== id && o.design === 'switchback' && o.switchback && o.switchback.schedule.length > 0 &&
      (o.status === 'planned' || o.status === 'running') && metricFamilyKey(o.primaryMetric) === family)
    .map((o) => ({ experimentId: o.id, schedule: o.switchback!.schedule }));
}

/** Builds the stored backlog item for a validated backlog request at time `now`. */
export function newBacklogItem(input: BacklogItem, id: string, now: Date, defaults: DesignDefaults = FALLBACK_DEFAULTS): Experiment {
  const nowIso = now.toISOString();
  return {
    id,
    ...describe(input),
    ...designOf(input, defaults),
    status: 'backlog',
    durationDays: input.durationDays,
    createdAt: nowIso,
    updatedAt: nowIso,
  };
}

type DesignPart = Pick<Experiment, 'design' | 'switchback' | 'postVariants'>;

/** The stored design of a request: a switchback's schedule is still empty (drawn once the window is known). */
function designOf(input: Pick<CreateExperiment, 'design' | 'switchback' | 'postVariants'>, defaults: DesignDefaults): DesignPart {
  if (input.design === 'switchback') {
    const o = SwitchbackOptionsSchema.parse(input.switchback ?? {});
    return {
      design: 'switchback',
      switchback: { blockDays: o.blockDays, washoutDays: o.washoutDays, seed: o.seed ?? defaults.seed, timeZone: o.timeZone ?? defaults.timeZone, schedule: [] },
    };
  }
  if (input.design === 'post_variants' && input.postVariants) {
    return { design: 'post_variants', postVariants: newPostVariantsDesign({ ...input.postVariants, seed: input.postVariants.seed ?? defaults.seed }) };
  }
  return input.design ? { design: input.design } : {};
}

/**
 * A switchback's window in whole local days: the start moves to the nearest local midnight, the end
 * is that many local days later, and the schedule is drawn over those dates with the stored seed.
 */
function withSwitchbackWindow(
  e: DesignPart & { start: string; end: string }, concurrent: readonly ConcurrentSchedule[] = [],
): DesignPart & { start: string; end: string; durationDays: number } {
  const days = Math.max(1, Math.round((Date.parse(e.end) - Date.parse(e.start)) / DAY_MS));
  if (e.design !== 'switchback' || !e.switchback) return { ...e, durationDays: days };
  const tz = e.switchback.timeZone;
  const start = nearestLocalMidnight(e.start, tz);
  const end = localMidnight(addDays(localDateOf(start, tz), days), tz);
  const switchback = newSwitchbackDesign(e.switchback, start.toISOString(), days, concurrent);
  return { ...e, start: start.toISOString(), end: end.toISOString(), durationDays: days, switchback };
}

type Described = Pick<Experiment, 'name' | 'hypothesis' | 'primaryMetric' | 'decision' | 'channel' | 'tags' | 'secondaryMetrics' | 'iceScore'>;

function describe(input: Omit<BacklogItem, 'durationDays'>): Described {
  return {
    name: input.name,
    hypothesis: input.hypothesis,
    primaryMetric: input.primaryMetric,
    decision: { ...DEFAULT_DECISION, ...input.decision },
    ...(input.channel && { channel: input.channel }),
    ...(input.tags && { tags: input.tags }),
    ...(input.secondaryMetrics && { secondaryMetrics: input.secondaryMetrics }),
    ...(input.iceScore && { iceScore: input.iceScore }),
  };
}

/** The descriptive fields and window of a scheduled experiment; running once its start has passed. */
function scheduled(input: CreateExperiment, now: Date, design: DesignPart, concurrent: readonly ConcurrentSchedule[] = []): Omit<Experiment, 'id' | 'createdAt' | 'updatedAt'> {
  const requestedEnd = input.end ?? new Date(Date.parse(input.start) + (input.durationDays as number) * DAY_MS).toISOString();
  const window = withSwitchbackWindow({ ...design, start: input.start, end: requestedEnd }, concurrent);
  return {
    ...describe(input),
    ...window,
    status: Date.parse(window.start) <= now.getTime() ? 'running' : 'planned',
    ...(input.baseline && { baseline: input.baseline }),
  };
}

/**
 * The last instant inside a window (`end` is exclusive): every display of a window's last day — CLI,
 * demo table, digest, dashboard — names the day of this instant, so they agree for the same window.
 */
export function lastInstantOf(end: string): Date {
  return new Date(Date.parse(end) - 1);
}

/** The last calendar day (YYYY-MM-DD, UTC) a window ending (exclusively) at `end` covers. */
export function lastDayOfWindow(end: string): string {
  return lastInstantOf(end).toISOString().slice(0, 10);
}

/** Whether the experiment's window has ended at `now` and it still awaits a verdict. */
export function isDueForScoring(e: Experiment, now: Date): boolean {
  return (e.status === 'running' || e.status === 'planned') && e.end !== undefined && Date.parse(e.end) <= now.getTime();
}

/** ICE score as the product impact × confidence × ease (1–1000); undefined when not scored. */
export function iceProduct(ice: IceScore | undefined): number | undefined {
  return ice ? ice.impact * ice.confidence * ice.ease : undefined;
}

// ── Lifecycle ───────────────────────────────────────────────────────────────────────────────────

/** Every legal status change. concluded and abandoned are final. */
export const TRANSITIONS: Readonly<Record<ExperimentStatus, readonly ExperimentStatus[]>> = {
  backlog: ['planned', 'running', 'abandoned'],
  planned: ['running', 'concluded', 'abandoned'],
  running: ['concluded', 'abandoned'],
  concluded: [],
  abandoned: [],
};

export function canTransition(from: ExperimentStatus, to: ExperimentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export interface FieldProblem { path: string; message: string }

/**
 * The outcome of a lifecycle action: the experiment to store, a conflict with its current state
 * (HTTP 409, with a reason a user can act on), or input that is invalid for this experiment (400).
 */
export type LifecycleOutcome =
  | { kind: 'ok'; experiment: Experiment }
  | { kind: 'conflict'; reason: string }
  | { kind: 'invalid'; issues: FieldProblem[] };

function illegal(e: Experiment, to: ExperimentStatus, why: string): LifecycleOutcome {
  return { kind: 'conflict', reason: `Cannot move ${e.id} from ${e.status} to ${to}: ${why}` };
}

/**
 * backlog → planned (start in the future) or running (start now or past). Default start: `now`.
 * `scheduledNow`: the experiments already planned or running (see newExperiment).
 */
export function startExperiment(
  e: Experiment, now: Date, options: { start?: string; by?: 'user' | 'loop'; scheduledNow?: readonly Experiment[] } = {},
): LifecycleOutcome {
  const start = options.start ?? now.toISOString();
  const to: ExperimentStatus = Date.parse(start) <= now.getTime() ? 'running' : 'planned';
  if (e.status !== 'backlog') {
    return illegal(e, to, e.status === 'planned' || e.status === 'running'
      ? 'it is already scheduled; change its start with PATCH while it is planned'
      : `it is ${e.status}, which is final`);
  }
  const window = withSwitchbackWindow(
    { ...e, start, end: new Date(Date.parse(start) + e.durationDays * DAY_MS).toISOString() }, concurrentSchedules(e.primaryMetric, e.id, options.scheduledNow ?? []),
  );
  const status: ExperimentStatus = Date.parse(window.start) <= now.getTime() ? 'running' : 'planned';
  return { kind: 'ok', experiment: { ...e, ...window, status, startedBy: options.by ?? 'user', updatedAt: now.toISOString() } };
}

/** planned → running once its start has passed (the scheduler's promotion); undefined when not due. */
export function promoteIfStarted(e: Experiment, now: Date): Experiment | undefined {
  if (e.status !== 'planned' || !e.start || !e.end) return undefined;
  const t = now.getTime();
  if (Date.parse(e.start) > t || Date.parse(e.end) <= t) return undefined;
  return { ...e, status: 'running', updatedAt: now.toISOString() };
}

/**
 * Abandons a backlog, planned or running experiment: the record stays, it is never scored. A running
 * experiment whose window has already ended cannot be abandoned: its verdict is due.
 */
export function abandonExperiment(e: Experiment, now: Date, reason?: string): LifecycleOutcome {
  if (!canTransition(e.status, 'abandoned')) return illegal(e, 'abandoned', `it is ${e.status}, which is final`);
  if (e.status !== 'backlog' && e.end && Date.parse(e.end) <= now.getTime()) {
    return illegal(e, 'abandoned', 'its window has ended and the verdict is due at the next scorer run');
  }
  const nowIso = now.toISOString();
  return { kind: 'ok', experiment: { ...e, status: 'abandoned', abandonedAt: nowIso, updatedAt: nowIso, ...(reason && { abandonReason: reason }) } };
}

/** Only experiments that never started (backlog or planned) can be deleted; others are abandoned instead. */
export function checkDeletable(e: Experiment): { ok: true } | { ok: false; reason: string } {
  if (e.status === 'backlog' || e.status === 'planned') return { ok: true };
  return {
    ok: false,
    reason: e.status === 'running'
      ? `Cannot delete ${e.id}: it is running; abandon it instead (the record is kept, it is never scored)`
      : `Cannot delete ${e.id}: it is ${e.status}, and the research log keeps every experiment that ran`,
  };
}

const EDITABLE_BEFORE_START: readonly (keyof ExperimentUpdate)[] = [
  'name', 'hypothesis', 'primaryMetric', 'decision', 'baseline', 'channel', 'tags', 'secondaryMetrics', 'iceScore', 'start', 'end', 'durationDays',
];

/**
 * Applies a PATCH. backlog items: descriptive fields, ICE and duration; planned: also the window
 * (re-validated like a create; a start that has passed makes it running); concluded and abandoned:
 * learnings only; running: nothing (its window and metric are fixed — abandon it instead).
 * `scheduledNow`: the experiments already planned or running (a planned switchback's schedule is
 * drawn again, balanced against theirs; see newExperiment).
 */
export function updateExperiment(e: Experiment, update: ExperimentUpdate, now: Date, scheduledNow: readonly Experiment[] = []): LifecycleOutcome {
  // `version` is the caller's precondition (checked by the route), not a field to change.
  const fields = (Object.keys(update) as (keyof ExperimentUpdate)[]).filter((f) => f !== 'version');
  const nowIso = now.toISOString();
  if (e.status === 'running') {
    return { kind: 'conflict', reason: `Cannot change ${e.id} while it is running: its window and metric are fixed; abandon it and create a new one` };
  }
  if (e.status === 'concluded' || e.status === 'abandoned') {
    const others = fields.filter((f) => f !== 'learnings');
    if (others.length > 0) return { kind: 'conflict', reason: `Cannot change ${others.join(', ')} of ${e.id}: it is ${e.status}; only learnings can be added` };
    return { kind: 'ok', experiment: { ...e, ...(update.learnings ? { learnings: update.learnings } : { learnings: undefined }), updatedAt: nowIso } };
  }
  if (fields.includes('learnings')) {
    return { kind: 'conflict', reason: `Cannot add learnings to ${e.id} yet: learnings are added after the verdict` };
  }
  const described = {
    name: update.name ?? e.name,
    hypothesis: update.hypothesis ?? e.hypothesis,
    primaryMetric: update.primaryMetric ?? e.primaryMetric,
    decision: { ...e.decision, ...update.decision },
    channel: update.channel ?? e.channel,
    tags: update.tags ?? e.tags,
    secondaryMetrics: update.secondaryMetrics ?? e.secondaryMetrics,
    iceScore: update.iceScore ?? e.iceScore,
  };
  if (e.status === 'backlog') {
    const windowFields = (['start', 'end', 'baseline'] as const).filter((f) => fields.includes(f));
    if (windowFields.length > 0) {
      return { kind: 'conflict', reason: `Cannot set ${windowFields.join(', ')} on backlog item ${e.id}: start it (POST /experiments/${e.id}/start) to give it a window` };
    }
    const parsed = BacklogItemSchema.safeParse({ ...described, ...designOptionsOf(e), durationDays: update.durationDays ?? e.durationDays });
    if (!parsed.success) return { kind: 'invalid', issues: problems(parsed.error) };
    return { kind: 'ok', experiment: { ...withoutDescribed(e), ...keepDraws(newBacklogItem(parsed.data, e.id, now), e), createdAt: e.createdAt } };
  }
  // planned: re-validate the whole experiment as if created now, keeping its id and creation time.
  const start = update.start ?? (e.start as string);
  // A new end or duration replaces the window's length; a new start alone shifts the window, keeping its length.
  const windowEnd = update.end !== undefined || update.durationDays !== undefined
    ? stripUndefined({ end: update.end, durationDays: update.durationDays })
    : update.start !== undefined ? { durationDays: e.durationDays } : { end: e.end };
  const baseline = update.baseline === null ? undefined : update.baseline ?? e.baseline;
  const parsed = CreateExperimentSchema.safeParse({ ...described, ...designOptionsOf(e), start, ...windowEnd, ...(baseline && { baseline }) });
  if (!parsed.success) return { kind: 'invalid', issues: problems(parsed.error) };
  const next = keepDraws(scheduled(parsed.data, now, designOf(parsed.data, FALLBACK_DEFAULTS), concurrentSchedules(parsed.data.primaryMetric, e.id, scheduledNow)), e);
  return { kind: 'ok', experiment: { ...withoutDescribed(e), ...next, id: e.id, createdAt: e.createdAt, updatedAt: nowIso, ...(next.status === 'running' && { startedBy: 'user' }) } };
}

/** A stored design as request options (seed and time zone included), so a PATCH redraws the same design. */
function designOptionsOf(e: Experiment): Pick<CreateExperimentInput, 'design' | 'switchback' | 'postVariants'> {
  if (e.design === 'switchback' && e.switchback) {
    const { blockDays, washoutDays, seed, timeZone } = e.switchback;
    return { design: 'switchback', switchback: { blockDays, washoutDays, seed, timeZone } };
  }
  if (e.design === 'post_variants' && e.postVariants) {
    const { arms, markerPrefix, seed } = e.postVariants;
    return { design: 'post_variants', postVariants: { arms, markerPrefix, seed } };
  }
  return e.design ? { design: e.design } : {};
}

/** Arm draws and hand tags survive a PATCH of a post-variant experiment. */
function keepDraws<T extends DesignPart>(next: T, e: Experiment): T {
  if (!next.postVariants || !e.postVariants) return next;
  return { ...next, postVariants: { ...next.postVariants, draws: e.postVariants.draws, ...(e.postVariants.taggedPosts && { taggedPosts: e.postVariants.taggedPosts }) } };
}

/** The fields a PATCH rebuilds, removed first so a cleared optional field does not survive the merge. */
function withoutDescribed(e: Experiment): Experiment {
  const copy: Partial<Experiment> = { ...e };
  for (const f of EDITABLE_BEFORE_START) delete (copy as Record<string, unknown>)[f];
  return copy as Experiment;
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function problems(error: z.core.$ZodError): FieldProblem[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

// ── Response shape (documentation) ──────────────────────────────────────────────────────────────

const isoString = z.described(z.string(), 'ISO-8601 date-time (UTC)');

/** A stored experiment as the API returns it; GET /openapi.json documents responses with it. */
export const ExperimentRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  hypothesis: z.string(),
  primaryMetric: z.string(),
  status: z.enum(EXPERIMENT_STATUSES),
  start: z.optional(isoString),
  end: z.optional(z.described(isoString, 'exclusive')),
  durationDays: z.number().check(z.int()),
  decision: z.object({ minLift: z.described(z.number(), 'Smallest lift that counts, as a fraction: 0.1 = +10 %'), confidence: z.described(z.number(), 'Required probability of improvement, 0.5–0.999') }),
  baseline: z.optional(z.object({ start: isoString, end: isoString })),
  channel: z.optional(z.string()),
  tags: z.optional(z.array(z.string())),
  secondaryMetrics: z.optional(z.array(z.string())),
  iceScore: z.optional(z.object({ impact: z.number().check(z.int()), confidence: z.number().check(z.int()), ease: z.number().check(z.int()) })),
  learnings: z.optional(z.string()),
  startedBy: z.optional(z.enum(['user', 'loop'])),
  extensions: z.described(z.optional(z.array(z.object({ at: z.string(), days: z.number().check(z.int()), fromEnd: z.string(), toEnd: z.string() }))), 'Each lengthening of the window before it ended; every extension raises the bar (see POST /experiments/{id}/extend)'),
  design: z.optional(z.enum(EXPERIMENT_DESIGNS)),
  switchback: z.optional(z.object({
    blockDays: z.number().check(z.int()),
    washoutDays: z.number().check(z.int()),
    seed: z.number().check(z.int()),
    timeZone: z.string(),
    schedule: z.array(z.object({ date: z.described(z.string(), 'YYYY-MM-DD in timeZone'), arm: z.enum(['treatment', 'control']), washout: z.optional(z.literal(true)) })),
    skips: z.optional(z.array(z.object({ date: z.string(), reason: z.optional(z.string()), recordedAt: isoString }))),
    stretches: z.described(z.optional(z.array(z.object({ from: z.number().check(z.int()), seed: z.number().check(z.int()) }))), 'Stretches of schedule appended by extend, each drawn from its own seed (derived from seed)'),
    balancedAgainst: z.described(
      z.optional(z.array(z.object({ experimentId: z.string(), arms: z.described(z.string(), 'Its arm on each date of the first stretch: T treatment, C control, - not scheduled') }))),
      'Switchbacks on the same metric scheduled when this one was drawn: the schedule was drawn balanced within their arms (half of each arm\'s days treatment), and each verdict\'s randomization test redraws it that way',
    ),
  })),
  postVariants: z.optional(z.object({
    arms: z.array(z.string()),
    markerPrefix: z.string(),
    seed: z.number().check(z.int()),
    draws: z.number().check(z.int()),
    taggedPosts: z.optional(z.record(z.string(), z.string())),
  })),
  createdAt: isoString,
  updatedAt: isoString,
  concludedAt: z.optional(isoString),
  abandonedAt: z.optional(isoString),
  abandonReason: z.optional(z.string()),
  plan: z.described(z.optional(StoredPlanSchema), 'What the window can detect at 80 % power, from the metric\'s history (computed at create and at start)'),
  version: z.optional(z.described(z.number().check(z.int()), '1 when created, +1 on every change; send it back in PATCH to refuse a change based on a stale read')),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time guard: the documented shape is exactly the Experiment interface. */
export const EXPERIMENT_RECORD_MATCHES_INTERFACE: Same<z.infer<typeof ExperimentRecordSchema>, Experiment> = true;

// ── Extending a window ──────────────────────────────────────────────────────────────────────────

/** One lengthening of a window, recorded with the experiment. */
export interface WindowExtension {
  at: string;
  days: number;
  fromEnd: string;
  toEnd: string;
}

/** Longest window an extension may reach (12 weeks): a small account may need more than 42 days. */
export const MAX_EXTENDED_WINDOW_DAYS = 84;

/** POST /experiments/{id}/extend body. */
export const ExtendExperimentSchema = z.strictObject({ days: z.described(z.number().check(z.int(), z.gte(1), z.lte(MAX_EXTENDED_WINDOW_DAYS - MIN_WINDOW_DAYS)), 'Days to add to the window') });

/**
 * Lengthens a planned or running window before it ends, by `days` (up to 12 weeks in all). Recorded in
 * `extensions`; scoring then requires confidence 1 − (1 − c)/(k + 1) after k extensions (Bonferroni over
 * the k + 1 ends the verdict could have been taken at), so extending after a promising peek cannot
 * raise the false-keep rate above 1 − c.
 */
export function extendExperiment(e: Experiment, days: number, now: Date): LifecycleOutcome {
  if (e.status !== 'running' && e.status !== 'planned') return { kind: 'conflict', reason: `Cannot extend ${e.id}: it is ${e.status}; only planned or running windows can be lengthened (verdict rerun starts a follow-up)` };
  if (!e.start || !e.end) return { kind: 'conflict', reason: `Cannot extend ${e.id}: it has no window` };
  if (Date.parse(e.end) <= now.getTime()) return { kind: 'conflict', reason: `Cannot extend ${e.id}: its window ended ${e.end.slice(0, 10)} and the verdict is due (verdict rerun starts a follow-up)` };
  const total = e.durationDays + days;
  if (total > MAX_EXTENDED_WINDOW_DAYS) return { kind: 'invalid', issues: [{ path: 'days', message: `the window would be ${total} days; at most ${MAX_EXTENDED_WINDOW_DAYS}` }] };
  // A switchback's window is whole local days: the new end is the local midnight `days` dates later, and the new dates get their own stretch of schedule.
  const switchback = e.design === 'switchback' && e.switchback && e.switchback.schedule.length > 0 ? extendSwitchbackDesign(e.switchback, days) : undefined;
  const lastDate = switchback?.schedule[switchback.schedule.length - 1]?.date;
  const toEnd = switchback && lastDate ? localMidnight(addDays(lastDate, 1), switchback.timeZone).toISOString() : new Date(Date.parse(e.end) + days * DAY_MS).toISOString();
  const extension: WindowExtension = { at: now.toISOString(), days, fromEnd: e.end, toEnd };
  return {
    kind: 'ok',
    experiment: { ...e, end: toEnd, durationDays: total, extensions: [...(e.extensions ?? []), extension], ...(switchback && { switchback }), updatedAt: now.toISOString() },
  };
}

/** The confidence a verdict needs after `extensions` lengthenings of the window (Bonferroni over the possible ends). */
export function confidenceAfterExtensions(confidence: number, extensions: number): number {
  return extensions > 0 ? 1 - (1 - confidence) / (extensions + 1) : confidence;
}
