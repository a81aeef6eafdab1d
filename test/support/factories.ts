/** Test data builders with overrides: anExperiment({ durationDays: 7 }), followerSnapshots(...). */
import type { CreateExperimentInput, Experiment } from '../../functions/domain/experiment';
import type { Observation } from '../../functions/domain/observation';

const DAY = 86_400_000;

export function aCreateRequest(overrides: Partial<CreateExperimentInput> = {}): CreateExperimentInput {
  return {
    name: 'Daily build-in-public thread',
    hypothesis: 'A daily thread grows followers faster than single posts',
    primaryMetric: 'x.follower_growth_rate',
    start: '2026-11-01T00:00:00.000Z',
    durationDays: 14,
    ...overrides,
  };
}

/** The one experiment factory: a valid id (the API's `exp_…` pattern), a running 14-day window. */
export function anExperiment(overrides: Partial<Experiment> = {}): Experiment {
  return {
    id: 'exp_test0001',
    name: 'Daily build-in-public thread',
    hypothesis: 'A daily thread grows followers faster than single posts',
    primaryMetric: 'x.follower_growth_rate',
    status: 'running',
    start: '2026-11-01T00:00:00.000Z',
    end: '2026-11-15T00:00:00.000Z',
    durationDays: 14,
    decision: { minLift: 0, confidence: 0.95 },
    createdAt: '2026-10-30T00:00:00.000Z',
    updatedAt: '2026-10-30T00:00:00.000Z',
    ...overrides,
  };
}

/** Snapshots every `everyHours` from `from` to `to` of a count growing `perDay(t)` (deterministic). */
export function followerSnapshots(options: { from: string; to: string; start?: number; perDay: (t: Date) => number; everyHours?: number; metric?: 'x.followers' | 'newsletter.subscribers' | 'bluesky.followers' }): Observation[] {
  const step = (options.everyHours ?? 6) * 3_600_000;
  const out: Observation[] = [];
  let value = options.start ?? 1000;
  for (let t = Date.parse(options.from); t <= Date.parse(options.to); t += step) {
    out.push({ metric: options.metric ?? 'x.followers', at: new Date(t).toISOString(), value: Math.round(value), source: 'x' });
    value += (options.perDay(new Date(t)) * step) / DAY;
  }
  return out;
}
