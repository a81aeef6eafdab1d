/**
 * How every Verdict Lambda is bundled (esbuild through NodejsFunction): minified CJS for the Node 24
 * runtime with source maps, the AWS SDK v3 left to the runtime, and the deployment's config inlined.
 * One definition, so the performance bench (test/bench) measures exactly the bundles CDK deploys.
 */
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { AppConfig } from '../../functions/shared/app-config';

/** The NodejsFunction bundling options for a function of the deployment configured by `config`. */
export function lambdaBundling(config: AppConfig) {
  return {
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    target: 'node24',
    format: OutputFormat.CJS,
    externalModules: ['@aws-sdk/*'],
    define: { __VERDICT_CONFIG__: JSON.stringify(JSON.stringify(config)) },
  } satisfies BundlingOptions;
}
