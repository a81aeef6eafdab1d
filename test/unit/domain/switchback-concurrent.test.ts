/**
 * Two switchbacks on one metric: the second is drawn balanced within the first's arms (reproducibly
 * from its seed), and each one's randomization test redraws its schedule the way the pair could have
 * been drawn — the second within the first's arms, the first given the second's schedule.
 */
import { BacklogItemSchema, CreateExperimentSchema, newBacklogItem, newExperiment, startExperiment, updateExperiment, type Experiment } from '../../../functions/domain/experiment';
import { scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import { fitSwitchback, type SwitchbackDay } from '../../../functions/domain/scoring/switchback-analysis';
import {
  armCode, conditionalWeight, dependentSchedule, drawArms, prepareDesign, redrawSchedule, weekdayOf,
} from '../../../functions/domain/switchback';
import { SeededRandom } from '../../../functions/domain/seeded-random';
import { Rng } from '../../bench/random';
import { switchbackSeries } from '../../bench/switchback-synthetic';
import { aCreateRequest } from '../../support/factories';

const CREATED = new Date('2026-12-01T00:00:00Z');

function aSwitchback(id: string, seed: number, scheduledNow: Experiment[] = [], overrides: Record<string, unknown> = {}): Experiment {
  const input = CreateExperimentSchema.parse(aCreateRequest({
    start: '2026-12-07', durationDays: 28, design: 'switchback', switchback: { seed, timeZone: 'UTC' }, ...overrides,
  }));
  return { ...newExperiment(input, id, CREATED, undefined, scheduledNow), status: 'running' };
}

const treatmentDates = (e: Experiment) => new Set(e.switchback!.schedule.filter((d) => d.arm === 'treatment').map((d) => d.date));

describe('a second switchback on a metric', () => {
  it('is drawn balanced within the running one\'s arms: half of its treatment days and half of its control days', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const first = aSwitchback('exp_first', 1000 + seed);
      const second = aSwitchback('exp_second', seed, [first]);
      const firstTreated = treatmentDates(first);
      const secondTreated = treatmentDates(second);

      expect(second.switchback!.balancedAgainst).toEqual([{ experimentId: 'exp_first', arms: first.switchback!.schedule.map(armCode).join('') }]);
      const both = [...secondTreated].filter((d) => firstTreated.has(d)).length;
      expect(both).toBe(7);
      expect(secondTreated.size - both).toBe(7);
    }
  });

  it('is reproducible from its seed and the recorded arms, and differs with another seed', () => {
    const first = aSwitchback('exp_first', 42);
    const second = aSwitchback('exp_second', 7, [first]);

    expect(aSwitchback('exp_second', 7, [first])).toEqual(second);
    expect(redrawSchedule(second.switchback!)).toEqual(second.switchback!.schedule);
    expect(aSwitchback('exp_second', 8, [first]).switchback!.schedule).not.toEqual(second.switchback!.schedule);
    // Without a running switchback the same seed draws the ordinary weekday-balanced schedule.
    expect(aSwitchback('exp_second', 7).switchback!.balancedAgainst).toBeUndefined();
  });

  it('is drawn on its own when the other one is on another metric, or when it switches in blocks', () => {
    const first = aSwitchback('exp_first', 42);
    const otherMetric = aSwitchback('exp_second', 7, [first], { primaryMetric: 'bluesky.follower_growth_rate' });
    const blocks = aSwitchback('exp_third', 7, [first], { switchback: { seed: 7, timeZone: 'UTC', blockDays: 2 } });

    expect(otherMetric.switchback!.balancedAgainst).toBeUndefined();
    expect(blocks.switchback!.balancedAgainst).toBeUndefined();
  });
});

describe('every way a switchback gets its schedule', () => {
  it('balances one started from the backlog, and one whose planned window is changed, against the running one', () => {
    const first = aSwitchback('exp_first', 42);
    const idea = newBacklogItem(BacklogItemSchema.parse({
      name: 'Evening thread', hypothesis: 'An evening thread grows followers', primaryMetric: 'x.follower_growth_rate', durationDays: 28,
      design: 'switchback', switchback: { seed: 5, timeZone: 'UTC' },
    }), 'exp_idea', CREATED);

    const started = startExperiment(idea, CREATED, { start: '2026-12-07T00:00:00.000Z', scheduledNow: [first] });
    if (started.kind !== 'ok') throw new Error(started.kind);
    expect(started.experiment.switchback!.balancedAgainst?.[0].experimentId).toBe('exp_first');

    const moved = updateExperiment(started.experiment, { start: '2026-12-08T00:00:00.000Z' }, CREATED, [first]);
    if (moved.kind !== 'ok') throw new Error(moved.kind);
    const firstTreated = treatmentDates(first);
    const overlap = moved.experiment.switchback!.schedule.filter((d) => firstTreated.has(d.date));
    expect(moved.experiment.switchback!.balancedAgainst?.[0].experimentId).toBe('exp_first');
    const treated = overlap.filter((d) => d.arm === 'treatment').length;
    expect([Math.floor(overlap.length / 2), Math.ceil(overlap.length / 2)]).toContain(treated);
  });
});

