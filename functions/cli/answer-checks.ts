/**
 * The checks `verdict new` makes on each answer as it is given, and the API's rejections in words a
 * marketer reads ("The window is at most 42 days", not "Too big: expected number to be <=42").
 */
import { InstantSchema, MAX_WINDOW_DAYS, MIN_WINDOW_DAYS } from '../domain/experiment';

const DAY = 86_400_000;

/** Labels for the request fields a person typed. */
const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  hypothesis: 'Hypothesis',
  primaryMetric: 'Metric',
  start: 'Start',
  end: 'End',
  durationDays: 'Window',
  'decision.minLift': 'Minimum lift',
  'decision.confidence': 'Required probability of improvement',
  iceScore: 'ICE score',
  channel: 'Channel',
  tags: 'A tag',
  secondaryMetrics: 'A secondary metric',
  baseline: 'Baseline',
  'baseline.start': 'Baseline start',
  'baseline.end': 'Baseline',
  design: 'Design',
  switchback: 'Switchback options',
  'switchback.blockDays': 'Switchback block',
  'switchback.washoutDays': 'Switchback washout',
  'switchback.timeZone': 'Switchback time zone',
  postVariants: 'Post variants',
  'postVariants.arms': 'Post variant arms',
};

/** One API validation issue as a sentence: field label, then what is wrong in plain words. */
export function issueInWords(issue: { path: string; message: string }): string {
  const label = FIELD_LABELS[issue.path] ?? FIELD_LABELS[issue.path.replace(/\.\d+$/, '')] ?? issue.path;
  const m = issue.message;
  let words: string;
  if (issue.path === 'durationDays' && /too (big|small)/i.test(m)) words = `must be ${MIN_WINDOW_DAYS}–${MAX_WINDOW_DAYS} days`;
  else if (/^Too big: expected string to have <=(\d+) characters/.test(m)) words = `is too long (at most ${/<=(\d+)/.exec(m)![1]} characters)`;
  else if (/^Too small: expected string to have >=1 characters/.test(m)) words = 'cannot be empty';
  else if (/^Too big: expected number to be <=?([\d.]+)/.test(m)) words = `must be at most ${/<=?([\d.]+)/.exec(m)![1]}`;
  else if (/^Too small: expected number to be >=?([\d.]+)/.test(m)) words = `must be at least ${/>=?([\d.]+)/.exec(m)![1]}`;
  else if (/^Invalid input/.test(m) && (issue.path === 'start' || issue.path === 'end')) words = 'is not a date: use now, today, tomorrow or YYYY-MM-DD';
  else if (/^Unknown metric/.test(m)) words = "is not in the catalog (see 'verdict metrics')";
  else if (/^Invalid input/.test(m)) words = 'is not valid';
  else words = m.charAt(0).toLowerCase() + m.slice(1);
  return `${label} ${words}`;
}

/** Why a --start / Start answer is not usable, or undefined. `parsed` is what parseStart made of it. */
export function startProblem(parsed: string): string | undefined {
  return InstantSchema.safeParse(parsed).success ? undefined : `"${parsed}" is not a date: use now, today, tomorrow, YYYY-MM-DD or a date and time like 2026-12-01T09:00Z`;
}

/** Why a window length answer is not usable, or undefined. */
export function daysProblem(answer: string): string | undefined {
  const n = Number(answer);
  return /^\d+$/.test(answer) && n >= MIN_WINDOW_DAYS && n <= MAX_WINDOW_DAYS ? undefined : `The window is a whole number of days from ${MIN_WINDOW_DAYS} to ${MAX_WINDOW_DAYS} (got "${answer}")`;
}

/** Why a name or hypothesis answer is not usable, or undefined. */
export function textProblem(label: string, answer: string, max: number): string | undefined {
  return answer.trim().length > max ? `${label} is too long: ${answer.trim().length} characters, at most ${max}` : undefined;
}

/**
 * What creating an experiment that starts in the past means, or undefined when it starts today or later
 * (a start earlier today counts as now). Said before anything is created, so the user can say no.
 */
export function backdateNotice(startIso: string, endIso: string, now: Date): string | undefined {
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  const today = Math.floor(now.getTime() / DAY) * DAY;
  if (!Number.isFinite(start) || start >= today) return undefined;
  const daysAgo = Math.round((today - start) / DAY);
  const ago = daysAgo >= 730 ? `${Math.floor(daysAgo / 365)} years ago` : daysAgo >= 60 ? `${Math.round(daysAgo / 30)} months ago` : `${daysAgo} day${daysAgo === 1 ? '' : 's'} ago`;
  const window = `${startIso.slice(0, 10)} → ${new Date(end - 1).toISOString().slice(0, 10)}`;
  if (end <= now.getTime()) {
    return `This experiment would start ${startIso.slice(0, 10)}, ${ago}: its whole window (${window}) is already over. ` +
      'The scorer judges it at its next run from the observations already stored for those dates — with too few, ' +
      'that is a DISCARD for lack of data — and the verdict stays on record.';
  }
  return `This experiment would start ${startIso.slice(0, 10)}, ${ago}: the days since then (${window}) count as experiment days, ` +
    'so whatever happened in them is credited to it.';
}
