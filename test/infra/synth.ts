/**
 * Builds the app for infra tests the way `cdk synth` does (cdk.json's context: feature flags and the
 * verdict config), with a config override and, unless asked, without esbuild bundling and without
 * CDK's built-in CloudFormation validation: that check (a WebAssembly engine) cost ~2.8 s of the first
 * synth in every suite and changes nothing in the template, and test/infra/cfn-lint.test.ts runs it
 * (`validate: true`) beside cfn-lint, so the template `cdk synth` validates is still proven to pass.
 */
import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteDefinition } from '../../functions/api/route-table';
import { ROUTES } from '../../functions/api/routes';
import { addVerdictStack } from '../../lib/verdict-app';
import type { VerdictStack } from '../../lib/verdict-stack';

export const CDK_CONTEXT = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/** Every feature on: four sources at different cadences (one of them with a collector entry of its own), alarm email, a CORS origin, non-default limits, a local-time digest. */
export const FULL_CONFIG = {
  sources: {
    x: { enabled: true, everyMinutes: 360 },
    bluesky: { enabled: true, handle: 'example.bsky.social', everyMinutes: 15 },
    perplexity: { enabled: true, everyMinutes: 1440 },
    stripe: { enabled: true, everyMinutes: 720 },
  },
  scorer: { everyMinutes: 60 },
  alarms: { email: 'owner@example.com' },
  budget: { monthlyUsd: 3, alertAtPercent: 90 },
  logs: { retentionDays: 14 },
  api: { readRatePerSecond: 5, writeRatePerSecond: 1 },
  dashboard: { allowedOrigins: ['https://dashboard.example.com/app'] },
  digest: { day: 'MON', hour: 9, timeZone: 'Europe/Berlin' },
};

/** A public route (the dashboard page) next to the real ones, unless the real ones already have one. */
export const PUBLIC_ROUTE = { method: 'GET', path: '/', public: true, servedBy: 'dashboard' } as const satisfies RouteDefinition;
export const ROUTES_WITH_PUBLIC: readonly RouteDefinition[] = ROUTES.some((r) => r.method === 'GET' && r.path === '/')
  ? ROUTES
  : [...ROUTES, PUBLIC_ROUTE];

export function synthVerdict(options: { verdict?: unknown; bundle?: boolean; validate?: boolean; routes?: readonly RouteDefinition[]; outdir?: string } = {}): { app: App; stack: VerdictStack } {
  const app = new App({
    ...(options.outdir && { outdir: options.outdir }),
    builtinCloudFormationValidation: options.validate ?? false,
    context: {
      ...CDK_CONTEXT,
      ...(options.verdict !== undefined && { verdict: options.verdict }),
      // An empty list skips NodejsFunction bundling (esbuild) in every stack.
      ...(!options.bundle && { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = addVerdictStack(app, options.routes ? { routes: options.routes } : {});
  return { app, stack };
}
