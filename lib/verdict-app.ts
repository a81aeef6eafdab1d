/**
 * Assembles the CDK app the same way for `cdk synth`/`cdk deploy` (bin/app.ts) and for test/infra:
 * the config from context.verdict (validated), the one stack, and cdk-nag's AwsSolutions checks.
 */
import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseAppConfig } from '../functions/shared/app-config';
import { VerdictStack, type VerdictStackProps } from './verdict-stack';

export const STACK_NAME = 'Verdict';

/** Adds the Verdict stack, configured by `context.verdict` (cdk.json or `-c verdict=...`). Throws a ValidationError naming each bad field. */
export function addVerdictStack(app: App, overrides: Partial<Omit<VerdictStackProps, 'config'>> = {}): VerdictStack {
  const config = parseAppConfig(app.node.tryGetContext('verdict'));
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const stack = new VerdictStack(app, STACK_NAME, {
    config,
    description: 'Verdict: marketing experiments scored unattended',
    ...(account && { env: { account, region: process.env.CDK_DEFAULT_REGION } }),
    ...overrides,
  });
  // Lets Cost Explorer (once the tag is activated for cost allocation) show what Verdict costs.
  Tags.of(stack).add('app', 'verdict');
  return stack;
}

/** cdk-nag AwsSolutions runs on every synth; an unacknowledged finding stops synthesis (and deploy). */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
