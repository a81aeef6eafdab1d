/**
 * The Friday digest, pure: what happened in the loop this week, one structure in two renderings —
 * markdown (GET /digest, Discord) and plain text (email via SNS, `verdict digest`). The chat webhooks'
 * payloads are delivery's (jobs/digest-webhook.ts); the weeks and digest times are digest-calendar.ts's.
 *
 * A digest belongs to an ISO week in the configured time zone and covers the period digestPeriod gives.
 * Running experiments, the backlog and source health are the state when the digest is built.
 */
import * as z from './zod-mini';
import { iceProduct, lastInstantOf, type Experiment } from './experiment';
import { planLoop, rankBacklog, type LoopPlan } from './loop';
import { digestPeriod, type DigestSchedule } from './digest-calendar';
import { markdownText, withoutControlChars } from './inert-text';
import { effectText } from './research-log';
import { localDateOf } from './switchback';
import type { InterimReadout, Verdict } from './verdict';

const DAY_MS = 86_400_000;

// ── Content ─────────────────────────────────────────────────────────────────────────────────────

/** What one source's collection looks like when the digest is built. */
export interface SourceStatus {
  source: string;
  /** Minutes between scheduled collections. */
  everyMinutes: number;
  lastRun?: { outcome: string; startedAt: string; message?: string; errorCode?: string };
  /** Set while the source is paused (rate limit or usage cap). */
  pausedUntil?: string;
  pauseReason?: string;
}

export interface DigestInput {
  week: string;
  schedule: DigestSchedule;
  /** When the digest is built: the period ends here if the week's digest time is still ahead. */
  now: Date;
  /** Concluded experiments with their verdicts; only verdicts scored inside the period are reported. */
  concluded: readonly { experiment: Experiment; verdict: Verdict }[];
  /** Running experiments with their interim readout (absent when it could not be computed). */
  running: readonly { experiment: Experiment; readout?: InterimReadout }[];
  /** Planned experiments (they hold their metric, which decides what the loop can start). */
  planned: readonly Experiment[];
  /** The top of the backlog in start order (the loop considers at most BACKLOG_CONSIDERED). */
  backlog: readonly Experiment[];
  /** How many backlog items there are in all, when more than `backlog` holds. */
  backlogCount?: number;
  /** Enabled sources. */
  sources: readonly SourceStatus[];
  /** Experiments the loop keeps running at once (config loop.targetActive). */
  target: number;
}

export const DIGEST_SECTION_IDS = ['verdicts', 'running', 'backlog', 'sources', 'nudge'] as const;

/** One line of a section: a bold label, its text, and indented detail lines (plain language). */
export const DigestItemSchema = z.object({ label: z.string(), text: z.string(), details: z.array(z.string()) });

export const DigestSectionSchema = z.object({
  id: z.enum(DIGEST_SECTION_IDS),
  title: z.string(),
  /** Numbered (the backlog's order matters) or bulleted. */
  ordered: z.boolean(),
  items: z.array(DigestItemSchema),
  /** Said instead of items when there are none. */
  empty: z.optional(z.string()),
});

/** The digest as GET /digest returns it and the `Weekly Digest` event carries it (the schema documents the API). */
export const DigestSchema = z.object({
  week: z.described(z.string(), 'ISO week, YYYY-Www'),
  timeZone: z.string(),
  period: z.object({ start: z.string(), end: z.described(z.string(), 'exclusive: the digest time, or now while the week runs') }),
  generatedAt: z.string(),
  counts: z.object({
    verdicts: z.number().check(z.int()), keeps: z.number().check(z.int()), running: z.number().check(z.int()), target: z.number().check(z.int()), backlog: z.number().check(z.int()), sourceProblems: z.number().check(z.int()),
  }),
  sections: z.array(DigestSectionSchema),
  /** Email subject / chat title (under 100 characters, as SNS requires). */
  subject: z.string(),
  markdown: z.string(),
  text: z.string(),
});

