/**
 * Switchback designs: the window is cut into days (or blocks of k days) in the user's time zone and
 * each block is randomly assigned treatment or control, balanced across weekdays, with optional
 * washout days after each switch for tactics whose effect lingers. The seed is stored with the
 * experiment, so the schedule can be drawn again — by an auditor, and by the randomization test,
 * which redraws it thousands of times with other seeds.
 *
 * Pure: no clock, no I/O. Days are calendar dates (YYYY-MM-DD) in the design's IANA time zone; a
 * date's period is [its local midnight, the next local midnight).
 */
import * as z from './zod-mini';
import { isValidTimeZone, zonedTimeToInstant } from './time-zone';
import { SeededRandom } from './seeded-random';

const DAY_MS = 86_400_000;

export type Arm = 'treatment' | 'control';

/** One scheduled day. A washout day follows the new arm but is left out of the analysis. */
export interface ScheduledDay {
  date: string;
  arm: Arm;
  washout?: true;
}

/** A day the user reports the assignment was not followed (intention-to-treat keeps it; per-protocol drops it). */
export interface SkippedDay {
  date: string;
  reason?: string;
  recordedAt: string;
}

/** How a switchback experiment's schedule is drawn (stored on the experiment). */
export interface SwitchbackDesign {
  /** Days per block: 1 = switch daily. */
  blockDays: number;
  /** Days at the start of each block after a switch that are followed but not analysed. */
  washoutDays: number;
  /** Seed of the draw (31-bit positive integer). */
  seed: number;
  /** IANA time zone the days are counted in. */
  timeZone: string;
  schedule: ScheduledDay[];
  skips?: SkippedDay[];
  /**
   * Stretches appended by `verdict extend`, each drawn on its own (weekday balance, blocks and pairs
   * within the stretch) from a seed derived from `seed` and its number: `from` is its first index in
   * `schedule`. The randomization test redraws each stretch the same way.
   */
  stretches?: ScheduleExtension[];
  /**
   * The other switchbacks on the same metric that were scheduled when this one was drawn: the first
   * stretch was drawn balanced within their arms (see drawArms), so the randomization tests of both
   * redraw it that way. Set only for daily switching that overlaps another switchback.
   */
  balancedAgainst?: BalancedAgainst[];
}

/**
 * Another switchback's arm on each date of this schedule's first stretch, as it was when this one was
 * drawn: 'T' treatment, 'C' control, '-' not scheduled that day (or a washout day).
 */
export interface BalancedAgainst {
  experimentId: string;
  arms: string;
}

/** A switchback already scheduled on the same metric, as a new schedule is balanced against it. */
export interface ConcurrentSchedule {
  experimentId: string;
  schedule: readonly ScheduledDay[];
}

/** One appended stretch of a schedule (see SwitchbackDesign.stretches). */
export interface ScheduleExtension {
  from: number;
  seed: number;
}

/** The request part of a switchback design (POST /experiments with design: "switchback"). */
export const SwitchbackOptionsSchema = z
  .strictObject({
    blockDays: z.described(z._default(z.number().check(z.int(), z.gte(1), z.lte(7)), 1), 'Days per block (1 = switch daily)'),
    washoutDays: z.described(z._default(z.number().check(z.int(), z.gte(0), z.lte(6)), 0), 'Days after each switch that are followed but left out of the analysis (for effects that linger)'),
    seed: z.described(z.optional(z.number().check(z.int(), z.gte(1), z.lte(2_147_483_647))), 'Seed of the random schedule (default: drawn at creation and stored)'),
    timeZone: z.described(z.optional(z.string().check(z.refine((tz) => isValidTimeZone(tz), { message: 'Unknown IANA time zone' }))), 'Time zone the days are counted in (default: the digest time zone)'),
  }).check(z.refine((o) => o.washoutDays < o.blockDays, { message: 'washoutDays must be shorter than blockDays (with daily switching there is no room for a washout)', path: ['washoutDays'] }));
export type SwitchbackOptions = z.output<typeof SwitchbackOptionsSchema>;

