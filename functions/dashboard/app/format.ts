/** Numbers, dates and durations as a marketer reads them. Dates are UTC days, like the API's. */
const DAY_MS = 86_400_000;

/** A metric value in its catalog unit: fractions as percentages, rates with sensible precision. */
export function formatValue(value: number | null | undefined, unit?: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (unit?.startsWith('fraction')) return `${(value * 100).toFixed(value < 0.1 ? 2 : 1)} %`;
  const abs = Math.abs(value);
  const text = abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  return unit ? `${text} ${unit}` : text;
}

/** A relative change (fraction) as a signed percentage: 0.123 → "+12.3 %". */
export function formatLift(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  const p = fraction * 100;
  return `${p >= 0 ? '+' : '−'}${Math.abs(p).toFixed(Math.abs(p) >= 10 ? 0 : 1)} %`;
}

/** A signed absolute difference in the metric's unit. */
export function formatDelta(value: number | null | undefined, unit?: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = formatValue(Math.abs(value), unit);
  return `${value >= 0 ? '+' : '−'}${text}`;
}

/** A probability (0–1) as a percentage without false precision. */
export function formatProbability(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  if (p > 0.99) return '> 99 %';
  if (p < 0.01) return '< 1 %';
  return `${Math.round(p * 100)} %`;
}

const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });

/** "3 Mar" (with the year when it is not this year's). */
export function formatDate(iso: string | undefined, now = new Date()): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.getUTCFullYear() === now.getUTCFullYear() ? shortDate.format(d) : longDate.format(d);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : dateTime.format(d);
}

/** An experiment window "3 Mar – 17 Mar"; `end` is exclusive, so the last day shown is the day before. */
export function formatWindow(start: string | undefined, end: string | undefined, now = new Date()): string {
  if (!start || !end) return 'not scheduled';
  return `${formatDate(start, now)} – ${formatDate(new Date(Date.parse(end) - 1).toISOString(), now)}`;
}

/** "5 min ago", "3 h ago", "in 2 d". */
export function formatRelative(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return 'never';
  const diff = Date.parse(iso) - now.getTime();
  if (Number.isNaN(diff)) return '—';
  const abs = Math.abs(diff);
  const text = abs < 60_000 ? 'just now'
    : abs < 3_600_000 ? `${Math.round(abs / 60_000)} min`
    : abs < DAY_MS ? `${Math.round(abs / 3_600_000)} h`
    : `${Math.round(abs / DAY_MS)} d`;
  if (text === 'just now') return text;
  return diff < 0 ? `${text} ago` : `in ${text}`;
}

/** Whole days from `now` until `end` (0 once it has passed). */
export function daysUntil(end: string | undefined, now = new Date()): number {
  if (!end) return 0;
  return Math.max(0, Math.ceil((Date.parse(end) - now.getTime()) / DAY_MS));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
