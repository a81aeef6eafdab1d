/** CDK app entry (cdk.json): validates the config in context.verdict, then builds the one stack. */
import { App } from 'aws-cdk-lib';
import { parseAppConfig } from '../functions/shared/app-config';
import { VerdictStack } from '../lib/verdict-stack';

const app = new App();
const config = parseAppConfig(app.node.tryGetContext('verdict'));
new VerdictStack(app, 'Verdict', {
  config,
  description: 'Verdict: marketing experiments scored unattended',
  ...(process.env.CDK_DEFAULT_ACCOUNT && { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }),
});
