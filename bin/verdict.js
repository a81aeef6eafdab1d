#!/usr/bin/env node
// The `verdict` CLI. Runs the TypeScript sources directly through tsx: no build step, no postinstall.
process.env.POWERTOOLS_DEV ??= 'true';
// Node 20 is this machine's runtime; the Lambdas run the newest Node.js, so the SDK's notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
require('tsx/cjs');
require('../functions/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; })
  .catch((err) => { console.error(err instanceof Error ? err.message : err); process.exitCode = 1; });
