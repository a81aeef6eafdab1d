/**
 * cfn-lint (installed on every machine of this kind, CI included) on the synthesized template with
 * every feature on: no error, no warning. It knows CloudFormation's own rules — property
 * types, allowed values, redundant dependencies — that neither CDK nor cdk-nag checks. And the
 * CloudFormation validation CDK itself runs in every `cdk synth` (the other infra suites synthesize
 * without it, test/infra/synth.ts): no error, no warning.
 */
import { CfnResource } from 'aws-cdk-lib';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { VerdictStack } from '../../lib/verdict-stack';
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

describe("CDK's built-in CloudFormation validation, as `cdk synth` runs it", () => {
  interface ValidationReport { pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; description: string }[] }[] }
  const synthValidated = (addToStack?: (stack: VerdictStack) => void) => {
    const outdir = mkdtempSync(join(tmpdir(), 'verdict-cfn-validate-'));
    dirs.push(outdir);
    const { app, stack } = synthVerdict({ verdict: FULL_CONFIG, routes: ROUTES_WITH_PUBLIC, outdir, validate: true });
    addToStack?.(stack);
    app.synth();
    return JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  };

  it('finds no error or warning in the template', () => {
    const report = synthValidated();

    expect(report.pluginReports.flatMap((r) => r.violations.map((v) => `${r.pluginName} ${v.severity} ${v.ruleName}: ${v.description}`))).toEqual([]);
  });

  it('is on in that synthesis: a resource with a property CloudFormation does not know stops it, named', () => {
    expect(() => synthValidated((stack) => new CfnResource(stack, 'Probe', { type: 'AWS::SNS::Topic', properties: { Bogus: 'x' } }))).toThrow(/Bogus: Additional properties are not allowed/);
  });
});
