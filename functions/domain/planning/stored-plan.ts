/**
 * The plan as stored with an experiment and returned by POST /experiments/plan: its zod schema (for the
 * experiment record and OpenAPI) beside the type, kept free of the planner's imports so the experiment
 * module can use it without a cycle.
 */
import * as z from '../zod-mini';
import type { ExperimentPlan } from './power-plan';

/** Lift planned for when the user gives none (+50 %). */
export const DEFAULT_TARGET_LIFT = 0.5;

export const PLAN_WARNING_CODES = ['no_data', 'short_history', 'underpowered', 'overlapping_experiment', 'no_collector'] as const;
export type PlanWarningCode = (typeof PLAN_WARNING_CODES)[number];

export interface PlanWarning {
  code: PlanWarningCode;
  message: string;
  experimentIds?: string[];
}

/** A plan as stored with an experiment (at create, at start) and returned by POST /experiments/plan. */
export interface StoredPlan extends ExperimentPlan {
  computedAt: string;
}

const liftOrNull = z.nullable(z.number());
/** The stored plan's shape, for the experiment record and OpenAPI. */
export const StoredPlanSchema = z.object({
  metric: z.string(),
  windowDays: z.number(),
  baselineDays: z.number(),
  historyDays: z.number(),
  confidence: z.number(),
  minLift: z.number(),
  targetLift: z.described(z.number(), 'Lift the window is sized for (fraction: 0.5 = +50 %)'),
  expectedLevel: z.described(z.nullable(z.number()), "The level lifts are relative to, in the metric's unit"),
  detectableLift: z.described(liftOrNull, 'Minimum detectable relative lift at 80 % power (fraction); null when unknown'),
  powerAtTarget: z.described(z.nullable(z.number()), 'Power for targetLift, 0–1'),
  windowForTarget: z.described(z.nullable(z.number()), 'Smallest window (days) with 80 % power for targetLift; null when none up to 26 weeks'),
  windowForMinLift: z.described(z.optional(z.nullable(z.number())),
    'When minLift > 0: smallest window (days) with 80 % power to tell a lift of minLift from no change; null when none up to 26 weeks. A keep needs the lift credibly above minLift, hence targetLift'),
  byWindow: z.array(z.object({ windowDays: z.number(), detectableLift: liftOrNull, powerAtTarget: z.number() })),
  assumed: z.described(z.boolean(), 'Noise assumed (too little history) rather than measured'),
  summary: z.string(),
  warnings: z.array(z.object({ code: z.enum(PLAN_WARNING_CODES), message: z.string(), experimentIds: z.optional(z.array(z.string())) })),
  computedAt: z.string(),
  switchback: z.described(z.optional(z.object({
    windowDays: z.number(), blockDays: z.number(), washoutDays: z.number(),
    detectableLift: z.described(liftOrNull, 'Minimum detectable lift of the switchback at 80 % power (fraction)'),
    powerAtTarget: z.described(z.number(), 'Switchback power for targetLift, 0–1'),
    windowForTarget: z.described(z.nullable(z.number()), 'Smallest switchback window (days) with 80 % power; may exceed the 42-day maximum'),
    proposed: z.described(z.optional(z.object({
      windowDays: z.described(z.number(), 'Smallest window ≤ 42 days with 80 % power for targetLift; 42 when none reaches it'),
      powerAtTarget: z.number(),
      detectableLift: liftOrNull,
      reachesTarget: z.boolean(),
      sentence: z.string(),
    })), 'The window to create, within the 42-day maximum, and what it can do'),
    byWindow: z.array(z.object({ windowDays: z.number(), detectableLift: liftOrNull, powerAtTarget: z.number() })),
    beforeAfter: z.described(z.object({ baselineDays: z.number(), detectableLift: liftOrNull, powerAtTarget: z.number() }), 'The same account and window as a before/after test'),
    gain: z.string(),
  })), 'Switchback requests only: what switching buys over before/after'),
});
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time guard: the documented shape is exactly StoredPlan. */
export const STORED_PLAN_MATCHES_INTERFACE: Same<z.infer<typeof StoredPlanSchema>, StoredPlan> = true;
