/** Runs the real CLI (`node bin/verdict.js …`) as a subprocess against a test runtime. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { TEST_TOKEN } from '../../support/local-runtime';

const BIN = resolve(__dirname, '../../../bin/verdict.js');

export interface CliResult { code: number; stdout: string; stderr: string }

/** A home of its own so no developer's saved login or data directory leaks into a test. */
export function isolatedHome(): string {
  return mkdtempSync(join(tmpdir(), 'verdict-cli-'));
}

/**
 * Runs the CLI asynchronously (the runtime serving it lives in this process). By default it talks
 * to `runtime` through VERDICT_API_URL / VERDICT_API_TOKEN; `env` overrides or removes (undefined) any.
 */
export function verdict(args: string[], options: { runtime?: Pick<LocalRuntime, 'url'>; env?: Record<string, string | undefined>; stdin?: string; home?: string; cwd?: string } = {}): Promise<CliResult> {
  const home = options.home ?? isolatedHome();
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: home,
    VERDICT_CLI_CONFIG: join(home, 'verdict-config.json'),
    VERDICT_DATA_DIR: join(home, '.verdict'),
    ...(options.runtime && { VERDICT_API_URL: options.runtime.url, VERDICT_API_TOKEN: TEST_TOKEN }),
    ...options.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return new Promise((done) => {
    const child = execFile(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, cwd: options.cwd ?? home, timeout: 25_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? '');
  });
}

/** Parses a --json stdout, failing with the CLI's output when it is not JSON. */
export function json<T = any>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}
