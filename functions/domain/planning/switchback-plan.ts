/**
 * Power planning for switchbacks, from the same noise profile as the before/after plan: a switchback
 * compares treatment days with control days inside the window, so its standard error is that of two
 * means of daily growth (treatment days at the lifted level), not a forecast's. Shows what a window
 * can detect, the window a target lift needs, and the gain over a before/after test of the same
 * account — the power a randomized design buys.
 *
 * Pure. Count-rate metrics only (switchbacks compare days).
 */
import { MAX_WINDOW_DAYS, MIN_WINDOW_DAYS } from '../experiment';
import { parseMetricKey } from '../metric-catalog';
import { addDays, localDateOf, localMidnight } from '../switchback';
import { levelScale } from '../scoring/count-rate-model';
import { studentTCdf, studentTQuantile } from '../scoring/statistics';
import { defaultBaselineDays, detectableEffect, detectableLift, type NoiseProfile, PLAN_POWER, PLAN_WINDOWS, powerAt } from './power-plan';

/** Longest switchback window searched (days); windows over 42 days cannot be created, but the plan says how long it would take. */
const MAX_SEARCH_DAYS = 182;
const MAX_LIFT = 20;

export interface SwitchbackShape {
  blockDays: number;
  washoutDays: number;
  /** Mean information lost per switch to snapshots between local midnights (snapshotBlur); 0 or absent: exact days. */
  blur?: number;
}

const DAILY: SwitchbackShape = { blockDays: 1, washoutDays: 0 };

/** Days a window of `windowDays` analyses on average: washout days are expected after ~¾ of block boundaries (pairs always switch inside, half the time between). */
export function analysedDays(windowDays: number, shape: SwitchbackShape = DAILY): number {
  if (shape.washoutDays === 0 || shape.blockDays <= 1) return windowDays;
  const blocks = Math.ceil(windowDays / shape.blockDays);
  return Math.max(2, windowDays - 0.75 * (blocks - 1) * shape.washoutDays);
}

/**
 * How much of a switch days read off snapshots lose: a local midnight inside a snapshot interval splits
 * that interval's growth between the two days by time, so a switch at that midnight is blurred — by
 * gap · a(1 − a) day-equivalents (gap in days, at most one; a = the midnight's position in the
 * interval), against a quarter day per analysed day for exact daily counts. The mean over the local
 * midnights of the history's own snapshots (`snapshotMs`, sorted): the collector keeps its hours, so
 * the window will be read the same way. 0 with snapshots at the midnights, or fewer than two.
 */
export function snapshotBlur(snapshotMs: readonly number[], timeZone: string): number {
  if (snapshotMs.length < 2) return 0;
  const last = snapshotMs[snapshotMs.length - 1];
  let date = addDays(localDateOf(new Date(snapshotMs[0]), timeZone), 1);
  let total = 0;
  let midnights = 0;
  let j = 0;
  for (let m = localMidnight(date, timeZone).getTime(); m < last; date = addDays(date, 1), m = localMidnight(date, timeZone).getTime()) {
    while (j + 1 < snapshotMs.length && snapshotMs[j + 1] <= m) j++;
    const before = snapshotMs[j];
    const after = snapshotMs[j + 1];
    midnights++;
    if (before === m || after === undefined || after <= before) continue;
    const a = (m - before) / (after - before);
    total += Math.min(1, (after - before) / 86_400_000) * a * (1 - a);
  }
  return midnights ? Math.min(0.2, total / midnights) : 0;
}

/**
 * Daily variance of the control days: the profile's, but for counts of events (followers, visitors,
 * customers) never below a Poisson count of the same mean — no count varies less, and a history that
 * measured less (a quiet stretch, or days read off snapshots between midnights, which smooth
 * neighbouring days into each other and blur the switch between them just as much) would promise
 * power no test has. Amounts (currency) have no such floor.
 */
export function switchbackDailyVariance(p: NoiseProfile): number {
  const unit = parseMetricKey(p.metric)?.definition.unit ?? '';
  return unit.startsWith('currency') ? p.unitVariance : Math.max(p.unitVariance, p.level);
}

