/** The research log: newest first, one row per concluded experiment, TSV and markdown renderings. */
import { researchLogMarkdown, researchLogRows, researchLogTsv, TSV_COLUMNS } from '../../../functions/domain/research-log';
import type { Verdict } from '../../../functions/domain/verdict';
import { anExperiment } from '../../support/factories';

function aVerdict(overrides: Partial<Verdict> = {}): Verdict {
  return {
    experimentId: 'exp_a', metric: 'x.follower_growth_rate', decision: 'keep', reason: 'improved',
    baselineValue: 10, windowValue: 13, expectedValue: 10.5,
    effect: { absolute: 2.5, relative: 0.238, absoluteInterval: { lower: 0.5, upper: 4.5 }, relativeInterval: { lower: 0.05, upper: 0.43 } },
    probabilityOfImprovement: 0.99,
    periods: { baseline: { start: '2026-10-18T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' }, window: { start: '2026-11-01T00:00:00.000Z', end: '2026-11-15T00:00:00.000Z' } },
    dataQuality: { windowCoverage: 1, baselineCoverage: 1, gaps: [], baselineDays: 14, windowDays: 14 },
    warnings: [], summary: 'Kept.', method: 'count_rate', scoredAt: '2026-11-15T01:00:00.000Z', unit: 'followers/day',
    ...overrides,
  };
}

const older = { experiment: anExperiment({ id: 'exp_a', status: 'concluded', concludedAt: '2026-11-15T01:00:00.000Z', hypothesis: 'Daily\tthreads\ngrow followers' }), verdict: aVerdict() };
const newer = {
  experiment: anExperiment({ id: 'exp_b', name: 'Bio | link', status: 'concluded', concludedAt: '2026-12-01T01:00:00.000Z' }),
  verdict: aVerdict({ experimentId: 'exp_b', decision: 'discard', reason: 'insufficient_data', baselineValue: null, windowValue: null, effect: { absolute: null, relative: null, absoluteInterval: null, relativeInterval: null } }),
};

describe('researchLogRows', () => {
  it('lists concluded experiments newest first and skips any without a verdict', () => {
    const rows = researchLogRows([older, newer, { experiment: anExperiment({ id: 'exp_c' }), verdict: undefined }]);
    expect(rows.map((r) => r.id)).toEqual(['exp_b', 'exp_a']);
  });

  it('keeps the description on one line', () => {
    expect(researchLogRows([older])[0].description).toBe('Daily threads grow followers');
  });
});

describe('researchLogTsv', () => {
  it('has a header and one tab-separated line per row, with plain numbers and empty unknowns', () => {
    const lines = researchLogTsv(researchLogRows([older, newer])).trimEnd().split('\n');

    expect(lines[0].split('\t')).toEqual([...TSV_COLUMNS]);
    const b = lines[1].split('\t');
    expect(b).toHaveLength(TSV_COLUMNS.length);
    expect(b[TSV_COLUMNS.indexOf('baseline')]).toBe('');
    const a = Object.fromEntries(lines[2].split('\t').map((v, i) => [TSV_COLUMNS[i], v]));
    expect(a).toMatchObject({ id: 'exp_a', baseline: '10', window: '13', effect: '2.5', effect_low: '0.5', lift: '0.238', lift_high: '0.43', decision: 'keep', description: 'Daily threads grow followers' });
  });
});

describe('researchLogMarkdown', () => {
  it('renders a table with escaped pipes and the lift in percent', () => {
    const md = researchLogMarkdown(researchLogRows([older, newer]));
    expect(md).toContain('Bio \\| link');
    expect(md).toContain('+23.8 % (+5.0 % to +43.0 %)');
    expect(md.trimEnd().split('\n')).toHaveLength(4);
  });
});

describe('ordering', () => {
  it('puts the later window first when a scorer run concluded several at once', () => {
    const at = '2026-12-01T01:00:00.000Z';
    const early = { experiment: anExperiment({ id: 'exp_z', status: 'concluded', concludedAt: at }), verdict: aVerdict({ periods: { ...aVerdict().periods, window: { start: '2026-10-01T00:00:00.000Z', end: '2026-10-15T00:00:00.000Z' } } }) };
    const late = { experiment: anExperiment({ id: 'exp_a', status: 'concluded', concludedAt: at }), verdict: aVerdict() };

    expect(researchLogRows([early, late]).map((r) => r.id)).toEqual(['exp_a', 'exp_z']);
  });
});
