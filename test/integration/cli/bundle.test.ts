/**
 * bin/verdict.js runs a bundle it builds itself, and never a stale one: it rebuilds when a source's
 * content changed, keeps the bundle when only mtimes moved, and runs the sources through tsx when the
 * bundle cannot be stored.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verdict } from './cli-helpers';

const ROOT = resolve(__dirname, '../../..');
let cache: string;
beforeEach(() => { cache = mkdtempSync(join(tmpdir(), 'verdict-cli-cache-')); });
afterEach(() => { rmSync(cache, { recursive: true, force: true }); });

const manifest = () => JSON.parse(readFileSync(join(cache, 'manifest.json'), 'utf8')) as { bundle: string; hash: string; inputs: string[]; stats: [number, number][] };
const help = () => verdict(['--help'], { env: { VERDICT_CLI_CACHE: cache } });

describe('the CLI bundle', () => {
  it('is built on the first run from the CLI sources and reused by the next', async () => {
    expect((await help()).code).toBe(0);
    const first = manifest();
    expect(first.inputs).toEqual(expect.arrayContaining(['functions/cli/main.ts', 'functions/cli/list-command.ts']));
    // Dependencies stay external except cli-table3 and what it requires, which are inlined (start-up).
    const packagesInlined = new Set(first.inputs.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/').slice(1, f.split('/')[1].startsWith('@') ? 3 : 2).join('/')));
    expect([...packagesInlined]).toEqual(expect.arrayContaining(['cli-table3', 'string-width']));
    const cliTable3Closure = ['@colors/colors', 'ansi-regex', 'cli-table3', 'emoji-regex', 'is-fullwidth-code-point', 'string-width', 'strip-ansi'];
    expect([...packagesInlined].filter((name) => !cliTable3Closure.includes(name))).toEqual([]);
    const builtAt = statSync(join(cache, first.bundle)).mtimeMs;
    const again = await help();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Usage: verdict <command>');
    expect(statSync(join(cache, manifest().bundle)).mtimeMs).toBe(builtAt);
  });

  it.each([['the file system root', () => '/'], ['a deep folder', () => join(cache, 'a', 'b', 'c', 'd', 'e', 'f', 'g')]])('is built when verdict runs from %s (esbuild names its inputs from its working directory)', async (_, where) => {
    const cwd = where();
    mkdirSync(cwd, { recursive: true });
    const result = await verdict(['--help'], { env: { VERDICT_CLI_CACHE: cache }, cwd });
    expect(result.code).toBe(0);
    expect(manifest().inputs).toContain('functions/cli/main.ts');
    expect(manifest().inputs.every((f) => !f.startsWith('..'))).toBe(true);
  });

  it('is rebuilt when a source it was built from changed', async () => {
    await help();
    const built = manifest();
    // As if functions/cli/main.ts had been edited since: its recorded size and hash no longer match.
    writeFileSync(join(cache, 'manifest.json'), JSON.stringify({ ...built, hash: 'f'.repeat(64), stats: built.stats.map(([size, mtime], i) => (built.inputs[i] === 'functions/cli/main.ts' ? [size + 1, mtime] : [size, mtime])) }));
    const stalePath = join(cache, built.bundle);
    writeFileSync(stalePath, 'module.exports = { main: async () => { process.stdout.write("STALE BUNDLE\\n"); return 0; } };');
    const result = await help();
    expect(result.stdout).not.toContain('STALE BUNDLE');
    expect(result.stdout).toContain('Usage: verdict <command>');
    expect(manifest().hash).toBe(built.hash);
    expect(readFileSync(join(cache, manifest().bundle), 'utf8')).not.toContain('STALE BUNDLE');
  });

  it('is kept when only the mtimes moved (a checkout) and the content hash still matches', async () => {
    await help();
    const built = manifest();
    const marked = join(cache, built.bundle);
    writeFileSync(marked, `${readFileSync(marked, 'utf8')}\n// kept\n`);
    writeFileSync(join(cache, 'manifest.json'), JSON.stringify({ ...built, stats: built.stats.map(([size, mtime]) => [size, mtime - 1000]) }));
    expect((await help()).code).toBe(0);
    expect(readFileSync(join(cache, manifest().bundle), 'utf8')).toContain('// kept');
    expect(manifest().stats).toEqual(built.inputs.map((f) => { const s = statSync(join(ROOT, f)); return [s.size, s.mtimeMs]; }));
  });

  it('falls back to the sources through tsx when the bundle cannot be stored', async () => {
    const notADirectory = join(cache, 'file');
    writeFileSync(notADirectory, '');
    const result = await verdict(['--help'], { env: { VERDICT_CLI_CACHE: join(notADirectory, 'cache') } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: verdict <command>');
  });
});
