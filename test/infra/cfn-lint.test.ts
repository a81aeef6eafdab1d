/**
 * cfn-lint (installed on every machine of this kind, CI included) on the synthesized template with
 * every feature on: no error, no warning. It knows CloudFormation's own rules — property
 * types, allowed values, redundant dependencies — that neither CDK nor cdk-nag checks.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FULL_CONFIG, ROUTES_WITH_PUBLIC, synthVerdict } from './synth';

const run = promisify(execFile);

interface Finding { Rule: { Id: string }; Level: string; Message: string; Location: { Path: (string | number)[] } }

/** cfn-lint's findings (JSON); its exit code only says which levels were found. */
async function lint(file: string): Promise<Finding[]> {
  try {
    const { stdout } = await run('cfn-lint', ['--format', 'json', '--', file], { maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout || '[]') as Finding[];
  } catch (err) {
    const { stdout, code } = err as { stdout?: string; code?: number | string };
    if (typeof code !== 'number' || !stdout) throw err;
    return JSON.parse(stdout) as Finding[];
  }
}

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

it('the template has no cfn-lint error or warning', async () => {
  const outdir = mkdtempSync(join(tmpdir(), 'verdict-cfn-lint-'));
  dirs.push(outdir);
  const { app, stack } = synthVerdict({ verdict: FULL_CONFIG, routes: ROUTES_WITH_PUBLIC, outdir });
  app.synth();

  const findings = await lint(join(outdir, `${stack.artifactId}.template.json`));

  expect(findings.map((f) => `${f.Level} ${f.Rule.Id} at ${f.Location.Path.join('/')}: ${f.Message}`)).toEqual([]);
});
