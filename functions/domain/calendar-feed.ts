/**
 * The iCalendar feed of switchback schedules (RFC 5545): one all-day event per scheduled day of each
 * planned or running switchback, saying whether it is a treatment or a control day, so a calendar app
 * that subscribes to GET /calendar.ics shows the user what to do each morning. Pure.
 */
import type { Experiment } from './experiment';
import { addDays } from './switchback';

const CRLF = '\r\n';

/** TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newlines; control characters dropped. */
export function escapeText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets (continuation lines start with a space), never splitting a UTF-8 character. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join(`${CRLF} `);
}

const basicDate = (date: string) => date.replace(/-/g, '');
const basicDateTime = (iso: string) => `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;

/** The feed for `experiments` (switchbacks that are planned or running; others are ignored). */
export function calendarFeed(experiments: readonly Experiment[], now: Date, options: { calendarName?: string } = {}): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Verdict//Switchback schedules//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(options.calendarName ?? 'Verdict experiments')}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT6H',
    'X-PUBLISHED-TTL:PT6H',
  ];
  const stamp = basicDateTime(now.toISOString());
  for (const e of experiments) {
    if (e.design !== 'switchback' || !e.switchback || (e.status !== 'running' && e.status !== 'planned')) continue;
    const total = e.switchback.schedule.length;
    e.switchback.schedule.forEach((d, i) => {
      const skipped = e.switchback!.skips?.some((s) => s.date === d.date);
      const summary = d.arm === 'treatment' ? `Do: ${e.name}` : `Control day: no “${e.name}”`;
      const description = [
        `${d.arm === 'treatment' ? 'Treatment' : 'Control'} day ${i + 1} of ${total} of a switchback experiment on ${e.primaryMetric}.`,
        d.washout ? 'Washout day: follow the assignment; the day is not analysed.' : '',
        `Hypothesis: ${e.hypothesis}`,
        `Could not follow it? verdict skip ${e.id} ${d.date} --reason "…"`,
        skipped ? 'Recorded as not followed.' : '',
      ].filter(Boolean).join('\n');
      lines.push(
        'BEGIN:VEVENT',
        `UID:${e.id}-${basicDate(d.date)}@verdict`,
        `DTSTAMP:${stamp}`,
        `DTSTART;VALUE=DATE:${basicDate(d.date)}`,
        `DTEND;VALUE=DATE:${basicDate(addDays(d.date, 1))}`,
        `SUMMARY:${escapeText(summary)}`,
        `DESCRIPTION:${escapeText(description)}`,
        `CATEGORIES:${d.arm === 'treatment' ? 'TREATMENT' : 'CONTROL'}`,
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
      );
    });
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
