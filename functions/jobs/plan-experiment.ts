/**
 * The plan before an experiment starts: reads the metric's history and the experiments that could
 * overlap, runs the pure planner, and adds the warnings a user should see at create and at start —
 * no collector for the metric, no data yet, another experiment on the same metric in the window,
 * too little history for the baseline. Nothing is stored here; the routes store the plan with the
 * experiment.
 */
import type { Experiment } from '../domain/experiment';
import { parseMetricKey } from '../domain/metric-catalog';
import { countSnapshots } from '../domain/metrics/daily-series';
import { planSwitchback, snapshotBlur } from '../domain/planning/switchback-plan';
import { MAX_DEFAULT_BASELINE_DAYS, noiseProfile, planExperiment, type PlanWarning, type StoredPlan } from '../domain/planning/power-plan';
import { overlappingExperiments } from '../domain/scoring/score-experiment';
import { sourceSettings, targetName, type AppConfig, type SourceName } from '../shared/app-config';
import { SOURCE_OUTPUTS } from '../sources/collector-entries';
import type { ExperimentStore } from '../store/experiment-store';
import type { ObservationStore } from '../store/observation-store';
import type { RunStore } from '../store/run-store';
import { type CollectorReadiness, readinessFromRuns } from './collector-readiness';

const DAY_MS = 86_400_000;

/** What a plan is made for: an experiment-to-be (create body) or a stored one (start, backlog). */
export interface PlanRequest {
  id?: string;
  primaryMetric: string;
  /** Planned start (ISO); default now. */
  start?: string;
  durationDays: number;
  baseline?: { start: string; end: string };
  decision?: { minLift?: number; confidence?: number };
  /** Lift to size the window for (default +50 %, or 2 × minLift when larger). */
  targetLift?: number;
  /** A switchback: its blocks, washout and time zone (the plan then adds the switchback's own power). */
  switchback?: { blockDays: number; washoutDays: number; timeZone?: string };
}

/** The plan request of a stored experiment (its window from `start`, default now for a backlog item). */
export function planRequestOfExperiment(e: Experiment, start?: string): PlanRequest {
  return {
    id: e.id, primaryMetric: e.primaryMetric, durationDays: e.durationDays,
    ...((start ?? e.start) && { start: start ?? e.start }),
    ...(e.baseline && { baseline: e.baseline }), ...(e.decision && { decision: e.decision }),
    ...(e.design === 'switchback' && {
      switchback: { blockDays: e.switchback?.blockDays ?? 1, washoutDays: e.switchback?.washoutDays ?? 0, ...(e.switchback?.timeZone && { timeZone: e.switchback.timeZone }) },
    }),
  };
}

export interface PlanDeps {
  experiments: Pick<ExperimentStore, 'listAll' | 'listEndingAfter'>;
  observations: Pick<ObservationStore, 'queryMany'>;
  config: Pick<AppConfig, 'sources'>;
  /** Whether an enabled source can collect (credentials at hand); default: its last recorded run, from `runs`. */
  collectorReadiness?: CollectorReadiness;
  runs?: Pick<RunStore, 'recentRuns'>;
}

/**
 * Sources whose collector feeds `metric` (an empty list: none is known for it), named with the metric's
 * account (`x@acme`), and whether one of them is enabled for that account.
 */
function sourcesFor(metric: string, config: Pick<AppConfig, 'sources'>): { names: string[]; enabled: SourceName[]; account?: string } {
  const parsed = parseMetricKey(metric);
  const observed = parsed?.definition.from ?? [];
  const feeding = (Object.keys(SOURCE_OUTPUTS) as SourceName[]).filter((n) => SOURCE_OUTPUTS[n].some((m) => observed.includes(m)));
  return {
    names: feeding.map((source) => targetName({ source, account: parsed?.account })),
    enabled: feeding.filter((source) => sourceSettings(config, source, parsed?.account)?.enabled === true),
    ...(parsed?.account !== undefined && { account: parsed.account }),
  };
}

/**
 * The no_collector warning: none enabled, or every enabled one unable to collect (no credentials, or
 * refused at its last run). Undefined when one can (or none can be told apart from one that can).
 */
async function noCollectorWarning(metric: string, deps: PlanDeps): Promise<PlanWarning | undefined> {
  const sources = sourcesFor(metric, deps.config);
  if (sources.enabled.length === 0) {
    return {
      code: 'no_collector',
      message: `No collector is enabled for ${metric} (${sources.names.join(', ') || 'no source'}): enable one in the config, or import its history (verdict import), or the verdict will find no data.`,
    };
  }
  const readiness = deps.collectorReadiness ?? (deps.runs ? readinessFromRuns(deps.runs) : undefined);
  if (!readiness) return undefined;
  const reasons = await Promise.all(sources.enabled.map((source) => readiness(source, sources.account)));
  if (reasons.some((r) => r === undefined)) return undefined;
  const named = sources.enabled.map((source, i) => `the ${targetName({ source, account: sources.account })} collector ${reasons[i]}`).join('; ');
  return {
    code: 'no_collector',
    message: `Nothing will be collected for ${metric}: ${named}. Set them, or import the window's data as well (verdict import): without either the verdict will find none.`,
  };
}