describe('the first switchback\'s test, given a second drawn against it', () => {
  it('conditions on the second even after the second was abandoned', () => {
    const sim = switchbackSeries(new Rng(3), { gainsPerDay: () => 10, lift: 0, windowDays: 28, concurrentLifts: [0.3], concurrency: 'first' });
    const abandoned = { ...sim.others[0], status: 'abandoned' as const };

    const verdict = scoreExperiment(sim.experiment, sim.observations, { now: sim.now, otherExperiments: [abandoned], permutations: 99 });

    expect(verdict.switchback?.randomization?.conditionedOn).toEqual([abandoned.id]);
    expect(verdict.switchback?.regression?.otherExperiments).toEqual([]);
  });

  it('accepts only redrawn schedules the second could have been balanced against', () => {
    const first = aSwitchback('exp_first', 42);
    const second = aSwitchback('exp_second', 7, [first]);
    const dependent = dependentSchedule({ id: first.id, design: first.switchback! }, { id: second.id, design: second.switchback! })!;
    const armsOf = (e: Experiment) => e.switchback!.schedule.map((d) => (d.arm === 'treatment' ? 1 : 0));
    const secondArms = armsOf(second);

    expect(conditionalWeight(dependent, 28, (i) => armsOf(first)[i])).toBe(1);
    const design = prepareDesign(first.switchback!.schedule.map((d) => d.date), 1);
    const rng = new SeededRandom(5);
    let accepted = 0;
    for (let k = 0; k < 400; k++) {
      const arms = drawArms(design, rng);
      const w = conditionalWeight(dependent, 28, (i) => arms[i]);
      const splitsEvenly = secondArms.filter((a, i) => a === 1 && arms[i] === 1).length === 7;
      expect(w).toBe(splitsEvenly ? 1 : 0);
      if (w > 0) accepted++;
    }
    expect(accepted).toBeGreaterThan(20);
    expect(accepted).toBeLessThan(380);
  });

  it('no longer conditions on a second whose record of its arms is stale', () => {
    const first = aSwitchback('exp_first', 42);
    const second = aSwitchback('exp_second', 7, [first]);
    const redrawn = aSwitchback('exp_first', 43);

    expect(dependentSchedule({ id: first.id, design: redrawn.switchback! }, { id: second.id, design: second.switchback! })).toBeUndefined();
    expect(dependentSchedule({ id: second.id, design: second.switchback! }, { id: first.id, design: first.switchback! })).toBeUndefined();
  });
});

/** Null growth for `tested` (Poisson around a trend), the other switchback's +50 % on its treatment days. */
function nullDays(rng: Rng, tested: Experiment, other: Experiment): SwitchbackDay[] {
  const otherTreated = treatmentDates(other);
  return tested.switchback!.schedule.map((d, index) => {
    const lifted = otherTreated.has(d.date) ? 1 : 0;
    return {
      date: d.date, index, weekday: weekdayOf(d.date), arm: d.arm, washout: false, skipped: false, others: [lifted],
      value: rng.poisson((6 + (8 * index) / 27) * (1 + 0.5 * lifted)),
    };
  });
}

describe('false keeps of two switchbacks on one metric', () => {
  const RUNS = 200;
  const bound = 0.05 + 2.5 * Math.sqrt((0.05 * 0.95) / RUNS);

  it.each(['first', 'second'] as const)('stay at the 5 %% level for the %s one while the other one works', (role) => {
    const rng = new Rng(role === 'first' ? 101 : 202);
    let keeps = 0;
    let conditioned = 0;
    for (let run = 0; run < RUNS; run++) {
      const first = aSwitchback('exp_first', 1 + rng.int(2_000_000_000));
      const second = aSwitchback('exp_second', 1 + rng.int(2_000_000_000), [first]);
      const [tested, other] = role === 'first' ? [first, second] : [second, first];
      const dependent = dependentSchedule({ id: tested.id, design: tested.switchback! }, { id: other.id, design: other.switchback! });
      const fit = fitSwitchback({
        days: nullDays(rng, tested, other), design: tested.switchback!, others: [other.id], dependents: dependent ? [dependent] : [], permutations: 99,
      })!;
      if (fit.conditionedOn.length || fit.balancedAgainst.length) conditioned++;
      if (fit.pImprovement <= 0.05) keeps++;
    }

    expect(conditioned).toBe(RUNS);
    expect(keeps / RUNS).toBeLessThanOrEqual(bound);
    expect(keeps / RUNS).toBeGreaterThan(0.01);
  });
});