/**
 * Standard error (metric unit/day) of the treatment-minus-control effect over a switchback window,
 * when the true relative lift is `lift`; df of the regression (intercept, trend, arm, weekdays when
 * the history shows them). Blocks of several days carry the profile's autocorrelation inflation;
 * daily switching largely cancels it.
 */
export function switchbackStandardError(p: NoiseProfile, windowDays: number, lift = 0, shape: SwitchbackShape = DAILY): { se: number; df: number } {
  const n = analysedDays(windowDays, shape);
  const control = switchbackDailyVariance(p);
  const treatment = control * levelScale({ baselineLevel: p.level, excess: p.excessVariance ?? 0 }, p.level * (1 + lift));
  const columns = 3 + (p.seasonal ? 6 : 0);
  const df = Math.max(1, n - columns);
  const inflation = shape.blockDays > 1 ? p.inflation : 1;
  // About one switch every second block, each losing `blur` of the n/4 exact days would give.
  const blurred = 1 / (1 - Math.min(0.5, (2 * (shape.blur ?? 0)) / Math.max(1, shape.blockDays)));
  // Covariates cost a factor n/(n − columns + 1) in the variance of the arm's coefficient, roughly.
  const variance = ((control + treatment) / (n / 2)) * inflation * blurred * (n / Math.max(1, n - columns + 1));
  return { se: Math.sqrt(variance), df };
}

/** Power of a switchback of `windowDays` for relative lift `lift` (one-sided test at the rule's confidence). */
export function switchbackPower(p: NoiseProfile, windowDays: number, lift: number, rule: { confidence: number; minLift: number }, shape: SwitchbackShape = DAILY): number {
  if (!(p.level > 0)) return 0;
  const { se, df } = switchbackStandardError(p, windowDays, lift, shape);
  if (!(se > 0)) return 0;
  return studentTCdf(((lift - rule.minLift) * p.level) / se - studentTQuantile(rule.confidence, df), df);
}

