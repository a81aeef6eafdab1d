import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { scoreCommand } from '../../functions/cli/score-command';

const NOW = new Date('2025-03-19T00:00:00.000Z');

function anIo(stdinText = '') {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdin: Readable.from([stdinText]), stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

function aScenario(): Record<string, unknown> {
  const observations = Array.from({ length: 45 }, (_, i) => ({
    metric: 'x.followers', at: new Date(Date.parse('2025-02-03T00:00:00Z') + i * 86_400_000).toISOString(), value: 1000 + 10 * i + (i % 3), source: 'x',
  }));
  return { experiment: { primaryMetric: 'x.follower_growth_rate', start: '2025-03-03', durationDays: 14, baseline: { start: '2025-02-03', end: '2025-03-03' } }, observations };
}

function writeTemp(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-score-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('verdict score', () => {
  it('prints the verdict for a scenario file as pretty JSON and exits 0', async () => {
    const file = writeTemp('scenario.json', JSON.stringify(aScenario()));
    const { io, stdout, stderr } = anIo();

    const code = await scoreCommand(['--input', file], io, NOW);

    expect(code).toBe(0);
    expect(stderr()).toBe('');
    const verdict = JSON.parse(stdout());
    expect(verdict).toMatchObject({ experimentId: 'scenario', metric: 'x.follower_growth_rate', scoredAt: NOW.toISOString() });
    expect(stdout()).toContain('\n  "decision": ');
  });

  it('reads the scenario from stdin with -', async () => {
    const { io, stdout } = anIo(JSON.stringify(aScenario()));

    expect(await scoreCommand(['--input', '-'], io, NOW)).toBe(0);
    expect(JSON.parse(stdout()).experimentId).toBe('scenario');
  });

  it('lists every invalid field and exits 2', async () => {
    const { io, stdout, stderr } = anIo(JSON.stringify({ experiment: { primaryMetric: 'nope', start: '2025-03-03', durationDays: 3 }, observations: 'none' }));

    const code = await scoreCommand(['--input=-'], io, NOW);

    expect(code).toBe(2);
    expect(stdout()).toBe('');
    expect(stderr()).toContain('invalid scenario in stdin:');
    expect(stderr()).toMatch(/ {2}- experiment\.primaryMetric: Unknown metric/);
    expect(stderr()).toMatch(/ {2}- experiment\.durationDays: /);
    expect(stderr()).toMatch(/ {2}- observations: /);
  });

  it('exits 2 on input that is not JSON', async () => {
    const { io, stderr } = anIo('{ nope');
    expect(await scoreCommand(['-i', '-'], io, NOW)).toBe(2);
    expect(stderr()).toMatch(/stdin is not valid JSON/);
  });

  it('exits 2 when the file cannot be read', async () => {
    const { io, stderr } = anIo();
    expect(await scoreCommand(['--input', '/nonexistent/scenario.json'], io, NOW)).toBe(2);
    expect(stderr()).toMatch(/cannot read \/nonexistent\/scenario\.json/);
  });

  it('exits 2 with usage when --input is missing or an argument is unknown', async () => {
    const missing = anIo();
    expect(await scoreCommand([], missing.io, NOW)).toBe(2);
    expect(missing.stderr()).toMatch(/Missing --input[\s\S]*Usage: verdict score/);
    const unknown = anIo();
    expect(await scoreCommand(['--input', 'x.json', '--fast'], unknown.io, NOW)).toBe(2);
    expect(unknown.stderr()).toMatch(/Unknown argument: --fast/);
  });

  it('prints help and exits 0', async () => {
    const { io, stdout } = anIo();
    expect(await scoreCommand(['--help'], io, NOW)).toBe(0);
    expect(stdout()).toMatch(/^Usage: verdict score --input/);
  });
});

describe('verdict score --example', () => {
  it('prints a scenario that scores as it is, so a newcomer has a file to start from', async () => {
    const example = anIo();
    expect(await scoreCommand(['--example'], example.io, NOW)).toBe(0);

    const scored = anIo(example.stdout());
    expect(await scoreCommand(['--input', '-', '--json'], scored.io, new Date('2026-03-20T00:00:00.000Z'))).toBe(0);
    expect(JSON.parse(scored.stdout())).toMatchObject({ decision: 'keep', reason: 'improved' });
  });
});