// ── Local calendar ──────────────────────────────────────────────────────────────────────────────

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The local date (YYYY-MM-DD) of `instant` in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(timeZone, f);
  }
  return f.format(instant);
}

function parts(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number);
  return { year, month, day };
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The instant of local midnight at the start of `date` in `timeZone`. */
export function localMidnight(date: string, timeZone: string): Date {
  return zonedTimeToInstant(parts(date), 0, timeZone);
}

/** [start, end) of a local date, as ISO instants (23 or 25 hours long on DST changes). */
export function dayPeriod(date: string, timeZone: string): { start: string; end: string } {
  return { start: localMidnight(date, timeZone).toISOString(), end: localMidnight(addDays(date, 1), timeZone).toISOString() };
}

/** 0 = Sunday … 6 = Saturday of a calendar date. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/**
 * The local midnight nearest `instant` (a start given as a plain date, read as 00:00 UTC, lands on
 * that date's local midnight in any zone within ±12 h).
 */
export function nearestLocalMidnight(instant: string, timeZone: string): Date {
  const t = Date.parse(instant);
  const today = localDateOf(new Date(t), timeZone);
  const candidates = [addDays(today, -1), today, addDays(today, 1)].map((d) => localMidnight(d, timeZone));
  return candidates.reduce((best, c) => (Math.abs(c.getTime() - t) < Math.abs(best.getTime() - t) ? c : best));
}

/** The `days` consecutive local dates starting at the local date of `start`. */
export function windowDates(start: string, days: number, timeZone: string): string[] {
  const first = localDateOf(new Date(start), timeZone);
  return Array.from({ length: days }, (_, i) => addDays(first, i));
}

// ── Drawing the schedule ────────────────────────────────────────────────────────────────────────

/**
 * Draws the arms of `dates` (consecutive) with `seed`:
 * - daily switching: within each weekday, half the dates are treatment (an odd one out is drawn at
 *   random), so every weekday is (nearly) equally often treated and control;
 * - blocks of k days: consecutive blocks are paired and each pair gets one treatment and one control
 *   block in random order (an unpaired last block is drawn at random).
 * - daily switching balanced against other switchbacks (`cells`, see balanceCells): the same within
 *   each cell of their arms instead of each weekday, so half of the other's treatment days and half
 *   of its control days are treatment days here. Cells rather than weekday × cell: the smaller the
 *   strata a randomization test redraws within, the more the effect itself widens its reference
 *   distribution (pairs would cost about as much power as the balance gains); weekdays stay nearly
 *   balanced because the other's arms are, and the regression adjusts for them when they matter.
 * The first `washoutDays` of every block whose arm differs from the block before are washout days.
 */
export function drawSchedule(dates: readonly string[], design: { blockDays: number; washoutDays: number; seed: number }, cells?: readonly string[]): ScheduledDay[] {
  return assignArms(dates, design.blockDays, design.washoutDays, new SeededRandom(design.seed), [0], cells);
}

/** The code of a scheduled day in BalancedAgainst.arms. */
export function armCode(day: ScheduledDay | undefined): string {
  return !day || day.washout ? '-' : day.arm === 'treatment' ? 'T' : 'C';
}

/** Each concurrent schedule's codes on `dates` (those overlapping at least one analysed day). */
export function balancingRecord(dates: readonly string[], concurrent: readonly ConcurrentSchedule[]): BalancedAgainst[] {
  return [...concurrent]
    .sort((a, b) => a.experimentId.localeCompare(b.experimentId))
    .map((c) => {
      const byDate = new Map(c.schedule.map((d) => [d.date, d]));
      return { experimentId: c.experimentId, arms: dates.map((d) => armCode(byDate.get(d))).join('') };
    })
    .filter((b) => /[TC]/.test(b.arms));
}

/** The cell of each first-stretch date: the other switchbacks' codes on it, joined (undefined without any). */
export function balanceCells(design: { balancedAgainst?: readonly BalancedAgainst[] }): string[] | undefined {
  const record = design.balancedAgainst;
  if (!record?.length) return undefined;
  const n = Math.max(...record.map((b) => b.arms.length));
  return Array.from({ length: n }, (_, i) => record.map((b) => b.arms[i] ?? '-').join(''));
}

