/**
 * What the user does today: each running (or starting) randomized experiment's assignment for the
 * local date — a switchback's treatment or control day, or a post-variant experiment's reminder to
 * draw the next post's arm. Read by GET /today, `verdict today`, the dashboard's Today card, the MCP
 * tool todays_assignments and the digest. Pure.
 */
import type { Experiment } from './experiment';
import { assignmentAt, localDateOf } from './switchback';

export interface TodaysAssignment {
  experimentId: string;
  name: string;
  primaryMetric: string;
  design: 'switchback' | 'post_variants';
  /** The experiment's local date today (its own time zone). */
  date: string;
  /** switchback: the arm of the day; post_variants: absent (every post is drawn). */
  arm?: 'treatment' | 'control';
  /** A washout day: follow the arm, the day is not analysed. */
  washout?: boolean;
  /** Already reported as not followed. */
  skipped?: boolean;
  /** [start, end) of the local day. */
  start?: string;
  end?: string;
  /** Day n of N. */
  day?: number;
  days?: number;
  /** One plain sentence: what to do. */
  instruction: string;
}

export interface Today {
  /** The local date in `timeZone` (the deployment's digest time zone). */
  date: string;
  timeZone: string;
  assignments: TodaysAssignment[];
}

/** Today's assignments of `experiments` at `now` (only switchback and post-variant ones that are running or planned). */
export function todaysAssignments(experiments: readonly Experiment[], now: Date, timeZone: string): Today {
  const assignments: TodaysAssignment[] = [];
  const sorted = [...experiments].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  for (const e of sorted) {
    if (e.status !== 'running' && e.status !== 'planned') continue;
    if (e.design === 'switchback' && e.switchback) {
      const a = assignmentAt(e.switchback, now);
      if (!a) continue;
      const day = e.switchback.schedule.findIndex((d) => d.date === a.date) + 1;
      const what = a.arm === 'treatment' ? `Do it today: ${e.name}.` : `Control day: do not do “${e.name}” today.`;
      assignments.push({
        experimentId: e.id, name: e.name, primaryMetric: e.primaryMetric, design: 'switchback', date: a.date, arm: a.arm,
        ...(a.washout && { washout: true }), ...(a.skipped && { skipped: true }), start: a.start, end: a.end, day, days: e.switchback.schedule.length,
        instruction: `${what}${a.washout ? ' (Washout day: follow it, it is not counted.)' : ''}${a.skipped ? ' Recorded as not followed.' : ''}`,
      });
    } else if (e.design === 'post_variants' && e.postVariants && e.status === 'running' && e.start && e.end
      && Date.parse(e.start) <= now.getTime() && now.getTime() < Date.parse(e.end)) {
      assignments.push({
        experimentId: e.id, name: e.name, primaryMetric: e.primaryMetric, design: 'post_variants', date: localDateOf(now, timeZone),
        instruction: `Before each post: \`verdict next-post ${e.id}\` draws its arm (${e.postVariants.arms.join(' / ')}); add the marker it gives (e.g. ${e.postVariants.markerPrefix}${e.postVariants.arms[0]}) or tag the post afterwards.`,
      });
    }
  }
  return { date: localDateOf(now, timeZone), timeZone, assignments };
}
