#!/usr/bin/env node
/**
 * `npm test`: the type-check (test/support/typecheck.js) and Jest side by side, the type-check at a
 * lower CPU priority so that it takes the time Jest's workers leave idle (they wait on servers,
 * timeouts, Chromium). A failing type-check stops Jest at once and exits 1 with its diagnostics;
 * otherwise the exit code is Jest's. Arguments go to Jest (`npm test -- test/unit`).
 */
const { spawn } = require('node:child_process');
const { join } = require('node:path');

/** niceness of the type-check: it yields the CPU to Jest whenever both want it. */
const TYPECHECK_NICENESS = 10;

// Each in a process group of its own, so that stopping one stops what it started too (tsc; Jest's workers and their servers).
const typecheck = spawn(process.execPath, [join(__dirname, 'typecheck.js')], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, VERDICT_TYPECHECK_NICENESS: String(TYPECHECK_NICENESS) } });
const jest = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], { stdio: 'inherit', detached: true });

let typecheckOutput = '';
typecheck.stdout.on('data', (chunk) => { typecheckOutput += chunk; });
typecheck.stderr.on('data', (chunk) => { typecheckOutput += chunk; });

const stop = (child, signal) => {
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
};
// Ctrl-C and CI's stop reach this process only (the children have groups of their own): pass them on.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.on(signal, () => { stop(jest, signal); stop(typecheck, signal); process.exit(code); });

const typechecked = new Promise((resolve) => typecheck.once('close', (code) => resolve(code === 0)));
let jestRunning = true;
const jestExit = new Promise((resolve) => jest.once('close', (code, signal) => { jestRunning = false; resolve(code ?? (signal ? 1 : 0)); }));

typechecked.then((ok) => {
  process.stdout.write(typecheckOutput);
  if (!ok) {
    process.stderr.write(`npm test: the type-check failed (above)${jestRunning ? '; Jest stopped' : ''}.\n`);
    stop(jest, 'SIGTERM');
    process.exit(1);
  }
});
Promise.all([typechecked, jestExit]).then(([ok, code]) => process.exit(ok ? code : 1));
