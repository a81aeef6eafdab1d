#!/usr/bin/env node
/**
 * `npm run typecheck`: `tsc --noEmit` over the three configs side by side (the Node code, the browser
 * app, the tests that drive or import the app): they share nothing, and on this idle 2-core machine the three
 * took 36 s one after another, 20 s at once. Each config's diagnostics are printed whole under its name,
 * after it ends; the exit code is non-zero when any config fails.
 */
const { spawn } = require('node:child_process');
const { setPriority } = require('node:os');
const { join } = require('node:path');

// `npm test` runs this beside Jest at a lower priority (test/support/run-tests.js); the tsc processes inherit it.
const niceness = Number(process.env.VERDICT_TYPECHECK_NICENESS ?? 0);
if (Number.isInteger(niceness) && niceness > 0) setPriority(niceness);

const ROOT = join(__dirname, '..', '..');
const CONFIGS = ['tsconfig.json', 'functions/dashboard/app/tsconfig.json', 'tsconfig.browser-tests.json'];
const TSC = require.resolve('typescript/bin/tsc');

function check(config) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSC, '--noEmit', '-p', config], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('error', (err) => resolve({ config, ok: false, output: `${err.message}\n` }));
    child.once('close', (code) => resolve({ config, ok: code === 0, output }));
  });
}

Promise.all(CONFIGS.map(check)).then((results) => {
  for (const { config, ok, output } of results) {
    if (!ok) process.stderr.write(`typecheck ${config}: failed\n${output}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) process.exit(1);
  process.stdout.write(`typecheck: ${CONFIGS.length} configs clean\n`);
});
