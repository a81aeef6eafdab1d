/**
 * The noise floor of GEO metrics, per answer engine: how often its answers cite / name the brand, and
 * how often repeated answers to the same prompt in the same run agree (citations.repetitions ≥ 2). An
 * experiment's citation-rate lift smaller than the engines' disagreement is hard to tell from noise.
 */
import type { CitationAnswerObservation, Observation } from '../observation';

export interface EngineSummary {
  engine: string;
  answers: number;
  /** Cited answers / answers (0–1). */
  citationRate: number;
  /** Answers naming the brand / answers (0–1). */
  mentionRate: number;
  /** (prompt, run) groups answered at least twice: what the agreement is measured on. */
  repeatedGroups: number;
  /** Share of those groups whose answers all agree on cited (0–1); null without repeated groups. */
  citedAgreement: number | null;
  /** The same for mentioned. */
  mentionedAgreement: number | null;
}

/** Per engine, over the answers recorded in [start, end), duplicates of one engine/prompt/repetition/time counted once. */
export function engineSummaries(observations: readonly Observation[], period: { start: string; end: string }): EngineSummary[] {
  const answers = new Map<string, CitationAnswerObservation>();
  for (const o of observations) {
    if (o.metric !== 'citations.answer' || o.at < period.start || o.at >= period.end) continue;
    answers.set(`${o.engine}\u0000${o.prompt}\u0000${o.repetition ?? 0}\u0000${o.at}`, o);
  }
  const byEngine = new Map<string, CitationAnswerObservation[]>();
  for (const a of answers.values()) byEngine.set(a.engine, [...(byEngine.get(a.engine) ?? []), a]);
  return [...byEngine].sort(([a], [b]) => a.localeCompare(b)).map(([engine, list]) => {
    const groups = new Map<string, CitationAnswerObservation[]>();
    for (const a of list) groups.set(`${a.prompt}\u0000${a.at}`, [...(groups.get(`${a.prompt}\u0000${a.at}`) ?? []), a]);
    const repeated = [...groups.values()].filter((g) => g.length >= 2);
    const agree = (key: 'cited' | 'mentioned') => (repeated.length === 0 ? null : repeated.filter((g) => g.every((a) => a[key] === g[0][key])).length / repeated.length);
    return {
      engine,
      answers: list.length,
      citationRate: list.filter((a) => a.cited).length / list.length,
      mentionRate: list.filter((a) => a.mentioned).length / list.length,
      repeatedGroups: repeated.length,
      citedAgreement: agree('cited'),
      mentionedAgreement: agree('mentioned'),
    };
  });
}
