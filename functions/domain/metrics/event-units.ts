/**
 * Event-based metrics (posts, sends, AI answers) → one unit per event with a numerator and a
 * denominator, placed at the event's time. Proportion and ratio models work on these units.
 */
import type { ParsedMetricKey } from '../metric-catalog';
import type {
  CitationAnswerObservation, NewsletterSendObservation, Observation, XPostObservation,
} from '../observation';
import { observationDiscriminator } from '../observation';
import { type CountSnapshot, lowerBound, toCountSnapshots } from '../scoring/snapshot-interpolation';

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

/** Hours after a post in which new followers are attributed to it (x.follows_per_post). */
export const FOLLOW_ATTRIBUTION_HOURS = 12;
/**
 * The follower snapshots either side of a post's publication and of the end of its hours must be at
 * most this far apart (X is collected every 6 h), so the interpolated counts stay within hours of it.
 */
export const FOLLOW_BRACKET_MS = 7 * 3_600_000;

/** The follower count at `tMs`, interpolated between snapshots at most FOLLOW_BRACKET_MS apart; null otherwise. */
function followersAt(snaps: readonly CountSnapshot[], tMs: number): number | null {
  const lo = lowerBound(snaps, tMs);
  const next = snaps[lo];
  if (next && next.atMs === tMs) return next.value;
  const prev = snaps[lo - 1];
  if (!prev || !next || next.atMs - prev.atMs > FOLLOW_BRACKET_MS) return null;
  return prev.value + ((tMs - prev.atMs) / (next.atMs - prev.atMs)) * (next.value - prev.value);
}

/**
 * Follows attributed to each post: net new followers in the FOLLOW_ATTRIBUTION_HOURS after it. Left
 * out (the data do not allow it): a post followed by another own post within those hours (the two
 * posts' follows cannot be told apart), and a post whose start or end the follower snapshots do not
 * bracket within FOLLOW_BRACKET_MS (a gap, or hours that have not passed yet). What the count cannot
 * say: who followed because of the post — it also holds the growth the account would have had anyway
 * (the same for every arm, so randomized arms still compare fairly) and unfollows.
 */
export function followsPerPost(observations: readonly Observation[]): EventUnit[] {
  const posts = matureSnapshots(observations.filter((o): o is XPostObservation => o.metric === 'x.post'), (o) => o.publishedAt).sort((a, b) => a.atMs - b.atMs);
  const snaps = toCountSnapshots(observations.filter((o): o is Observation & { value: number } => o.metric === 'x.followers' && 'value' in o));
  const hours = FOLLOW_ATTRIBUTION_HOURS * 3_600_000;
  const out: EventUnit[] = [];
  posts.forEach(({ obs, atMs }, i) => {
    const next = posts[i + 1];
    if (next && next.atMs < atMs + hours) return;
    const before = followersAt(snaps, atMs);
    const after = followersAt(snaps, atMs + hours);
    if (before === null || after === null) return;
    out.push({ id: obs.id, cluster: obs.id, cell: obs.id, atMs, numerator: after - before, denominator: 1, measuredAtMs: atMs + hours });
  });
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
    case 'x.follows_per_post':
      return followsPerPost(observations);
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