/**
 * A design prepared for repeated draws: the weekday strata (daily switching) or the block count. The
 * randomization test draws thousands of schedules from it, so a draw allocates one small array.
 */
export interface PreparedDesign {
  n: number;
  blockDays: number;
  /**
   * Daily switching: date indices per weekday (per weekday and stretch, once a schedule was extended);
   * balanced against other switchbacks: the first stretch's indices per cell of their arms instead.
   */
  strata: number[][];
  /** First index of each independently drawn stretch (0, then each extension's start). */
  starts: number[];
}

/**
 * `starts`: the first index of each stretch drawn on its own (default: one stretch, the whole window).
 * `cells`: per first-stretch date, the other switchbacks' codes it is balanced within (balanceCells);
 * only daily switching is balanced.
 */
export function prepareDesign(dates: readonly string[], blockDays: number, starts: readonly number[] = [0], cells?: readonly string[]): PreparedDesign {
  const stretchStarts = [...new Set([0, ...starts.filter((s) => s > 0 && s < dates.length)])].sort((a, b) => a - b);
  const byStratum = new Map<number | string, number[]>();
  const balanced = blockDays <= 1 && cells !== undefined;
  let stretch = 0;
  dates.forEach((d, i) => {
    while (stretch + 1 < stretchStarts.length && stretchStarts[stretch + 1] <= i) stretch++;
    const key = balanced && stretch === 0 ? `cell:${cells[i] ?? ''}` : stretch * 7 + weekdayOf(d);
    const list = byStratum.get(key) ?? [];
    list.push(i);
    byStratum.set(key, list);
  });
  return { n: dates.length, blockDays: Math.max(1, blockDays), strata: [...byStratum.values()], starts: stretchStarts };
}

/** One draw of the design: 1 = treatment, 0 = control, per date (see drawSchedule for the rules). */
export function drawArms(design: PreparedDesign, rng: SeededRandom): Uint8Array {
  const arms = new Uint8Array(design.n);
  if (design.blockDays <= 1) {
    for (const indices of design.strata) {
      const half = Math.floor(indices.length / 2);
      const pool: number[] = [];
      for (let k = 0; k < half; k++) pool.push(1, 0);
      if (indices.length % 2 === 1) pool.push(rng.next() < 0.5 ? 1 : 0);
      rng.shuffle(pool);
      for (let k = 0; k < indices.length; k++) arms[indices[k]] = pool[k];
    }
    return arms;
  }
  design.starts.forEach((from, s) => {
    const to = design.starts[s + 1] ?? design.n;
    const blocks = Math.ceil((to - from) / design.blockDays);
    const blockArms: number[] = [];
    for (let b = 0; b < blocks; b += 2) {
      const first = rng.next() < 0.5 ? 1 : 0;
      blockArms.push(first);
      if (b + 1 < blocks) blockArms.push(1 - first);
    }
    for (let i = from; i < to; i++) arms[i] = blockArms[Math.floor((i - from) / design.blockDays)];
  });
  return arms;
}

/**
 * Like drawSchedule, with an existing generator (the randomization test draws many schedules from one
 * stream) and the stretches of an extended schedule. A block's washout days follow a switch from the
 * block before — within a stretch, or from the last day of the stretch before.
 */
export function assignArms(
  dates: readonly string[], blockDays: number, washoutDays: number, rng: SeededRandom, starts: readonly number[] = [0], cells?: readonly string[],
): ScheduledDay[] {
  const k = Math.max(1, blockDays);
  const design = prepareDesign(dates, k, starts, cells);
  return withWashout(dates, drawArms(design, rng), k, washoutDays, design.starts);
}