export type DigestItem = z.infer<typeof DigestItemSchema>;
export type DigestSection = z.infer<typeof DigestSectionSchema>;
export type Digest = z.infer<typeof DigestSchema>;

/** Builds the digest for `input.week`. Pure: time comes from `input.now`. */
export function buildDigest(input: DigestInput): Digest {
  const { schedule, now } = input;
  const full = digestPeriod(input.week, schedule);
  const period = { start: full.start, end: new Date(Math.min(Date.parse(full.end), now.getTime())).toISOString() };
  const fmt = dateFormatter(schedule.timeZone);

  const verdicts = input.concluded
    .filter(({ verdict }) => verdict.scoredAt >= period.start && verdict.scoredAt < period.end)
    .sort((a, b) => (a.verdict.scoredAt < b.verdict.scoredAt ? -1 : 1));
  const running = [...input.running].sort((a, b) => ((a.experiment.end ?? '') < (b.experiment.end ?? '') ? -1 : 1));
  const ranked = rankBacklog(input.backlog);
  const problems = input.sources.flatMap((s) => sourceProblem(s, now, fmt));
  const plan = planLoop({ backlog: input.backlog, scheduled: [...input.running.map((r) => r.experiment), ...input.planned], target: input.target, now });

  const sections: DigestSection[] = [
    {
      id: 'verdicts', title: 'Verdicts this week', ordered: false,
      items: verdicts.map(({ experiment, verdict }) => ({
        label: experiment.name,
        text: `${verdict.decision.toUpperCase()} (${verdict.reason.replace(/_/g, ' ')}) on ${experiment.primaryMetric}: ${effectText(verdict)}`,
        details: [verdict.summary],
      })),
      empty: 'No verdicts this week.',
    },
    {
      id: 'running', title: 'Running experiments', ordered: false,
      items: running.map(({ experiment, readout }) => ({
        label: experiment.name,
        text: `${daysLeftText(experiment, now)}, last day ${experiment.end ? WINDOW_DAY.format(lastInstantOf(experiment.end)) : 'when started'} · ${experiment.primaryMetric}`,
        details: [interimText(readout), ...scheduleAheadText(experiment, now)],
      })),
      empty: 'Nothing is running.',
    },
    {
      id: 'backlog', title: 'Top of the backlog', ordered: true,
      items: ranked.slice(0, 3).map((e) => ({
        label: e.name,
        text: `${e.iceScore ? `ICE ${iceProduct(e.iceScore)} (${e.iceScore.impact}×${e.iceScore.confidence}×${e.iceScore.ease})` : 'not ICE-scored'} · ${e.primaryMetric} · ${e.durationDays} days`,
        details: [oneLine(e.hypothesis, 240)],
      })),
      empty: 'The backlog is empty.',
    },
    {
      id: 'sources', title: 'Source health', ordered: false,
      items: problems,
      empty: input.sources.length === 0 ? 'No sources are enabled.' : `All ${input.sources.length} source${input.sources.length === 1 ? '' : 's'} collected normally.`,
    },
  ];
  if (plan.running < input.target) {
    sections.push({
      id: 'nudge', title: 'Keep the loop full', ordered: false,
      items: [{ label: `${plan.running} of ${input.target} running`, text: nudgeText(plan, input.target - plan.running), details: [] }],
    });
  }

  const label = weekLabel(input.week, period, fmt, schedule.timeZone);
  const digest: Omit<Digest, 'markdown' | 'text'> = {
    week: input.week,
    timeZone: schedule.timeZone,
    period,
    generatedAt: now.toISOString(),
    counts: {
      verdicts: verdicts.length,
      keeps: verdicts.filter((v) => v.verdict.decision === 'keep').length,
      running: plan.running,
      target: input.target,
      backlog: Math.max(input.backlogCount ?? 0, input.backlog.length),
      sourceProblems: problems.length,
    },
    sections,
    subject: `Verdict weekly digest ${input.week}: ${verdicts.length} verdict${verdicts.length === 1 ? '' : 's'}, ${plan.running} running`,
  };
  return { ...digest, markdown: renderMarkdown(digest, label), text: renderText(digest, label) };
}

