/** CDK app entry (cdk.json): validates the config in context.verdict, builds the one stack, runs cdk-nag. */
import { App } from 'aws-cdk-lib';
import { ValidationError } from '../functions/shared/errors';
import { addComplianceChecks, addVerdictStack } from '../lib/verdict-app';

const app = new App();
try {
  addVerdictStack(app);
} catch (err) {
  // A bad config value is the user's to fix: say which field and why, without a stack trace.
  if (!(err instanceof ValidationError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
addComplianceChecks(app);