function withWashout(dates: readonly string[], arms: ArrayLike<number>, k: number, washoutDays: number, starts: readonly number[]): ScheduledDay[] {
  const armOf = (i: number): Arm => (arms[i] === 1 ? 'treatment' : 'control');
  let stretch = 0;
  return dates.map((date, i) => {
    while (stretch + 1 < starts.length && starts[stretch + 1] <= i) stretch++;
    const from = starts[stretch];
    const block = Math.floor((i - from) / k);
    const inBlock = i - from - block * k;
    const previous = block > 0 ? from + (block - 1) * k : from - 1;
    const washout = washoutDays > 0 && previous >= 0 && arms[previous] !== arms[i] && inBlock < washoutDays;
    return washout ? { date, arm: armOf(i), washout: true as const } : { date, arm: armOf(i) };
  });
}

// ── Conditioning on a schedule drawn against this one ─────────────────────────────────────────

/**
 * A switchback whose first stretch was drawn balanced against this one (its balancedAgainst names
 * this one). Its draw depended on this schedule, so given its schedule the randomization test of
 * this one may only redraw schedules it could have been balanced against, each in proportion to how
 * likely its draw was given them (conditionalWeight). Cells are coded as integers: the other
 * partners' codes as a base-3 number times 3, plus this schedule's code (0 control, 1 treatment,
 * 2 not scheduled or washout).
 */
export interface DependentSchedule {
  experimentId: string;
  /** Its arm per first-stretch position (1 = treatment). */
  arm: Uint8Array;
  /** Per position: the index of that date in this schedule, or -1 where its record has '-' for this one. */
  mine: Int32Array;
  /** Per position: the recorded code of this schedule (used past the dates being redrawn). */
  recorded: Uint8Array;
  /** Per position: the other partners' codes as a base-3 number. */
  rest: Int32Array;
  cells: number;
  /** Log of the largest probability its draw can have given any schedule of this one (the rejection bound). */
  logBound: number;
}

const CODE: Record<string, number> = { C: 0, T: 1, '-': 2 };

const logFactorials: number[] = [0];
function logFactorial(k: number): number {
  while (logFactorials.length <= k) logFactorials.push(logFactorials[logFactorials.length - 1] + Math.log(logFactorials.length));
  return logFactorials[k];
}

/** Log-probability of one arrangement of a stratum of `size` days drawn as drawArms does (half each, an odd one by a coin). */
function logStratumProbability(size: number): number {
  const half = Math.floor(size / 2);
  return -(logFactorial(size) - logFactorial(half) - logFactorial(size - half)) - (size % 2 === 1 ? Math.LN2 : 0);
}

/**
 * `other` as a dependent of `mine` (both by id and design), or undefined when it was not drawn
 * against `mine`, or when its record of `mine`'s arms no longer matches them (then its draw did not
 * depend on the schedule `mine` has).
 */
export function dependentSchedule(mine: { id: string; design: SwitchbackDesign }, other: { id: string; design: SwitchbackDesign }): DependentSchedule | undefined {
  const record = other.design.balancedAgainst ?? [];
  const at = record.findIndex((b) => b.experimentId === mine.id);
  if (at < 0 || other.design.blockDays > 1) return undefined;
  const n = record[at].arms.length;
  const myIndex = new Map(mine.design.schedule.map((d, i) => [d.date, i]));
  const arm = new Uint8Array(n);
  const minePos = new Int32Array(n);
  const recorded = new Uint8Array(n);
  const rest = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const day = other.design.schedule[j];
    if (!day) return undefined;
    const code = record[at].arms[j];
    const i = myIndex.get(day.date);
    if (code !== '-' && (i === undefined || armCode(mine.design.schedule[i]) !== code)) return undefined;
    minePos[j] = code === '-' ? -1 : (i as number);
    recorded[j] = CODE[code] ?? 2;
    arm[j] = day.arm === 'treatment' ? 1 : 0;
    rest[j] = record.reduce((acc, b, k) => (k === at ? acc : acc * 3 + (CODE[b.arms[j]] ?? 2)), 0);
  }
  // The bound, per group of equal other codes: the most probable split of its redrawn days into this
  // schedule's treatment, control (and, with washout, washout) days.
  const groups = new Map<number, { variable: number; fixed: number }>();
  for (let j = 0; j < n; j++) {
    const g = groups.get(rest[j]) ?? { variable: 0, fixed: 0 };
    if (minePos[j] < 0) g.fixed++;
    else g.variable++;
    groups.set(rest[j], g);
  }
  const canWashout = mine.design.washoutDays > 0;
  let logBound = 0;
  for (const { variable, fixed } of groups.values()) {
    let best = -Infinity;
    for (let t = 0; t <= variable; t++) {
      for (let w = 0; w <= (canWashout ? variable - t : 0); w++) {
        best = Math.max(best, logStratumProbability(t) + logStratumProbability(variable - t - w) + logStratumProbability(fixed + w));
      }
    }
    logBound += best;
  }
  return { experimentId: other.id, arm, mine: minePos, recorded, rest, cells: 3 ** record.length, logBound };
}