function daysLeftText(e: Experiment, now: Date): string {
  if (!e.end) return 'no window yet';
  // A window already over is not "ending today": it waits for the scorer's next run.
  if (Date.parse(e.end) <= now.getTime()) return 'window over, verdict at the next scorer run';
  const days = Math.ceil((Date.parse(e.end) - now.getTime()) / DAY_MS);
  return `${days} day${days === 1 ? '' : 's'} left`;
}

/** A switchback's next seven days: which are treatment days and which are control days. */
function scheduleAheadText(e: Experiment, now: Date): string[] {
  if (e.design !== 'switchback' || !e.switchback) return [];
  const today = localDateOf(now, e.switchback.timeZone);
  const ahead = e.switchback.schedule.filter((d) => d.date >= today).slice(0, 7);
  if (ahead.length === 0) return [];
  const name = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const list = (arm: 'treatment' | 'control') => ahead.filter((d) => d.arm === arm).map((d) => name(d.date)).join(', ') || 'none';
  return [`Switchback, next ${ahead.length} day${ahead.length === 1 ? '' : 's'} from ${today}: do it on ${list('treatment')}; control days ${list('control')} (verdict today says each morning).`];
}

function interimText(r: InterimReadout | undefined): string {
  if (!r) return 'No interim readout yet.';
  if (r.leaning === null || (r.effect.relative === null && r.effect.absolute === null)) {
    return `Day ${r.daysElapsed}: not enough data for a readout yet${r.missing?.length ? ` (${r.missing.join('; ')})` : ''}.`;
  }
  const p = r.probabilityOfImprovement === null ? '' : `, ${Math.round(r.probabilityOfImprovement * 100)} % chance it is an improvement`;
  return `Day ${r.daysElapsed} of ${r.daysElapsed + r.daysLeft}: ${effectText(r)} so far${p}; leaning ${r.leaning.toUpperCase()}. Interim only, not a verdict.`;
}

function nudgeText(plan: LoopPlan, missing: number): string {
  const slots = (n: number) => `${n} more experiment${n === 1 ? '' : 's'}`;
  const starting = plan.toStart.length;
  switch (plan.state) {
    case 'backlog_empty': return `The backlog is empty: add ideas (verdict backlog add, or the add_to_backlog tool) so the loop can start ${slots(missing)}.`;
    case 'blocked': return `Every backlog item's metric is already under test. Add ideas on other metrics so the loop can start ${slots(missing)}.`;
    default: return starting >= missing
      ? `The loop starts ${slots(starting)} from the top of the backlog at its next run.`
      : `The loop starts ${slots(starting)} from the backlog at its next run; add ideas to fill ${missing - starting === 1 ? 'the last slot' : `the other ${missing - starting} slots`}.`;
  }
}

function sourceProblem(s: SourceStatus, now: Date, fmt: DateFormat): DigestItem[] {
  if (s.pausedUntil && Date.parse(s.pausedUntil) > now.getTime()) {
    const why = s.pauseReason === 'usage_capped' ? 'usage cap reached' : s.pauseReason === 'rate_limited' ? 'rate limited' : 'paused';
    return [{ label: s.source, text: `paused until ${fmt.dayTime(new Date(s.pausedUntil))} (${why})`, details: [] }];
  }
  if (!s.lastRun) return [{ label: s.source, text: 'has not collected yet', details: [] }];
  const run = s.lastRun;
  if (run.outcome !== 'ok') {
    const code = run.errorCode ? ` (${run.errorCode})` : '';
    return [{ label: s.source, text: `last run ${run.outcome.replace(/_/g, ' ')}${code} on ${fmt.dayTime(new Date(run.startedAt))}`, details: run.message ? [run.message] : [] }];
  }
  // Two missed slots (plus an hour's grace) mean the schedule is not firing or the function dies early.
  const staleAfterMs = 2 * s.everyMinutes * 60_000 + 3_600_000;
  if (now.getTime() - Date.parse(run.startedAt) > staleAfterMs) {
    return [{ label: s.source, text: `no collection since ${fmt.dayTime(new Date(run.startedAt))}`, details: [] }];
  }
  return [];
}

