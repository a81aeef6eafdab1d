/**
 * Issue 14.10 — the local runtime owns its data directory. A second `verdict start` on the same
 * directory says another Verdict holds it and exits 2 (instead of crashing with "Database is closed");
 * the directory is 0700 and every file in it 0600, so no other user of the machine reads the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isolatedHome, verdict } from '../cli/cli-helpers';

const BIN = resolve(__dirname, '../../../bin/verdict.js');
let first: ChildProcess | undefined;

afterAll(async () => {
  if (first && first.exitCode === null) {
    const exited = new Promise((done) => first!.once('exit', done));
    first.kill('SIGTERM');
    await exited;
  }
});

/** Starts `verdict start` in the background and resolves once it serves (its --json line). */
function startInBackground(dataDir: string, home: string): Promise<{ api: string }> {
  first = spawn(process.execPath, [BIN, 'start', '--data-dir', dataDir, '--port', '0', '--no-schedule', '--json'], {
    env: { PATH: process.env.PATH, HOME: home, VERDICT_CLI_CONFIG: join(home, 'verdict-config.json') }, cwd: home, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    first!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) done(JSON.parse(line) as { api: string });
    });
    first!.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    first!.once('exit', (code) => fail(new Error(`verdict start exited ${code}: ${err}`)));
  });
}

/** Every path under `dir` (itself included) with its permission bits, as "path 0700". */
function modes(dir: string, base = dir): string[] {
  const own = `${dir === base ? '.' : dir.slice(base.length + 1)} ${(statSync(dir).mode & 0o777).toString(8)}`;
  return [own, ...readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? modes(path, base) : [`${path.slice(base.length + 1)} ${(statSync(path).mode & 0o777).toString(8)}`];
  })];
}

it('refuses a second runtime on the same data directory with exit 2, and keeps the directory private', async () => {
  const home = isolatedHome();
  const dataDir = join(mkdtempSync(join(tmpdir(), 'verdict-datadir-')), 'data');
  await startInBackground(dataDir, home);

  const second = await verdict(['start', '--data-dir', dataDir, '--port', '0', '--no-schedule'], { home });

  expect(second.code).toBe(2);
  expect(second.stderr).toMatch(/another Verdict .*holds the data directory/i);
  expect(second.stderr).not.toMatch(/Database is closed/);
  expect(first?.exitCode).toBeNull(); // the first one still serves
  const all = modes(dataDir);
  expect(all.filter((m) => !/ (700|600)$/.test(m))).toEqual([]);
  expect(all.some((m) => m.startsWith('db/'))).toBe(true);
  expect(all.filter((m) => m.endsWith(' 700'))).toContain('. 700');
});
