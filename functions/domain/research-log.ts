/**
 * The research log: one row per concluded experiment, newest first — what was tried, on which metric,
 * over which window, what it did, and the decision. Rendered as JSON rows, TSV (the spreadsheet-friendly
 * equivalent of autoresearch's results.tsv) or a markdown table.
 */
import type { Experiment } from './experiment';
import { markdownText, spreadsheetText } from './inert-text';
import type { Decision, Interval, Verdict, VerdictReason } from './verdict';
import type { Outcome } from './scoring/outcome';

export interface ResearchLogRow {
  id: string;
  name: string;
  primaryMetric: string;
  /** Unit of the values and absolute effect (from the verdict), when known. */
  unit?: string;
  window: { start: string; end: string };
  /** When the verdict was recorded (the row's sort key). */
  concludedAt: string;
  baselineValue: number | null;
  windowValue: number | null;
  /** What the window was expected to show without the experiment (the counterfactual the effect is measured against). */
  expectedValue: number | null;
  effect: {
    /** Window − counterfactual, in the metric's unit. */
    absolute: number | null;
    absoluteInterval: Interval | null;
    /** Relative lift as a fraction (0.25 = +25 %). */
    relative: number | null;
    relativeInterval: Interval | null;
  };
  decision: Decision;
  reason: VerdictReason;
  /**
   * What the discard means (improved, no_effect, worse, inconclusive, insufficient_data); absent for
   * verdicts recorded before outcomes existed whose reason does not say (a not_improved discard).
   */
  outcome?: Outcome;
  /** The hypothesis on one line (at most 160 characters). */
  description: string;
}

const DESCRIPTION_MAX = 160;

/**
 * Rows for experiments with their current verdict, newest conclusion first (one scorer run concludes
 * several at the same instant: then the later window first). Entries without a verdict are skipped.
 */
export function researchLogRows(entries: readonly { experiment: Experiment; verdict: Verdict | undefined }[]): ResearchLogRow[] {
  return entries
    .filter((e): e is { experiment: Experiment; verdict: Verdict } => e.verdict !== undefined)
    .map(({ experiment, verdict }) => ({
      id: experiment.id,
      name: oneLine(experiment.name, 200),
      primaryMetric: experiment.primaryMetric,
      ...(verdict.unit && { unit: verdict.unit }),
      window: verdict.periods.window,
      concludedAt: experiment.concludedAt ?? verdict.scoredAt,
      baselineValue: verdict.baselineValue,
      windowValue: verdict.windowValue,
      expectedValue: verdict.expectedValue,
      effect: {
        absolute: verdict.effect.absolute,
        absoluteInterval: verdict.effect.absoluteInterval,
        relative: verdict.effect.relative,
        relativeInterval: verdict.effect.relativeInterval,
      },
      decision: verdict.decision,
      reason: verdict.reason,
      ...(outcomeOfVerdict(verdict) && { outcome: outcomeOfVerdict(verdict) }),
      description: oneLine(experiment.hypothesis, DESCRIPTION_MAX),
    }))
    .sort((a, b) => descending(a.concludedAt, b.concludedAt) || descending(a.window.end, b.window.end) || descending(a.id, b.id));
}

/** The verdict's outcome; for one recorded before outcomes existed, what its decision and reason imply. */
function outcomeOfVerdict(v: Verdict): Outcome | undefined {
  if (v.outcome) return v.outcome;
  if (v.decision === 'keep') return 'improved';
  if (v.reason === 'insufficient_data' || v.reason === 'worse') return v.reason;
  return undefined;
}

/** "inconclusive", "no effect", … for tables ("" when unknown). */
export function outcomeText(outcome: Outcome | undefined): string {
  return outcome ? outcome.replace(/_/g, ' ') : '';
}

export const TSV_COLUMNS = [
  'concluded', 'id', 'name', 'metric', 'window_start', 'window_end', 'baseline', 'window', 'expected',
  'effect', 'effect_low', 'effect_high', 'lift', 'lift_low', 'lift_high', 'decision', 'outcome', 'reason', 'description',
] as const;

/**
 * Tab-separated values with a header row: plain numbers (full precision, `.` decimal), empty cells for
 * unknown values, lift as a fraction, dates as ISO-8601. Tabs and newlines inside text become spaces,
 * and a text cell that a spreadsheet would run as a formula starts with `'` (OWASP CSV injection).
 */
export function researchLogTsv(rows: readonly ResearchLogRow[]): string {
  const num = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? '' : String(n));
  // Text columns are neutralised (a leading = + - @ gets a '); number columns are written by us and stay numbers.
  const text = spreadsheetText;
  const lines = rows.map((r) => [
    text(r.concludedAt), text(r.id), text(r.name), text(r.primaryMetric), text(r.window.start), text(r.window.end),
    num(r.baselineValue), num(r.windowValue), num(r.expectedValue),
    num(r.effect.absolute), num(r.effect.absoluteInterval?.lower), num(r.effect.absoluteInterval?.upper),
    num(r.effect.relative), num(r.effect.relativeInterval?.lower), num(r.effect.relativeInterval?.upper),
    text(r.decision), text(r.outcome ?? ''), text(r.reason), text(r.description),
  ].join('\t'));
  return `${[TSV_COLUMNS.join('\t'), ...lines].join('\n')}\n`;
}

/**
 * A GitHub-flavoured markdown table for notes and PRs: rounded numbers, lift in percent. User text
 * (name, description) is escaped, so it renders as written: no HTML, links, mentions or extra cells.
 */
export function researchLogMarkdown(rows: readonly ResearchLogRow[]): string {
  const head = '| Concluded | Experiment | Metric | Window | Baseline → window (expected) | Effect (95 % interval) | Decision | Outcome | Reason | Description |';
  const rule = '|---|---|---|---|---|---|---|---|---|---|';
  const body = rows.map((r) => `| ${[
    r.concludedAt.slice(0, 10),
    `${markdownText(r.name)} (\`${r.id}\`)`,
    `\`${r.primaryMetric}\``,
    `${r.window.start.slice(0, 10)} → ${r.window.end.slice(0, 10)}`,
    `${round(r.baselineValue)} → ${round(r.windowValue)} (expected ${round(r.expectedValue)})${r.unit ? ` ${r.unit}` : ''}`,
    effectText(r),
    r.decision.toUpperCase(),
    outcomeText(r.outcome) || 'n/a',
    r.reason.replace(/_/g, ' '),
    markdownText(r.description),
  ].join(' | ')} |`);
  return `${[head, rule, ...body].join('\n')}\n`;
}

/** "+12.3 % (−4.1 % to +30.2 %)", else the absolute effect, else "n/a". */
export function effectText(r: Pick<ResearchLogRow, 'effect'>): string {
  const { relative, relativeInterval, absolute, absoluteInterval } = r.effect;
  if (relative !== null) {
    return `${percent(relative)}${relativeInterval ? ` (${percent(relativeInterval.lower)} to ${percent(relativeInterval.upper)})` : ''}`;
  }
  if (absolute !== null) {
    return `${signed(absolute)}${absoluteInterval ? ` (${signed(absoluteInterval.lower)} to ${signed(absoluteInterval.upper)})` : ''}`;
  }
  return 'n/a';
}

function percent(fraction: number): string {
  const p = fraction * 100;
  return `${p >= 0 ? '+' : '−'}${Math.abs(p).toFixed(1)} %`;
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : '−'}${Math.abs(n).toPrecision(3)}`;
}

function round(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return 'n/a';
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

function descending(a: string, b: string): number {
  return a === b ? 0 : a < b ? 1 : -1;
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