// ── Rendering ───────────────────────────────────────────────────────────────────────────────────

interface DateFormat { day(d: Date): string; dayTime(d: Date): string }

/** Windows are whole UTC days: their last day is named in UTC, as the CLI and the dashboard name it. */
const WINDOW_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });

function dateFormatter(timeZone: string): DateFormat {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' });
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return { day: (d) => day.format(d), dayTime: (d) => `${day.format(d)} ${time.format(d)}` };
}

function weekLabel(week: string, period: { start: string; end: string }, fmt: DateFormat, timeZone: string): string {
  const [year, n] = week.split('-W');
  return `Week ${Number(n)} of ${year}: ${fmt.dayTime(new Date(period.start))} to ${fmt.dayTime(new Date(period.end))} (${timeZone})`;
}

type DigestBody = Omit<Digest, 'markdown' | 'text'>;

/**
 * Markdown for one section (`## Title` and its list), as GET /digest and Discord show it. Items are plain
 * text (names, hypotheses, provider messages): every piece is escaped, so none renders as markup.
 */
export function sectionMarkdown(section: DigestSection): string {
  const lines = [`## ${markdownText(section.title)}`, ''];
  if (section.items.length === 0) lines.push(markdownText(section.empty ?? ''));
  section.items.forEach((item, i) => {
    const marker = section.ordered ? `${i + 1}.` : '-';
    lines.push(`${marker} **${markdownText(item.label)}** — ${markdownText(item.text)}`);
    for (const d of item.details) lines.push(`${' '.repeat(marker.length + 1)}${markdownText(d)}`);
  });
  return lines.join('\n');
}

function renderMarkdown(d: DigestBody, label: string): string {
  return `${[`# Verdict weekly digest — ${d.week}`, '', `_${label}_`, '', ...d.sections.flatMap((s) => [sectionMarkdown(s), ''])].join('\n').trimEnd()}\n`;
}

const TEXT_WIDTH = 72;

/** Plain text for one section: an upper-case heading and wrapped, indented items (reads well in mail). */
export function sectionText(section: DigestSection): string {
  const lines = [withoutControlChars(section.title).toUpperCase(), '-'.repeat(section.title.length)];
  if (section.items.length === 0) lines.push(...wrap(withoutControlChars(section.empty ?? ''), TEXT_WIDTH, '', ''));
  section.items.forEach((item, i) => {
    const marker = section.ordered ? `${i + 1}. ` : '* ';
    lines.push(...wrap(withoutControlChars(`${marker}${item.label}: ${item.text}`), TEXT_WIDTH, '', ' '.repeat(marker.length)));
    for (const d of item.details) lines.push(...wrap(withoutControlChars(d), TEXT_WIDTH, ' '.repeat(marker.length), ' '.repeat(marker.length)));
  });
  return lines.join('\n');
}

function renderText(d: DigestBody, label: string): string {
  const title = `Verdict weekly digest - ${d.week}`;
  return `${[title, label, '', ...d.sections.flatMap((s) => [sectionText(s), ''])].join('\n').trimEnd()}\n`;
}

/** Word-wraps `s` to `width` columns; the first line starts with `firstIndent`, the rest with `restIndent`. */
function wrap(s: string, width: number, firstIndent: string, restIndent: string): string[] {
  const out: string[] = [];
  let line = firstIndent;
  let started = false;
  // A unit after a space ("-28 %") stays with its number.
  for (const word of s.replace(/\s+/g, ' ').split(/ (?!%)/).filter(Boolean)) {
    if (started && line.length + 1 + word.length > width) {
      out.push(line);
      line = `${restIndent}${word}`;
    } else {
      line = started ? `${line} ${word}` : `${line}${word}`;
    }
    started = true;
  }
  if (started) out.push(line);
  return out;
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