/**
 * How likely the dependent's first stretch was given this schedule's codes (`codeAt(i)` for the
 * i < `n` being redrawn; the recorded codes past them), relative to the rejection bound: 0 when it
 * could not have been drawn (a cell where its treatment days are not half), else
 * exp(log-probability − logBound) ≤ 1. Accepting a redrawn schedule with this probability draws it
 * from the conditional distribution given the dependent's schedule.
 */
export function conditionalWeight(
  d: DependentSchedule, n: number, codeAt: (i: number) => number,
  scratch: { size: Int32Array; treated: Int32Array } = { size: new Int32Array(d.cells), treated: new Int32Array(d.cells) },
): number {
  const { size, treated } = scratch;
  size.fill(0);
  treated.fill(0);
  for (let j = 0; j < d.arm.length; j++) {
    const i = d.mine[j];
    const cell = d.rest[j] * 3 + (i < 0 ? 2 : i < n ? codeAt(i) : d.recorded[j]);
    size[cell]++;
    treated[cell] += d.arm[j];
  }
  let logP = 0;
  for (let c = 0; c < d.cells; c++) {
    if (size[c] === 0) continue;
    const half = Math.floor(size[c] / 2);
    if (treated[c] !== half && !(size[c] % 2 === 1 && treated[c] === half + 1)) return 0;
    logP += logStratumProbability(size[c]);
  }
  return Math.min(1, Math.exp(logP - d.logBound));
}

/** The seed of a schedule's `n`-th extension (1-based), derived from the design's seed: reproducible, and different for each. */
export function extensionSeed(seed: number, n: number): number {
  const rng = new SeededRandom((seed ^ Math.imul(n, 0x9e3779b1)) >>> 0);
  return 1 + rng.int(2_147_483_647);
}

/**
 * The design with `days` more scheduled dates after its last one: the new stretch is drawn on its own
 * from extensionSeed(seed, extensions so far + 1), so the schedule already followed is unchanged and
 * the whole one can be drawn again from the stored seed (redrawSchedule).
 */
export function extendSwitchbackDesign(design: SwitchbackDesign, days: number): SwitchbackDesign {
  const last = design.schedule[design.schedule.length - 1];
  if (!last || days <= 0) return design;
  const extensions = design.stretches ?? [];
  const from = design.schedule.length;
  const extension: ScheduleExtension = { from, seed: extensionSeed(design.seed, extensions.length + 1) };
  const dates = [...design.schedule.map((d) => d.date), ...Array.from({ length: days }, (_, i) => addDays(last.date, i + 1))];
  const starts = [0, ...extensions.map((x) => x.from), from];
  const arms = new Uint8Array(dates.length);
  design.schedule.forEach((d, i) => { arms[i] = d.arm === 'treatment' ? 1 : 0; });
  const drawn = drawArms(prepareDesign(dates.slice(from), design.blockDays), new SeededRandom(extension.seed));
  drawn.forEach((a, i) => { arms[from + i] = a; });
  const appended = withWashout(dates, arms, Math.max(1, design.blockDays), design.washoutDays, starts).slice(from);
  return { ...design, schedule: [...design.schedule, ...appended], stretches: [...extensions, extension] };
}

