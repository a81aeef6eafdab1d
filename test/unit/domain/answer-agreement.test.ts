/** Per-engine citation rates and the repeat-to-repeat agreement shown by `verdict show`. */
import { engineLines } from '../../../functions/cli/show-command';
import { engineSummaries } from '../../../functions/domain/metrics/answer-agreement';
import type { Observation } from '../../../functions/domain/observation';

const answer = (engine: string, prompt: string, repetition: number, cited: boolean, at = '2026-03-01T00:00:00.000Z', mentioned = cited): Observation =>
  ({ metric: 'citations.answer', engine, prompt, repetition, cited, mentioned, at, source: engine });
const period = { start: '2026-03-01T00:00:00.000Z', end: '2026-03-03T00:00:00.000Z' };

describe('engineSummaries', () => {
  it('gives each engine its rates and the share of repeated (prompt, run) groups that agree', () => {
    const obs = [
      answer('gemini', 'a', 0, true), answer('gemini', 'a', 1, true), // agree
      answer('gemini', 'b', 0, true), answer('gemini', 'b', 1, false), // disagree
      answer('gemini', 'a', 0, false, '2026-03-02T00:00:00.000Z'), // single: not a repeated group
      answer('claude', 'a', 0, false), answer('claude', 'a', 0, false), // the same answer twice: counted once
      answer('claude', 'a', 0, true, '2026-03-05T00:00:00.000Z'), // outside the period
    ];

    expect(engineSummaries(obs, period)).toEqual([
      { engine: 'claude', answers: 1, citationRate: 0, mentionRate: 0, repeatedGroups: 0, citedAgreement: null, mentionedAgreement: null },
      { engine: 'gemini', answers: 5, citationRate: 0.6, mentionRate: 0.6, repeatedGroups: 2, citedAgreement: 0.5, mentionedAgreement: 0.5 },
    ]);
  });

  it('prints one line per engine, saying when there is nothing to measure agreement on', () => {
    const lines = engineLines(engineSummaries([answer('gemini', 'a', 0, true), answer('gemini', 'a', 1, true), answer('claude', 'a', 0, false)], period));

    expect(lines).toEqual([
      'claude · cited 0 % · named 0 % · 1 answers · repeats: none (citations.repetitions ≥ 2 measures agreement)',
      'gemini · cited 100 % · named 100 % · 2 answers · repeats agree 100 % on cited, 100 % on named (1 groups)',
    ]);
  });
});
