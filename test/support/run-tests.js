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

const typecheck = spawn(process.execPath, [join(__dirname, 'typecheck.js')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VERDICT_TYPECHECK_NICENESS: String(TYPECHECK_NICENESS) } });
// Jest in a process group of its own, so that stopping it stops its workers (and what they started) too.
const jest = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], { stdio: 'inherit', detached: true });

let typecheckOutput = '';
typecheck.stdout.on('data', (chunk) => { typecheckOutput += chunk; });
typecheck.stderr.on('data', (chunk) => { typecheckOutput += chunk; });

const stopJest = (signal) => {
  try { process.kill(-jest.pid, signal); } catch { /* already gone */ }
};
// Ctrl-C and CI's stop reach this process only (Jest has its own group): pass them on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { stopJest(signal); typecheck.kill(signal); process.exit(130); });

const typechecked = new Promise((resolve) => typecheck.once('close', (code) => resolve(code === 0)));
const jestExit = new Promise((resolve) => jest.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

typechecked.then((ok) => {
  process.stdout.write(typecheckOutput);
  if (!ok) {
    process.stderr.write('npm test: the type-check failed (above); Jest stopped.\n');
    stopJest('SIGTERM');
    process.exit(1);
  }
});
Promise.all([typechecked, jestExit]).then(([ok, code]) => process.exit(ok ? code : 1));
