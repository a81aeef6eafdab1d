/**
 * Schedule definitions: the one source of truth for when each job runs. The CDK stack turns them into
 * EventBridge Scheduler cron expressions; the local scheduler fires on the same slots.
 * Slots are aligned to UTC midnight so "the 06:00 slot" means the same thing everywhere.
 */
const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;

/** Every N minutes, N dividing 1440 (e.g. 15, 60, 360, 1440). */
export interface Cadence { everyMinutes: number }

export function assertValidCadence(c: Cadence): void {
  const n = c.everyMinutes;
  const ok = Number.isInteger(n) && n >= 5 && n <= DAY_MINUTES && DAY_MINUTES % n === 0 && (n < 60 ? 60 % n === 0 : n % 60 === 0);
  if (!ok) throw new Error(`everyMinutes must divide a day evenly (5–1440, e.g. 15, 60, 360, 1440); got ${n}`);
}

/** EventBridge Scheduler expression firing at every slot boundary (UTC). */
export function toCronExpression(c: Cadence): string {
  assertValidCadence(c);
  const n = c.everyMinutes;
  if (n < 60) return `cron(0/${n} * * * ? *)`;
  if (n < DAY_MINUTES) return `cron(0 0/${n / 60} * * ? *)`;
  return 'cron(0 0 * * ? *)';
}

/** The slot a scheduled (or late) time belongs to: the latest boundary at or before it. */
export function slotFor(time: Date | string, c: Cadence): Date {
  const t = typeof time === 'string' ? Date.parse(time) : time.getTime();
  const period = c.everyMinutes * MINUTE_MS;
  return new Date(Math.floor(t / period) * period);
}

/** The first slot boundary strictly after `time`. */
export function nextSlotAfter(time: Date, c: Cadence): Date {
  return new Date(slotFor(time, c).getTime() + c.everyMinutes * MINUTE_MS);
}

/** Slots in [from, to), oldest first — used to spot missed collections. */
export function slotsBetween(from: Date, to: Date, c: Cadence): Date[] {
  const out: Date[] = [];
  const period = c.everyMinutes * MINUTE_MS;
  for (let t = nextSlotAfter(new Date(from.getTime() - 1), c).getTime(); t < to.getTime(); t += period) out.push(new Date(t));
  return out;
}

/**
 * Slots that should have run but have no run record: every slot from the oldest known run (or
 * `lookbackSlots` back, whichever is later) up to `graceMinutes` before `now`. A failed run is not a
 * missed one — it is reported as a failure; a missed slot means the schedule never delivered.
 */
export function missedSlots(runSlots: readonly string[], c: Cadence, now: Date, options: { lookbackSlots?: number; graceMinutes?: number } = {}): string[] {
  if (runSlots.length === 0) return [];
  const period = c.everyMinutes * MINUTE_MS;
  const seen = new Set(runSlots.map((s) => new Date(s).getTime()));
  const oldest = Math.min(...seen);
  const lookbackStart = slotFor(now, c).getTime() - (options.lookbackSlots ?? 50) * period;
  const until = new Date(now.getTime() - (options.graceMinutes ?? 15) * MINUTE_MS);
  return slotsBetween(new Date(Math.max(oldest, lookbackStart)), until, c)
    .filter((slot) => !seen.has(slot.getTime()))
    .map((slot) => slot.toISOString());
}

/** Midnight UTC on the first of the month after `now` — when monthly caps (X's, our spend cap) reset. */
export function startOfNextMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
}
