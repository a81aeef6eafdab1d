/**
 * Jest projects by cost, so one slow kind of test cannot starve another and each has a time limit that
 * fits it. The limits are hang detectors sized for a loaded, shared 2-core machine — speed is measured
 * in `npm run bench`, never asserted here. Fuzz run counts scale with FUZZ_SCALE (default 1 = CI's
 * counts; see test/support/fuzz-runs.ts).
 */
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** Folder under test/ → per-test (and per-hook) time limit in ms. */
const PROJECTS = {
  unit: 30_000, // pure: no servers, no emulators
  integration: 120_000, // dynalite, local fake HTTP servers, the CLI in child processes
  infra: 180_000, // CDK synth, cdk-nag, esbuild bundles
  reliability: 300_000, // fuzzing and fault injection: thousands of requests per test
  e2e: 180_000, // Chromium against the local runtime
  deployed: 300_000, // the cdk.out bundles against dynalite and moto
};

const transform = { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

/**
 * VERDICT_TEST_DYNAMODB=moto (`npm run test:moto`): every relative import of `…/dynalite` resolves to
 * test/support/moto-dynamo.ts, so the suites — and the local runtime they start — run on moto's server
 * mode, a second, independent DynamoDB. Tests that restart a persisted dynalite stay dynalite-only.
 */
const onMoto = process.env.VERDICT_TEST_DYNAMODB === 'moto';
/** moto writes several times slower than dynalite (a year of hourly observations: ~95 s vs ~10 s), so its hang limits are wider. */
const MOTO_SLOWDOWN = 3;
const DYNALITE_ONLY = ['<rootDir>/test/reliability/store-faults.test.ts', '<rootDir>/test/integration/local/ensure-table.test.ts'];

/** A test folder no project runs would be silently skipped: refuse to start instead. */
function hasTests(dir) {
  return readdirSync(dir).some((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? hasTests(path) : name.endsWith('.test.ts');
  });
}
const testRoot = join(__dirname, 'test');
const orphans = readdirSync(testRoot).filter((d) => statSync(join(testRoot, d)).isDirectory() && !(d in PROJECTS) && hasTests(join(testRoot, d)));
if (orphans.length > 0) throw new Error(`jest.config.js: test/${orphans.join(', test/')} holds tests but no Jest project runs them; add it to PROJECTS`);

module.exports = {
  // A worker per core (Jest's default leaves one core to its parent, i.e. ONE worker on this 2-core machine):
  // the suites mostly wait on servers, emulators and child processes, so two workers keep both cores busy.
  // Measured on a fresh clone, idle: jest 251 s with one worker, 168 s with two (150 s with three).
  maxWorkers: '100%',
  projects: Object.entries(PROJECTS).map(([name, timeoutMs]) => ({
    displayName: name,
    rootDir: __dirname,
    roots: ['<rootDir>/test'], // a folder not yet created (test/deployed) is then no error
    testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
    testEnvironment: '<rootDir>/test/support/released-servers-environment.ts',
    transform,
    ...(onMoto && {
      moduleNameMapper: { '^\\.{1,2}/(.*/)?dynalite$': '<rootDir>/test/support/moto-dynamo.ts' },
      testPathIgnorePatterns: ['/node_modules/', ...DYNALITE_ONLY],
    }),
    testTimeout: onMoto ? timeoutMs * MOTO_SLOWDOWN : timeoutMs,
    globals: { verdictTestTimeoutMs: onMoto ? timeoutMs * MOTO_SLOWDOWN : timeoutMs },
    setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
    setupFilesAfterEnv: ['<rootDir>/test/support/project-timeout.ts'],
  })),
};
