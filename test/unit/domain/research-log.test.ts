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

describe('the outcome in log rows', () => {
  it('carries the verdict\'s outcome, so an inconclusive discard is not read as a failed tactic', () => {
    const inconclusive = { ...older, verdict: aVerdict({ decision: 'discard', reason: 'not_improved', outcome: 'inconclusive' }) };

    const [row] = researchLogRows([inconclusive]);
    const cells = Object.fromEntries(researchLogTsv([row]).trimEnd().split('\n')[1].split('\t').map((v, i) => [TSV_COLUMNS[i], v]));

    expect(row.outcome).toBe('inconclusive');
    expect(cells).toMatchObject({ decision: 'discard', outcome: 'inconclusive', reason: 'not_improved' });
    expect(researchLogMarkdown([row])).toContain('| DISCARD | inconclusive | not improved |');
  });

  it('derives it for verdicts recorded before outcomes existed only where the reason says', () => {
    const rows = researchLogRows([
      { ...older, verdict: aVerdict() },
      { ...newer, verdict: { ...newer.verdict } },
      { experiment: anExperiment({ id: 'exp_n', status: 'concluded', concludedAt: '2026-10-01T00:00:00.000Z' }), verdict: aVerdict({ decision: 'discard', reason: 'not_improved' }) },
    ]);

    expect(rows.map((r) => [r.id, r.outcome])).toEqual([['exp_b', 'insufficient_data'], ['exp_a', 'improved'], ['exp_n', undefined]]);
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

describe('hostile text in the research log', () => {
  const hostile = (name: string, hypothesis: string) => ({
    experiment: anExperiment({ id: 'exp_h', name, hypothesis, status: 'concluded', concludedAt: '2026-11-15T01:00:00.000Z' }),
    verdict: aVerdict({ experimentId: 'exp_h', effect: { absolute: -2.5, relative: -0.2, absoluteInterval: { lower: -4, upper: -1 }, relativeInterval: { lower: -0.3, upper: -0.1 } } }),
  });
  const cells = (name: string, hypothesis: string) => {
    const line = researchLogTsv(researchLogRows([hostile(name, hypothesis)])).trimEnd().split('\n')[1];
    return Object.fromEntries(line.split('\t').map((v, i) => [TSV_COLUMNS[i], v]));
  };

  it.each([
    ['=HYPERLINK("https://evil.example","click")'], ['+cmd|\' /C calc\'!A0'], ['-2+3'], ['@SUM(A1:A9)'], ['\t=1+1'], ['\r=1+1'], ['  =1+1'], ['\uff1d1+1'],
  ])('starts the text cell %j with a quote so no spreadsheet evaluates it (OWASP)', (text) => {
    const row = cells(text, text);
    expect(row.name.startsWith("'")).toBe(true);
    expect(row.description.startsWith("'")).toBe(true);
  });

  it('leaves negative numbers in numeric columns as numbers', () => {
    const row = cells('=1+1', 'fine');
    expect(row).toMatchObject({ effect: '-2.5', effect_low: '-4', effect_high: '-1', lift: '-0.2', lift_low: '-0.3', lift_high: '-0.1', description: 'fine' });
    expect(Object.keys(row)).toHaveLength(TSV_COLUMNS.length);
  });

  it('escapes HTML, links, mentions and pipes in markdown so they render as written', () => {
    const md = researchLogMarkdown(researchLogRows([hostile('<img src=x onerror=alert(1)> @everyone', '[verify](https://evil.example) | *x* `y`')]));
    const row = md.trimEnd().split('\n')[2];
    expect(row).toContain('\\<img src=x onerror=alert(1)\\> \\@everyone');
    expect(row).toContain('\\[verify\\](https://evil.example) \\| \\*x\\* \\`y\\`');
    expect(row).not.toMatch(/(^|[^\\])<img/);
    expect(row.split(/(?<!\\)\|/)).toHaveLength(12);
  });
});