/** Smallest relative lift a switchback window detects with 80 % power (null beyond +2000 %). */
export function switchbackDetectableLift(p: NoiseProfile, windowDays: number, rule: { confidence: number; minLift: number }, shape: SwitchbackShape = DAILY): number | null {
  if (!(p.level > 0) || switchbackPower(p, windowDays, MAX_LIFT, rule, shape) < PLAN_POWER) return null;
  let lo = rule.minLift;
  let hi = MAX_LIFT;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (switchbackPower(p, windowDays, mid, rule, shape) >= PLAN_POWER) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Smallest switchback window (days) reaching 80 % power for `lift`; null when none up to 26 weeks does. */
export function switchbackWindowFor(p: NoiseProfile, lift: number, rule: { confidence: number; minLift: number }, shape: SwitchbackShape = DAILY): number | null {
  for (let w = MIN_WINDOW_DAYS; w <= MAX_SEARCH_DAYS; w++) if (switchbackPower(p, w, lift, rule, shape) >= PLAN_POWER) return w;
  return null;
}

/** The window a plan proposes: one a switchback can be created with (≤ 42 days), and what it can do. */
export interface SwitchbackProposal {
  /** The smallest window ≤ 42 days reaching 80 % for the target lift; the 42-day maximum when none does. */
  windowDays: number;
  powerAtTarget: number;
  /** Minimum detectable lift of that window at 80 % power (null: beyond +2000 %). */
  detectableLift: number | null;
  /** Whether the proposed window reaches 80 % for the target lift. */
  reachesTarget: boolean;
  /** One sentence for the CLI, dashboard and MCP. */
  sentence: string;
}

/**
 * Proposes a window within the limits a switchback can be created with. When no window up to 42 days
 * reaches 80 % for `lift`, the proposal is the 42-day maximum, saying what power it has for `lift`,
 * what it can detect, and how long `lift` would really take — never a window that cannot be created.
 */
export function proposeSwitchbackWindow(
  p: NoiseProfile, lift: number, rule: { confidence: number; minLift: number }, shape: SwitchbackShape = DAILY,
): SwitchbackProposal {
  const needed = switchbackWindowFor(p, lift, rule, shape);
  const windowDays = needed !== null && needed <= MAX_WINDOW_DAYS ? needed : MAX_WINDOW_DAYS;
  const powerAtTarget = switchbackPower(p, windowDays, lift, rule, shape);
  const detectable = switchbackDetectableLift(p, windowDays, rule, shape);
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const target = `+${Math.round(lift * 100)} %`;
  const sentence = needed !== null && needed <= MAX_WINDOW_DAYS
    ? `A ${windowDays}-day switchback reaches ${pct(powerAtTarget)} power for ${target}.`
    : `No switchback window within the ${MAX_WINDOW_DAYS}-day maximum reaches 80 % for ${target}: ${MAX_WINDOW_DAYS} days has ${pct(powerAtTarget)} power for it` +
      ` and detects ${detectable === null ? 'no lift up to +2000 %' : `+${Math.round(detectable * 100)} %`} with 80 %;` +
      ` ${target} would take ${needed === null ? 'more than 26 weeks' : `${needed} days`}.`;
  return { windowDays, powerAtTarget, detectableLift: detectable, reachesTarget: powerAtTarget >= PLAN_POWER, sentence };
}

export interface SwitchbackPlan {
  windowDays: number;
  blockDays: number;
  washoutDays: number;
  /** Minimum detectable relative lift at 80 % power (null: beyond +2000 %). */
  detectableLift: number | null;
  powerAtTarget: number;
  /** Smallest window reaching 80 % for the target lift (may exceed the 42-day maximum); null beyond 26 weeks. */
  windowForTarget: number | null;
  /** The window to create (within the 42-day maximum) and what it can do; optional only in plans stored before it existed. */
  proposed?: SwitchbackProposal;
  byWindow: { windowDays: number; detectableLift: number | null; powerAtTarget: number }[];
  /** The same account and window as a before/after test (baseline as the planner would default it). */
  beforeAfter: { baselineDays: number; detectableLift: number | null; powerAtTarget: number };
  /** One sentence: what switching buys over before/after. */
  gain: string;
}

/** The switchback plan for one experiment, with the before/after comparison for the same account. */
export function planSwitchback(
  p: NoiseProfile, windowDays: number, targetLift: number, rule: { confidence: number; minLift: number }, shape: SwitchbackShape = DAILY,
  /** The before/after baseline to compare with (a plan passes the verdict's; default: from the profile's history). */
  beforeAfterBaselineDays?: number,
): SwitchbackPlan {
  const baselineDays = beforeAfterBaselineDays ?? defaultBaselineDays(p.historyDays);
  const powerAtTarget = switchbackPower(p, windowDays, targetLift, rule, shape);
  const beforeAfterPower = powerAt(p, baselineDays, windowDays, targetLift, rule);
  const detectable = switchbackDetectableLift(p, windowDays, rule, shape);
  const baDetectable = detectableLift(p, baselineDays, windowDays, rule);
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return {
    windowDays,
    blockDays: shape.blockDays,
    washoutDays: shape.washoutDays,
    detectableLift: detectable,
    powerAtTarget,
    windowForTarget: switchbackWindowFor(p, targetLift, rule, shape),
    proposed: proposeSwitchbackWindow(p, targetLift, rule, shape),
    byWindow: PLAN_WINDOWS.map((w) => ({ windowDays: w, detectableLift: switchbackDetectableLift(p, w, rule, shape), powerAtTarget: switchbackPower(p, w, targetLift, rule, shape) })),
    beforeAfter: { baselineDays, detectableLift: baDetectable, powerAtTarget: beforeAfterPower },
    gain: `For +${Math.round(targetLift * 100)} % over ${windowDays} days: ${pct(powerAtTarget)} power switching ${shape.blockDays === 1 ? 'daily' : `every ${shape.blockDays} days`} vs ${pct(beforeAfterPower)} before/after on a ${baselineDays}-day baseline.`,
  };
}

/** For tests and the bench: the standard error a switchback's regression will have, as a detectable effect. */
export function switchbackDetectableEffect(p: NoiseProfile, windowDays: number, confidence: number, shape: SwitchbackShape = DAILY): number {
  const { se, df } = switchbackStandardError(p, windowDays, 0, shape);
  return detectableEffect(se, df, confidence);
}