/** The plan for `request` at `now`, with create/start warnings. */
export async function planFor(request: PlanRequest, now: Date, deps: PlanDeps): Promise<StoredPlan> {
  const parsed = parseMetricKey(request.primaryMetric);
  const startMs = request.start ? Date.parse(request.start) : now.getTime();
  const historyEnd = new Date(Math.min(startMs, now.getTime()));
  const since = new Date(startMs - (MAX_DEFAULT_BASELINE_DAYS + 2) * DAY_MS).toISOString();
  const [observations, planned, running, concluded, collector] = await Promise.all([
    parsed ? deps.observations.queryMany(parsed.definition.from, since, historyEnd.toISOString(), parsed.account) : Promise.resolve([]),
    deps.experiments.listAll('planned'),
    deps.experiments.listAll('running'),
    deps.experiments.listEndingAfter('concluded', since),
    noCollectorWarning(request.primaryMetric, deps),
  ]);
  const others = [...planned, ...running, ...concluded].filter((o) => o.id !== request.id);
  const decision = { minLift: request.decision?.minLift ?? 0, confidence: request.decision?.confidence ?? 0.95 };
  const plan = planExperiment({
    metric: request.primaryMetric,
    observations,
    start: new Date(startMs),
    windowDays: request.durationDays,
    ...(request.baseline && { baseline: request.baseline }),
    confidence: decision.confidence,
    minLift: decision.minLift,
    ...(request.targetLift !== undefined && { targetLift: request.targetLift }),
    otherExperiments: others,
    ...(request.id && { experimentId: request.id }),
  });
  const warnings: PlanWarning[] = [];
  if (collector) warnings.push(collector);
  const window = { start: new Date(startMs).toISOString(), end: new Date(startMs + request.durationDays * DAY_MS).toISOString() };
  const probe = { id: request.id ?? '', name: '', hypothesis: '', primaryMetric: request.primaryMetric, status: 'planned', durationDays: request.durationDays } as Experiment;
  // Switchbacks randomize independently: only experiments of other designs confound one.
  const overlaps = overlappingExperiments(probe, window, request.switchback ? others.filter((o) => o.design !== 'switchback') : others);
  if (overlaps.length > 0) {
    warnings.push({
      code: 'overlapping_experiment',
      message: `${overlaps.length === 1 ? 'Another experiment' : `${overlaps.length} other experiments`} on the same metric ${overlaps.length === 1 ? 'overlaps' : 'overlap'} this window: ` +
        // The last day, as every other place names a window (end is exclusive).
        `${overlaps.slice(0, 3).map((o) => `"${o.name}" (${o.id}, ${o.start!.slice(0, 10)} to ${new Date(Date.parse(o.end!) - 1).toISOString().slice(0, 10)})`).join(', ')}; their effects would be mixed into this verdict.`,
      experimentIds: overlaps.slice(0, 5).map((o) => o.id),
    });
  }
  const profile = request.switchback && plan.expectedLevel !== null ? noiseProfile(request.primaryMetric, observations, new Date(startMs), request.durationDays) : undefined;
  // The days will be read off the same collector's snapshots: how much a switch between them blurs.
  const snapshots = parsed && request.switchback ? countSnapshots(observations, parsed.definition.from[0], parsed.series).map((c) => c.atMs) : [];
  const shape = request.switchback && { ...request.switchback, blur: snapshotBlur(snapshots, request.switchback.timeZone ?? 'UTC') };
  const switchback = profile && shape && profile.kind === 'count_rate' && profile.level > 0
    ? planSwitchback(profile, request.durationDays, plan.targetLift, decision, shape, plan.baselineDays)
    : undefined;
  // A switchback's power is its own: the before/after "underpowered" warning is replaced by the switchback's.
  const planWarnings = switchback ? plan.warnings.filter((w) => w.code !== 'underpowered') : plan.warnings;
  if (switchback && switchback.powerAtTarget < 0.8) {
    planWarnings.push({
      code: 'underpowered',
      message: `This ${request.durationDays}-day switchback has ${Math.round(switchback.powerAtTarget * 100)} % power for +${Math.round(plan.targetLift * 100)} %. ${switchback.proposed?.sentence ?? ''}`.trim(),
    });
  }
  return { ...plan, ...(switchback && { switchback }), computedAt: now.toISOString(), warnings: [...warnings, ...planWarnings] };
}
