/** Extending a switchback: the new days get their own stretch of schedule, drawn from a seed derived from the stored one, and the test redraws it so. */
import { CreateExperimentSchema, extendExperiment, newExperiment, type Experiment } from '../../../functions/domain/experiment';
import { scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import { drawArms, extensionSeed, prepareDesign, redrawSchedule, weekdayOf } from '../../../functions/domain/switchback';
import { SeededRandom } from '../../../functions/domain/seeded-random';
import { Rng } from '../../bench/random';
import { switchbackSeries } from '../../bench/switchback-synthetic';
import { aCreateRequest } from '../../support/factories';

const NOW = new Date('2026-12-10T12:00:00.000Z');

function aRunningSwitchback(switchback: Record<string, unknown> = {}): Experiment {
  const input = CreateExperimentSchema.parse(aCreateRequest({
    start: '2026-12-07', durationDays: 28, design: 'switchback', switchback: { seed: 42, timeZone: 'Europe/Berlin', ...switchback },
  }));
  return { ...newExperiment(input, 'exp_sb', new Date('2026-12-01T00:00:00Z')), status: 'running' };
}

function extended(e: Experiment, days: number, now = NOW): Experiment {
  const out = extendExperiment(e, days, now);
  if (out.kind !== 'ok') throw new Error(`extend refused: ${out.kind}`);
  return out.experiment;
}

describe('extending a switchback', () => {
  it('keeps the days already scheduled and schedules the new ones, balanced across weekdays, up to the new end', () => {
    const e = aRunningSwitchback();
    const longer = extended(e, 14);
    const schedule = longer.switchback!.schedule;

    expect(schedule).toHaveLength(42);
    expect(schedule.slice(0, 28)).toEqual(e.switchback!.schedule);
    expect(schedule[28].date).toBe('2027-01-04');
    expect(schedule[41].date).toBe('2027-01-17');
    expect(longer.end).toBe('2027-01-17T23:00:00.000Z');
    expect(longer.durationDays).toBe(42);
    for (let w = 0; w < 7; w++) {
      expect(schedule.slice(28).filter((d) => weekdayOf(d.date) === w && d.arm === 'treatment')).toHaveLength(1);
    }
    expect(longer.switchback!.stretches).toEqual([{ from: 28, seed: extensionSeed(42, 1) }]);
  });

  it('draws the extension reproducibly from the stored seed, and each extension from its own seed', () => {
    const e = aRunningSwitchback();
    const twice = extended(extended(e, 7), 7);

    expect(extended(extended(e, 7), 7)).toEqual(twice);
    expect(redrawSchedule(twice.switchback!)).toEqual(twice.switchback!.schedule);
    expect(twice.switchback!.stretches!.map((s) => s.from)).toEqual([28, 35]);
    expect(extensionSeed(42, 1)).not.toBe(extensionSeed(42, 2));
    expect(extensionSeed(42, 1)).not.toBe(extensionSeed(43, 1));
  });

  it('starts a washout on the first days of the new stretch when its first block switches arm', () => {
    const switchedAt: boolean[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const e = extended(aRunningSwitchback({ seed, blockDays: 4, washoutDays: 1 }), 8);
      const s = e.switchback!.schedule;
      const switched = s[28].arm !== s[27].arm;
      switchedAt.push(switched);
      expect(s.slice(28, 32).map((d) => d.washout === true)).toEqual([switched, false, false, false]);
      expect(redrawSchedule(e.switchback!)).toEqual(s);
    }
    expect(new Set(switchedAt).size).toBe(2);
  });

  it('redraws each stretch on its own in the randomization test (the balance of each holds in every draw)', () => {
    const dates = extended(aRunningSwitchback(), 14).switchback!.schedule.map((d) => d.date);
    const design = prepareDesign(dates, 1, [0, 28]);
    const rng = new SeededRandom(9);
    for (let k = 0; k < 50; k++) {
      const arms = drawArms(design, rng);
      for (let w = 0; w < 7; w++) {
        const of = (from: number, to: number) => dates.slice(from, to).filter((d, i) => weekdayOf(d) === w && arms[from + i] === 1).length;
        expect(of(0, 28)).toBe(2);
        expect(of(28, 42)).toBe(1);
      }
    }
  });

  it('judges an extended switchback at the raised bar and says so', () => {
    const sim = switchbackSeries(new Rng(5), { gainsPerDay: () => 10, lift: 0.6, windowDays: 28 });
    const e = extended(sim.experiment, 7, new Date(Date.parse(sim.experiment.start!) + 20 * 86_400_000));
    const longer = switchbackSeries(new Rng(5), { gainsPerDay: () => 10, lift: 0.6, windowDays: 35 });
    const v = scoreExperiment(e, longer.observations, { now: new Date(Date.parse(e.end!) + 86_400_000), permutations: 400 });

    expect(v.decisionRule?.confidence).toBeCloseTo(0.975, 12);
    expect(v.warnings.map((w) => w.code)).toContain('extended_window');
    expect(v.switchback!.treatmentDays + v.switchback!.controlDays).toBe(35);
  });
});
