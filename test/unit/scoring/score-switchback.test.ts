/** Switchback verdicts: randomization test for the decision, regression for the effect, carryover, concurrent switchbacks, skips. */
import { CreateExperimentSchema, newExperiment, type Experiment } from '../../../functions/domain/experiment';
import { planLoop } from '../../../functions/domain/loop';
import type { Observation } from '../../../functions/domain/observation';
import { scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import { interimReadout } from '../../../functions/domain/scoring/interim';
import { recordSkip } from '../../../functions/domain/switchback';
import { Rng } from '../../bench/random';
import { switchbackSeries } from '../../bench/switchback-synthetic';
import { aCreateRequest, anExperiment } from '../../support/factories';

const DAY = 86_400_000;

function aSwitchback(overrides: Record<string, unknown> = {}, id = 'exp_sb'): Experiment {
  const input = CreateExperimentSchema.parse(aCreateRequest({
    start: '2026-11-02', durationDays: 28, design: 'switchback', switchback: { seed: 17, timeZone: 'UTC' }, ...overrides,
  }));
  return { ...newExperiment(input, id, new Date('2026-11-01T00:00:00Z')), status: 'running' };
}

/** Hourly follower counts: `perDay(dayIndex, isTreatment)` followers spread evenly over each window day. */
function hourlyCounts(e: Experiment, perDay: (i: number, treated: boolean) => number): Observation[] {
  const out: Observation[] = [];
  let value = 1000;
  const startMs = Date.parse(e.start!);
  e.switchback!.schedule.forEach((d, i) => {
    for (let h = 0; h < 24; h++) {
      out.push({ metric: 'x.followers', at: new Date(startMs + i * DAY + h * 3_600_000).toISOString(), value: Math.round(value), source: 'x' });
      value += perDay(i, d.arm === 'treatment') / 24;
    }
  });
  out.push({ metric: 'x.followers', at: e.end!, value: Math.round(value), source: 'x' });
  return out;
}

const AFTER = (e: Experiment) => ({ now: new Date(Date.parse(e.end!) + 2 * DAY), permutations: 500 });

describe('switchback verdicts', () => {
  it('keeps a clear lift, with the randomization test behind the decision and the regression behind the effect', () => {
    const e = aSwitchback();
    const noise = [0, 2, -1, 1, -2, 0, 1, -1];
    const v = scoreExperiment(e, hourlyCounts(e, (i, treated) => (treated ? 15 : 10) + noise[i % noise.length]), AFTER(e));

    expect(v).toMatchObject({ decision: 'keep', reason: 'improved', method: 'switchback_randomization', design: 'switchback' });
    expect(v.effect.absolute).toBeGreaterThan(4);
    expect(v.effect.absolute).toBeLessThan(6);
    expect(v.effect.absoluteInterval!.lower).toBeGreaterThan(0);
    expect(v.switchback).toMatchObject({ treatmentDays: 14, controlDays: 14, seed: 17, randomization: { permutations: 500, statistic: 'regression_t' } });
    expect(v.switchback!.randomization!.pValue).toBeLessThan(0.01);
    expect(v.probabilityOfImprovement).toBeCloseTo(1 - v.switchback!.randomization!.pValue, 10);
    expect(v.summary).toContain('on treatment days');
  });

  it('gives the same verdict every time it is scored (the permutations are seeded by the design)', () => {
    const e = aSwitchback();
    const obs = hourlyCounts(e, (i, treated) => 10 + (treated ? 1 : 0) + (i % 3));
    expect(scoreExperiment(e, obs, AFTER(e))).toEqual(scoreExperiment(e, obs, AFTER(e)));
  });

  it('keeps its false keeps near 5 % on a strongly accelerating null series', () => {
    const rng = new Rng(2024);
    let keeps = 0;
    const runs = 60;
    for (let i = 0; i < runs; i++) {
      const sim = switchbackSeries(rng, { gainsPerDay: (d) => 3 + 0.8 * d, lift: 0, windowDays: 28 });
      if (scoreExperiment(sim.experiment, sim.observations, { now: sim.now, permutations: 200 }).decision === 'keep') keeps++;
    }
    // 5 % of 60 is 3; P(≥ 9 | 5 %) < 0.5 %.
    expect(keeps).toBeLessThan(9);
  });

  it('flags carryover when the effect lingers into the day after treatment', () => {
    const e = aSwitchback();
    const arms = e.switchback!.schedule.map((d) => d.arm === 'treatment');
    const v = scoreExperiment(e, hourlyCounts(e, (i, treated) => 10 + (treated ? 10 : 0) + (i > 0 && arms[i - 1] ? 8 : 0) + (i % 2)), AFTER(e));

    expect(v.switchback!.carryover!.estimate).toBeGreaterThan(5);
    expect(v.warnings.map((w) => w.code)).toContain('carryover');
  });

  it('estimates two switchbacks on one metric with each other as covariates', () => {
    const a = aSwitchback({}, 'exp_a');
    const b = aSwitchback({ switchback: { seed: 99, timeZone: 'UTC' } }, 'exp_b');
    const bArms = b.switchback!.schedule.map((d) => d.arm === 'treatment');
    const obs = hourlyCounts(a, (i, treated) => 10 + (treated ? 5 : 0) + (bArms[i] ? 8 : 0) + [0, 1, -1][i % 3]);

    const va = scoreExperiment(a, obs, { ...AFTER(a), otherExperiments: [b] });
    const vb = scoreExperiment(b, obs, { ...AFTER(b), otherExperiments: [a] });

    expect(va.switchback!.regression!.otherExperiments).toEqual(['exp_b']);
    expect(Math.abs(va.effect.absolute! - 5)).toBeLessThan(1);
    expect(Math.abs(vb.effect.absolute! - 8)).toBeLessThan(1);
    expect(va.warnings.map((w) => w.code)).not.toContain('overlapping_experiment');
  });

  it('decides on the days as assigned and reports per-protocol without the skipped days', () => {
    let e = aSwitchback();
    const treatedDates = e.switchback!.schedule.filter((d) => d.arm === 'treatment').map((d) => d.date);
    for (const date of treatedDates.slice(0, 3)) {
      const out = recordSkip(e.switchback!, date, 'forgot', new Date(e.end!));
      if (!out.ok) throw new Error(out.message);
      e = { ...e, switchback: out.design };
    }
    const skipped = new Set(treatedDates.slice(0, 3));
    const obs = hourlyCounts(e, (i, treated) => 10 + (treated && !skipped.has(e.switchback!.schedule[i].date) ? 6 : 0) + (i % 2));

    const v = scoreExperiment(e, obs, AFTER(e));

    expect(v.warnings.map((w) => w.code)).toContain('skipped_days');
    expect(v.switchback!.skippedDays).toBe(3);
    expect(v.switchback!.perProtocol!.absolute).toBeGreaterThan(v.effect.absolute!);
    expect(v.switchback!.treatmentDays).toBe(14);
  });

  it('never keeps without data, and says what is missing', () => {
    const e = aSwitchback();
    const v = scoreExperiment(e, [], AFTER(e));

    expect(v).toMatchObject({ decision: 'discard', reason: 'insufficient_data' });
    expect(v.missing![0]).toContain('treatment');
  });

  it('gives an interim readout over the days that have ended', () => {
    const e = aSwitchback();
    const obs = hourlyCounts(e, (i, treated) => (treated ? 14 : 10) + (i % 3));
    const r = interimReadout(e, obs, { now: new Date(Date.parse(e.start!) + 10.5 * DAY) });

    expect(r.notAVerdict).toBe(true);
    expect(r.switchback!.treatmentDays + r.switchback!.controlDays).toBe(10);
  });
});

describe('the loop with switchbacks', () => {
  const now = new Date('2026-11-10T00:00:00Z');
  const running = aSwitchback({}, 'exp_run');
  const backlog = (id: string, design?: 'switchback') => anExperiment({ id, status: 'backlog', start: undefined, end: undefined, ...(design && { design }), createdAt: `2026-11-0${id.length % 9}T00:00:00Z` });

  it('starts another switchback on a metric a switchback holds, but not a before/after experiment', () => {
    const plan = planLoop({ backlog: [backlog('exp_sb2', 'switchback'), backlog('exp_ba')], scheduled: [running], target: 3, now });

    expect(plan.toStart.map((e) => e.id)).toEqual(['exp_sb2']);
    expect(plan.ranked.find((r) => r.experiment.id === 'exp_ba')!.blockedBy?.experimentId).toBe('exp_run');
  });
});
