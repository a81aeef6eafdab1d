/**
 * Event-based metrics (posts, sends, AI answers) → one unit per event with a numerator and a
 * denominator, placed at the event's time. Proportion and ratio models work on these units.
 */
import type { ParsedMetricKey } from '../metric-catalog';
import type {
  CitationAnswerObservation, NewsletterSendObservation, Observation, XPostObservation,
} from '../observation';
import { observationDiscriminator } from '../observation';

/**
 * A post's or send's counts are read at most this long after it went out, so baseline posts (measured
 * weeks later) are not favoured over window posts (measured days later).
 */
export const MATURITY_MS = 48 * 3_600_000;

export interface EventUnit {
  /** Post id, send id, or answer key. */
  id: string;
  /** What the unit is clustered by: the post or send itself, or the prompt for AI answers. */
  cluster: string;
  /** Finer cell inside the cluster: the prompt on one engine for AI answers; else the cluster. */
  cell: string;
  /** When the event happened (publication, send, answer), epoch ms. */
  atMs: number;
  numerator: number;
  denominator: number;
  /** When the counts used were observed, epoch ms. */
  measuredAtMs: number;
}

type Tracked = XPostObservation | NewsletterSendObservation;

/** Picks, per post/send id, the latest snapshot within MATURITY_MS of its publication (else its earliest). */
function matureSnapshots<T extends Tracked>(items: readonly T[], publishedAt: (o: T) => string | undefined): { obs: T; atMs: number }[] {
  const byId = new Map<string, T[]>();
  for (const o of items) {
    const list = byId.get(o.id);
    if (list) list.push(o);
    else byId.set(o.id, [o]);
  }
  const out: { obs: T; atMs: number }[] = [];
  for (const list of byId.values()) {
    let earliestMs = Infinity;
    let published: number | undefined;
    for (const o of list) {
      earliestMs = Math.min(earliestMs, Date.parse(o.at));
      const p = publishedAt(o);
      if (p !== undefined) published = Date.parse(p);
    }
    const eventMs = published ?? earliestMs;
    let chosen: T | undefined;
    let chosenMs = -Infinity;
    let earliest: T = list[0];
    for (const o of list) {
      const t = Date.parse(o.at);
      if (t <= eventMs + MATURITY_MS && t > chosenMs) {
        chosen = o;
        chosenMs = t;
      }
      if (t < Date.parse(earliest.at)) earliest = o;
    }
    out.push({ obs: chosen ?? earliest, atMs: eventMs });
  }
  return out;
}

/** Units for an event-based metric key (everything except count rates and followers-per-post). */
export function eventUnits(parsed: ParsedMetricKey, observations: readonly Observation[]): EventUnit[] {
  const key = parsed.definition.key;
  switch (key) {
    case 'x.engagement_rate':
    case 'x.replies_per_post': {
      const posts = observations.filter((o): o is XPostObservation => o.metric === 'x.post');
      return matureSnapshots(posts, (o) => o.publishedAt).map(({ obs, atMs }) => ({
        id: obs.id,
        cluster: obs.id,
        cell: obs.id,
        atMs,
        numerator: key === 'x.engagement_rate' ? obs.likes + obs.replies + obs.reposts + obs.quotes : obs.replies,
        denominator: key === 'x.engagement_rate' ? obs.impressions : 1,
        measuredAtMs: Date.parse(obs.at),
      }));
    }
    case 'newsletter.open_rate':
    case 'newsletter.click_rate': {
      const sends = observations.filter((o): o is NewsletterSendObservation => o.metric === 'newsletter.send');
      return matureSnapshots(sends, (o) => o.sentAt).map(({ obs, atMs }) => ({
        id: obs.id,
        cluster: obs.id,
        cell: obs.id,
        atMs,
        numerator: key === 'newsletter.open_rate' ? obs.opens : obs.clicks,
        denominator: obs.delivered,
        measuredAtMs: Date.parse(obs.at),
      }));
    }
    case 'citations.citation_rate':
    case 'citations.mention_rate': {
      const seen = new Set<string>();
      const out: EventUnit[] = [];
      for (const o of observations) {
        if (o.metric !== 'citations.answer') continue;
        const a: CitationAnswerObservation = o;
        if (parsed.engine !== undefined && a.engine !== parsed.engine) continue;
        const id = `${observationDiscriminator(a)}@${a.at}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const atMs = Date.parse(a.at);
        const hit = key === 'citations.citation_rate' ? a.cited : a.mentioned;
        out.push({ id, cluster: a.prompt, cell: `${a.engine}#${a.prompt}`, atMs, numerator: hit ? 1 : 0, denominator: 1, measuredAtMs: atMs });
      }
      return out;
    }
    default:
      return [];
  }
}

/** Units whose event time falls in [startMs, endMs). */
export function unitsIn(units: readonly EventUnit[], startMs: number, endMs: number): EventUnit[] {
  return units.filter((u) => u.atMs >= startMs && u.atMs < endMs);
}

export interface UnitTotals {
  cluster: string;
  cell: string;
  successes: number;
  trials: number;
}

/** Sums units per cell (a prompt on one engine; posts and sends are their own cell and cluster). */
export function cellTotals(units: readonly EventUnit[]): UnitTotals[] {
  const map = new Map<string, UnitTotals>();
  for (const u of units) {
    const c = map.get(u.cell);
    if (c) {
      c.successes += u.numerator;
      c.trials += u.denominator;
    } else map.set(u.cell, { cluster: u.cluster, cell: u.cell, successes: u.numerator, trials: u.denominator });
  }
  return [...map.values()];
}
