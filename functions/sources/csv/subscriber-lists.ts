/**
 * Newsletter subscriber exports (beehiiv, Substack, Mailchimp, Buttondown, Kit) → daily
 * newsletter.subscribers snapshots. Each export is a list of people with a join time and, in some
 * exports, a leave time; the count at each UTC midnight is the people who had joined and not yet left.
 *
 * Which columns, per export (header names as documented, matched case- and punctuation-insensitively):
 *
 * | format                   | join                                            | leave                  | status column, values never / no longer counted |
 * |--------------------------|-------------------------------------------------|------------------------|--------------------------------------------------|
 * | beehiiv-subscribers      | `Subscription Date (Substack)` else `created_at` | `unsubscribed_at`      | `status`: pending, validating / inactive, unsubscribed |
 * | substack-subscribers     | `subscription_created_at` else `created_at`     | —                      | `email_disabled` true → not counted               |
 * | mailchimp-subscribed     | `CONFIRM_TIME` else `OPTIN_TIME`                | —                      | —                                                |
 * | mailchimp-unsubscribed   | `CONFIRM_TIME` else `OPTIN_TIME`                | `UNSUB_TIME`           | —                                                |
 * | mailchimp-cleaned        | `CONFIRM_TIME` else `OPTIN_TIME`                | `CLEAN_TIME` (bounced) | —                                                |
 * | buttondown-subscribers   | `subscription_date` else `creation_date`        | `unsubscription_date`  | `subscriber_type`: unactivated / unsubscribed, removed, … |
 * | kit-subscribers          | `created_at`                                    | — (not exported)       | `state`: — / inactive, cancelled, bounced, complained |
 *
 * What an export without leave times can tell: who is subscribed at export time and when each of them
 * joined — so the last count is exact, and every earlier count is a lower bound (people who left before
 * the export are not in the file, or are in it without a date). It cannot tell past net growth: the
 * growth it shows is the joins of the people who stayed. Rows marked as gone but without a leave time
 * are therefore never counted, and the import says how many there were.
 */
import type { Observation } from '../../domain/observation';
import type { CsvRecord } from './csv-reader';
import { addDays, parseBoolean, parseInstant, startOfDay } from './values';

export const SUBSCRIBER_FORMATS = [
  'beehiiv-subscribers', 'substack-subscribers', 'mailchimp-subscribed', 'mailchimp-unsubscribed', 'mailchimp-cleaned',
  'buttondown-subscribers', 'kit-subscribers',
] as const;
export type SubscriberFormat = (typeof SUBSCRIBER_FORMATS)[number];

export interface Member {
  /** Canonical ISO-8601 join time. */
  join: string;
  /** Canonical ISO-8601 leave time, when the export has one. */
  leave?: string;
}

export interface MemberList {
  format: SubscriberFormat;
  members: Member[];
  rowErrors: { line: number; message: string }[];
  notices: string[];
  /** Whether this export carries leave times at all. */
  hasLeaveTimes: boolean;
}

interface ListSpec {
  label: string;
  email: readonly string[];
  /** Join columns in order of preference (the first non-empty one is used). */
  join: readonly string[];
  leave: readonly string[];
  status?: readonly string[];
  /** Status values of people who never confirmed: skipped. */
  never?: readonly string[];
  /** Status values of people who left: counted until their leave time, never when it is missing. */
  gone?: readonly string[];
  /** A boolean column that, when true, means the address no longer receives the newsletter. */
  disabled?: string;
}

const MAILCHIMP_JOIN = ['confirm_time', 'optin_time'];

