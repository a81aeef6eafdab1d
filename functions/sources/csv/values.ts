/** Cell parsers for imported CSVs: counts with thousands separators, days, instants, booleans. */

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, sept: 8, oct: 9, nov: 10, dec: 11,
};

/** A non-negative integer count; "1,234" and "1 234" allowed. Undefined when not one. */
export function parseCount(raw: string | undefined): number | undefined {
  const s = (raw ?? '').trim().replace(/[,\s_](?=\d{3}(\D|$))/g, '');
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A non-negative number (dollars, snapshot values). */
export function parseNumber(raw: string | undefined): number | undefined {
  const s = (raw ?? '').trim().replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/**
 * A calendar day as `YYYY-MM-DD`: ISO dates, and X's export style "Tue, Mar 10, 2026" / "Mar 10, 2026".
 */
export function parseDay(raw: string | undefined): string | undefined {
  const s = (raw ?? '').trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return validDay(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  m = /^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(s);
  if (m) {
    const month = MONTHS[m[1].toLowerCase().slice(0, m[1].toLowerCase().startsWith('sept') ? 4 : 3)];
    if (month === undefined) return undefined;
    return validDay(Number(m[3]), month, Number(m[2]));
  }
  return undefined;
}

function validDay(year: number, month: number, day: number): string | undefined {
  const d = new Date(Date.UTC(year, month, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month || d.getUTCDate() !== day) return undefined;
  return d.toISOString().slice(0, 10);
}

/**
 * An instant as canonical ISO-8601 (`…T…:…:….000Z`), so re-imports hit the same keys: ISO date-times
 * with an offset (or Z), `YYYY-MM-DD` and `YYYY-MM-DD HH:MM[:SS]` (taken as UTC), X-style days,
 * Unix seconds or milliseconds.
 */
export function parseInstant(raw: string | undefined): string | undefined {
  const s = (raw ?? '').trim();
  if (!s) return undefined;
  if (/^\d{10}$/.test(s)) return new Date(Number(s) * 1000).toISOString();
  if (/^\d{13}$/.test(s)) return new Date(Number(s)).toISOString();
  const day = parseDay(s);
  if (day) return `${day}T00:00:00.000Z`;
  // Date and time, `T` or a space between; zone: none (UTC), Z, ` UTC`/` GMT`, or an offset with or without a
  // colon and a space before it (`2019-01-31 23:32 +0000`, `2024-03-13 00:03:09.183465+00:00`).
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!m) return undefined;
  const [, date, hm, sec = '00', frac = '', zone = 'Z'] = m;
  if (!parseDay(date)) return undefined;
  const offset = /^(Z|UTC|GMT)$/i.test(zone) ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  // Milliseconds only: Date.parse does not take microseconds everywhere.
  const t = Date.parse(`${date}T${hm}:${sec}${frac ? `.${frac.slice(0, 3).padEnd(3, '0')}` : ''}${offset}`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * A count from an export that writes counts as floats (`2633.0`, X's old analytics) or with thousands
 * separators: whole numbers only. A fraction or E-notation (`1.2E+04`, Excel) is not silently rounded:
 * undefined.
 */
export function parseExportCount(raw: string | undefined): number | undefined {
  const s = (raw ?? '').trim();
  const whole = /^(\d+)\.0+$/.exec(s);
  return parseCount(whole ? whole[1] : s);
}

/** True for a number Excel wrote in E-notation (`6.49E+17`): its digits past the mantissa are lost. */
export function isENotation(raw: string | undefined): boolean {
  return /^\d+(\.\d+)?E\+?\d+$/i.test((raw ?? '').trim());
}

export function parseBoolean(raw: string | undefined): boolean | undefined {
  const s = (raw ?? '').trim().toLowerCase();
  if (['true', 'yes', '1', 'y'].includes(s)) return true;
  if (['false', 'no', '0', 'n'].includes(s)) return false;
  return undefined;
}

/** `YYYY-MM-DD` + n days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function startOfDay(day: string): string {
  return `${day}T00:00:00.000Z`;
}