/** The whole schedule drawn again from the stored seeds (for audits: it equals the stored schedule). */
export function redrawSchedule(design: SwitchbackDesign): ScheduledDay[] {
  const dates = design.schedule.map((d) => d.date);
  const extensions = design.stretches ?? [];
  const starts = [0, ...extensions.map((x) => x.from)];
  const seeds = [design.seed, ...extensions.map((x) => x.seed)];
  const arms = new Uint8Array(dates.length);
  starts.forEach((from, s) => {
    const to = starts[s + 1] ?? dates.length;
    const cells = s === 0 ? balanceCells(design) : undefined;
    const drawn = drawArms(prepareDesign(dates.slice(from, to), design.blockDays, [0], cells), new SeededRandom(seeds[s]));
    drawn.forEach((a, i) => { arms[from + i] = a; });
  });
  return withWashout(dates, arms, Math.max(1, design.blockDays), design.washoutDays, starts);
}

/**
 * The design stored for a new switchback experiment whose window starts at `start` and lasts `days`.
 * With daily switching and `concurrent` switchbacks on the same metric over some of these dates, the
 * schedule is drawn balanced within their arms (a factorial design: each of this one's arms gets half
 * the other's treatment days and half its control days), which takes the chance collinearity of two
 * independent schedules out of both estimates; their arms are recorded in `balancedAgainst`.
 */
export function newSwitchbackDesign(
  options: Pick<SwitchbackOptions, 'blockDays' | 'washoutDays'> & { seed: number; timeZone: string }, start: string, days: number,
  concurrent: readonly ConcurrentSchedule[] = [],
): SwitchbackDesign {
  const dates = windowDates(start, days, options.timeZone);
  const balancedAgainst = options.blockDays <= 1 ? balancingRecord(dates, concurrent) : [];
  const record = balancedAgainst.length ? { balancedAgainst } : {};
  return {
    blockDays: options.blockDays,
    washoutDays: options.washoutDays,
    seed: options.seed,
    timeZone: options.timeZone,
    schedule: drawSchedule(dates, options, balanceCells(record)),
    ...record,
  };
}

// ── Reading the schedule ────────────────────────────────────────────────────────────────────────

/** What to do on one date: the scheduled day, whether it was reported skipped, and the local period. */
export interface DayAssignment extends ScheduledDay {
  start: string;
  end: string;
  skipped?: SkippedDay;
}

/** The scheduled day containing `instant`, or undefined outside the schedule. */
export function assignmentAt(design: SwitchbackDesign, instant: Date): DayAssignment | undefined {
  const date = localDateOf(instant, design.timeZone);
  const day = design.schedule.find((d) => d.date === date);
  if (!day) return undefined;
  const skipped = design.skips?.find((s) => s.date === date);
  return { ...day, ...dayPeriod(date, design.timeZone), ...(skipped && { skipped }) };
}

/** Counts of a schedule's days by arm (washout days counted apart). */
export function scheduleCounts(schedule: readonly ScheduledDay[]): { treatment: number; control: number; washout: number } {
  let treatment = 0;
  let control = 0;
  let washout = 0;
  for (const d of schedule) {
    if (d.washout) washout++;
    else if (d.arm === 'treatment') treatment++;
    else control++;
  }
  return { treatment, control, washout };
}

/**
 * Records that `date`'s assignment was not followed. Only dates of the schedule that have begun
 * (local midnight ≤ now) can be skipped; recording a date again replaces its reason.
 */
export function recordSkip(design: SwitchbackDesign, date: string, reason: string | undefined, now: Date):
  { ok: true; design: SwitchbackDesign } | { ok: false; message: string } {
  if (!design.schedule.some((d) => d.date === date)) {
    return { ok: false, message: `${date} is not in the schedule (${design.schedule[0]?.date} to ${design.schedule[design.schedule.length - 1]?.date})` };
  }
  if (localMidnight(date, design.timeZone).getTime() > now.getTime()) {
    return { ok: false, message: `${date} has not begun yet; record a skip on or after the day` };
  }
  const skip: SkippedDay = { date, recordedAt: now.toISOString(), ...(reason && { reason }) };
  const skips = [...(design.skips ?? []).filter((s) => s.date !== date), skip].sort((a, b) => a.date.localeCompare(b.date));
  return { ok: true, design: { ...design, skips } };
}