export const LIST_SPECS: Record<SubscriberFormat, ListSpec> = {
  'beehiiv-subscribers': {
    label: 'beehiiv', email: ['email'], join: ['subscription_date_substack', 'created_at', 'created', 'subscribe_date', 'subscribed_at', 'date_subscribed', 'signup_date'],
    leave: ['unsubscribed_at', 'unsubscribe_date', 'date_unsubscribed', 'unsubscribed_date'], status: ['status'],
    never: ['pending', 'validating'], gone: ['inactive', 'unsubscribed'],
  },
  'substack-subscribers': {
    label: 'Substack', email: ['email'], join: ['subscription_created_at', 'created_at'], leave: [], disabled: 'email_disabled',
  },
  'mailchimp-subscribed': { label: 'Mailchimp (subscribed)', email: ['email_address'], join: MAILCHIMP_JOIN, leave: [] },
  'mailchimp-unsubscribed': { label: 'Mailchimp (unsubscribed)', email: ['email_address'], join: MAILCHIMP_JOIN, leave: ['unsub_time'] },
  'mailchimp-cleaned': { label: 'Mailchimp (cleaned)', email: ['email_address'], join: MAILCHIMP_JOIN, leave: ['clean_time'] },
  'buttondown-subscribers': {
    label: 'Buttondown', email: ['email'], join: ['subscription_date', 'creation_date'], leave: ['unsubscription_date'], status: ['subscriber_type'],
    never: ['unactivated'], gone: ['unsubscribed', 'removed', 'undeliverable', 'spammy', 'complained', 'bounced'],
  },
  'kit-subscribers': {
    label: 'Kit', email: ['email_address', 'email'], join: ['created_at', 'subscribed_at'], leave: ['unsubscribed_at', 'canceled_at', 'cancelled_at'], status: ['state', 'status'],
    gone: ['inactive', 'cancelled', 'canceled', 'bounced', 'complained'],
  },
};

/** Which subscriber export a set of column keys is, or undefined. Checked before the generic beehiiv rule. */
export function detectSubscriberFormat(cols: ReadonlySet<string>): SubscriberFormat | undefined {
  const has = (...names: string[]) => names.every((n) => cols.has(n));
  const any = (...names: string[]) => names.some((n) => cols.has(n));
  if (has('email_address') && any(...MAILCHIMP_JOIN)) {
    if (cols.has('unsub_time')) return 'mailchimp-unsubscribed';
    if (cols.has('clean_time')) return 'mailchimp-cleaned';
    return 'mailchimp-subscribed';
  }
  if (has('email', 'active_subscription') && any('subscription_created_at', 'created_at')) return 'substack-subscribers';
  if (has('email', 'subscriber_type') && any('subscription_date', 'creation_date')) return 'buttondown-subscribers';
  if (has('email_address', 'state', 'created_at')) return 'kit-subscribers';
  if (has('email', 'status') && any(...LIST_SPECS['beehiiv-subscribers'].join)) return 'beehiiv-subscribers';
  return undefined;
}

