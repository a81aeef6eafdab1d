/**
 * Terminal output for people: colours only on a TTY (and never with NO_COLOR), aligned tables
 * (cli-table3), relative dates ("ends in 3 days"), numbers in the metric's unit, and sparklines.
 */
import Table from 'cli-table3';
import type { Experiment } from '../domain/experiment';
import type { StoredPlan } from '../domain/planning/stored-plan';

export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  enabled: boolean;
}

/** ANSI colours when `stream` is a terminal and NO_COLOR is unset (FORCE_COLOR forces them). */
export function palette(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Palette {
  const enabled = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' ? true : Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { enabled, bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

/** An aligned table; plain borders and no colour codes when colours are off. */
export function table(head: string[], rows: string[][], p: Palette): string {
  const t = new Table({ head, style: { head: p.enabled ? ['cyan'] : [], border: p.enabled ? ['grey'] : [], compact: false } });
  t.push(...rows);
  return t.toString();
}

const UNITS: [string, number][] = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]];

/**
 * "in 3 days", "2 hours ago", "now". Written out rather than Intl.RelativeTimeFormat: the first Intl
 * formatter of a process loads ICU's locale data, about 20 ms — half of a `verdict list` — for words
 * these few rules give exactly (the same text as RelativeTimeFormat('en'): whole units, 1,234 grouped).
 */
export function relativeTime(iso: string, now: Date): string {
  const diff = Date.parse(iso) - now.getTime();
  const abs = Math.abs(diff);
  if (abs < 60_000) return 'now';
  // Days from 36 hours on, so "in 3 days" rather than "in 71 hours".
  const [unit, ms] = abs >= 36 * 3_600_000 ? UNITS[0] : abs >= 3_600_000 ? UNITS[1] : UNITS[2];
  const signed = Math.round(diff / ms); // half a unit rounds up: −1.5 days is "yesterday", +1.5 "in 2 days"
  if (unit === 'day' && Math.abs(signed) === 1) return signed > 0 ? 'tomorrow' : 'yesterday';
  const n = Math.abs(signed);
  const amount = `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${unit}${n === 1 ? '' : 's'}`;
  return signed > 0 ? `in ${amount}` : `${amount} ago`;
}

/** What happens next or happened last, in words: "ends in 3 days", "concluded yesterday". */
export function whenText(e: Pick<Experiment, 'status' | 'start' | 'end' | 'concludedAt' | 'abandonedAt'>, now: Date): string {
  switch (e.status) {
    case 'backlog': return 'not scheduled';
    case 'planned': return e.start ? `starts ${relativeTime(e.start, now)}` : 'planned';
    case 'running':
      if (!e.end) return 'running';
      return Date.parse(e.end) <= now.getTime() ? `ended ${relativeTime(e.end, now)}; verdict due` : `ends ${relativeTime(e.end, now)}`;
    case 'concluded': return `concluded ${relativeTime(e.concludedAt ?? e.end ?? now.toISOString(), now)}`;
    case 'abandoned': return `abandoned ${relativeTime(e.abandonedAt ?? now.toISOString(), now)}`;
  }
}

export function statusText(status: Experiment['status'], p: Palette): string {
  const label = status.toUpperCase();
  return status === 'running' ? p.green(label) : status === 'planned' ? p.cyan(label) : status === 'abandoned' ? p.dim(label) : status === 'backlog' ? p.yellow(label) : label;
}

export function decisionText(decision: 'keep' | 'discard', p: Palette): string {
  return decision === 'keep' ? p.green(p.bold('KEEP')) : p.red(p.bold('DISCARD'));
}

/** YYYY-MM-DD → YYYY-MM-DD (the window's last day is end − 1 ms, as `end` is exclusive). */
export function windowText(start: string | undefined, end: string | undefined): string {
  if (!start || !end) return '—';
  return `${start.slice(0, 10)} → ${new Date(Date.parse(end) - 1).toISOString().slice(0, 10)}`;
}

/** A value in its unit with sensible precision; fractions (0–1) as percent. */
export function valueText(n: number | null | undefined, unit?: string): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  if (unit?.startsWith('fraction')) return `${(n * 100).toFixed(2)} %`;
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return `${n.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/** "+12.3 %" for a relative effect. */
export function percentText(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return 'n/a';
  return `${fraction >= 0 ? '+' : '−'}${Math.abs(fraction * 100).toFixed(1)} %`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** One character per value, scaled between the series' min and max; gaps (null) are blank. */
export function sparkline(values: readonly (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return values.map(() => ' ').join('');
  const min = Math.min(...present);
  const max = Math.max(...present);
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return ' ';
    if (max === min) return BARS[3];
    return BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))];
  }).join('');
}

/** A marker line under a sparkline: `└─window─┘` spanning positions [from, to). */
export function spanMarker(length: number, from: number, to: number, label = 'window'): string {
  const a = Math.max(0, Math.min(length, from));
  const b = Math.max(a, Math.min(length, to));
  const width = b - a;
  if (width <= 0) return '';
  if (width === 1) return `${' '.repeat(a)}↑ ${label}`;
  const inner = width - 2;
  const text = inner >= label.length + 2 ? label : '';
  const left = Math.floor((inner - text.length) / 2);
  return `${' '.repeat(a)}└${'─'.repeat(left)}${text}${'─'.repeat(inner - left - text.length)}┘${text ? '' : ` ${label}`}`;
}

/** The plan as a few lines: the summary, what 1/2/4/6-week windows could detect, and each warning. */
export function planLines(plan: StoredPlan, p: Palette): string[] {
  const lines = [`${p.bold('Plan')}  ${plan.summary}`];
  if (plan.byWindow.length > 0) {
    const cells = plan.byWindow.map((w) => `${w.windowDays} d: ${w.detectableLift === null ? 'nothing plausible' : `+${Math.round(w.detectableLift * 100)} %`}`);
    lines.push(`  Detectable at 80 % power (baseline ${plan.baselineDays} d): ${cells.join(' · ')}`);
  }
  for (const w of plan.warnings) lines.push(`  ${p.yellow('!')} ${w.message}`);
  return lines;
}

/**
 * Warnings a script must acknowledge with --yes before creating: the window cannot detect the target
 * lift, or another experiment on the metric overlaps it. (No data or no collector yet is printed, not
 * blocking: a new account creates first and collects after.)
 */
export function planNeedsConfirmation(plan: StoredPlan): boolean {
  return plan.warnings.some((w) => w.code === 'underpowered' || w.code === 'overlapping_experiment');
}