/** Reads one export's people; bad rows (a join or leave after `notAfter` among them) are reported by line and contribute nothing. */
export function readMembers(format: SubscriberFormat, records: readonly CsvRecord[], cols: ReadonlyMap<string, number>, notAfter: string): MemberList {
  const spec = LIST_SPECS[format];
  const cell = (r: CsvRecord, names: readonly string[]) => {
    for (const n of names) {
      const i = cols.get(n);
      const v = i === undefined ? undefined : r.cells[i]?.trim();
      if (v) return v;
    }
    return undefined;
  };
  const present = (names: readonly string[]) => names.filter((n) => cols.has(n));
  const hasLeaveTimes = present(spec.leave).length > 0;
  const members: Member[] = [];
  const rowErrors: MemberList['rowErrors'] = [];
  let goneWithoutLeave = 0;
  let disabled = 0;
  for (const r of records) {
    const email = cell(r, spec.email);
    const status = spec.status ? (cell(r, spec.status) ?? '').toLowerCase() : undefined;
    const joinRaw = cell(r, spec.join);
    const join = parseInstant(joinRaw);
    const leaveRaw = cell(r, spec.leave);
    const leave = leaveRaw ? parseInstant(leaveRaw) : undefined;
    const problem = !email || !email.includes('@') ? `${spec.email[0]}: expected an email address`
      : spec.status && !status ? `${present(spec.status)[0] ?? spec.status[0]}: required`
      : !join ? `${present(spec.join).join(' / ') || spec.join[0]}: expected a date or ISO-8601 time, got "${joinRaw ?? ''}"`
      : leaveRaw && !leave ? `${present(spec.leave)[0]}: expected a date or ISO-8601 time, got "${leaveRaw}"`
      : leave && leave < join ? `${present(spec.leave)[0]} ${leave} is before the join time ${join}`
      : join > notAfter ? `${present(spec.join).join(' / ')} ${join} is in the future`
      : leave && leave > notAfter ? `${present(spec.leave)[0]} ${leave} is in the future`
      : undefined;
    if (problem || !join) { rowErrors.push({ line: r.line, message: problem ?? 'invalid' }); continue; }
    if (status !== undefined && spec.never?.includes(status)) continue; // never confirmed: never counted
    if (spec.disabled && parseBoolean(cell(r, [spec.disabled])) === true) { disabled++; continue; }
    // A leave time is honoured whatever the status says; a status that says "gone" without one cannot be placed in time.
    // Files that are lists of leavers (Mailchimp unsubscribed/cleaned) have no status column: every row left.
    const gone = status !== undefined ? spec.gone?.includes(status) ?? false : hasLeaveTimes;
    if (gone && !leave) { goneWithoutLeave++; continue; }
    members.push(leave ? { join, leave } : { join });
  }
  const notices: string[] = [];
  const joinCols = present(spec.join).join(' else ');
  if (hasLeaveTimes) {
    notices.push(`${spec.label}: joins from ${joinCols}, leaves from ${present(spec.leave).join(' / ')}; each midnight counts the people in the file who had joined and not yet left.`);
  } else {
    notices.push(`${spec.label}: joins from ${joinCols}; this export has no leave times, so each midnight counts the people still subscribed at export who had joined by then. The last count is exact; earlier counts are lower bounds (people who left before the export are missing), so past growth is not net of unsubscribes.`);
  }
  if (goneWithoutLeave > 0) notices.push(`${goneWithoutLeave} row(s) marked as no longer subscribed have no leave time: not counted at any time (earlier counts understate by up to ${goneWithoutLeave}).`);
  if (disabled > 0) notices.push(`${disabled} row(s) with ${spec.disabled}=true are not counted at any time.`);
  if (format.startsWith('mailchimp')) notices.push('Mailchimp times carry no zone: read as UTC.');
  return { format, members, rowErrors, notices, hasLeaveTimes };
}

/**
 * newsletter.subscribers at each UTC midnight from the day after the first join through the midnight
 * after `endAt` (default: the last join or leave). Deterministic, so re-imports write the same keys.
 */
export function subscriberSnapshots(members: readonly Member[], options: { endAt?: string; source: string; account?: string }): Observation[] {
  if (members.length === 0) return [];
  const events = members.flatMap((m) => [{ t: m.join, d: 1 }, ...(m.leave ? [{ t: m.leave, d: -1 }] : [])]).sort((a, b) => a.t.localeCompare(b.t) || b.d - a.d);
  const firstDay = events[0].t.slice(0, 10);
  const lastDay = (options.endAt ?? events[events.length - 1].t).slice(0, 10);
  const observations: Observation[] = [];
  let value = 0;
  let e = 0;
  for (let day = addDays(firstDay, 1); day <= addDays(lastDay, 1); day = addDays(day, 1)) {
    const midnight = startOfDay(day);
    while (e < events.length && events[e].t < midnight) value += events[e++].d;
    observations.push({ metric: 'newsletter.subscribers', at: midnight, value, source: options.source, ...(options.account && { account: options.account }) });
  }
  return observations;
}
