/**
 * cdk-nag 3 AwsSolutions checks on the whole stack with every feature on: no unacknowledged finding,
 * and every acknowledgement scoped to one resource and one rule, with a written reason.
 */
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { addComplianceChecks } from '../../lib/verdict-app';
import type { VerdictStack } from '../../lib/verdict-stack';
import { FULL_CONFIG, ROUTES_WITH_PUBLIC, synthVerdict } from './synth';

let app: App;
let stack: VerdictStack;

beforeAll(() => {
  ({ app, stack } = synthVerdict({ verdict: FULL_CONFIG, routes: ROUTES_WITH_PUBLIC }));
  Template.fromStack(stack); // synthesise first: cdk-nag checks the finished tree, as in `cdk synth`
});

/** Acknowledgements recorded with Validations.of(construct).acknowledge(...), anywhere in the tree. */
function acknowledgements(root: IConstruct): { path: string; construct: IConstruct; ids: string[]; reasons: string[] }[] {
  return root.node.findAll().flatMap((construct) => construct.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .map((m) => {
      const data = m.data as Record<string, string>;
      return { path: construct.node.path, construct, ids: Object.keys(data).map((k) => k.replace(/^annotation::/i, '')), reasons: Object.values(data) };
    }));
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}: ${v.description}`));
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('every acknowledgement names one rule on one CloudFormation resource, with a reason', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.ids).toHaveLength(1);
      expect(ack.ids[0]).toMatch(/^AwsSolutions-[A-Z]+\d+$/);
      expect(CfnResource.isCfnResource(ack.construct)).toBe(true);
      expect(ack.reasons[0].length).toBeGreaterThan(60);
    }
  });

  it('acknowledges exactly: rotation of the two secrets, the DLQ having no DLQ, the public dashboard routes, and no access logs', () => {
    const expected = [
      // A flood of random tokens would pay for every access-log line (test/infra/flood-cost.test.ts).
      'AwsSolutions-APIG1 Verdict/HttpApi/DefaultStage/Resource',
      'AwsSolutions-SMG4 Verdict/ApiToken/Resource',
      'AwsSolutions-SMG4 Verdict/SourceCredentials/Resource',
      'AwsSolutions-SQS3 Verdict/DeadLetters/Resource',
      // Construct ids of routes are METHOD + path, with '/' written as '--' in construct paths.
      ...ROUTES_WITH_PUBLIC.filter((r) => r.public).map((r) => `AwsSolutions-APIG4 Verdict/HttpApi/Api/${r.method}${r.path.replace(/\//g, '--')}/Resource`),
    ];
    expect(acknowledgements(app).map((a) => `${a.ids[0]} ${a.path}`).sort()).toEqual(expected.sort());
  });

  it('each acknowledgement silences a finding that would otherwise be raised on that resource, and nothing else', () => {
    // The same checks with acknowledgements ignored (isAcknowledged is cdk-nag's private lookup).
    const unacknowledged = new AwsSolutionsChecks(undefined);
    Object.assign(unacknowledged, { isAcknowledged: () => false });
    const raised = unacknowledged.validateScope(app).violations
      .flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '(no construct path)' })));
    const acks = acknowledgements(app);
    for (const ack of acks) {
      expect(raised).toContainEqual({ rule: ack.ids[0], path: expect.stringMatching(new RegExp(`^${escapeRegExp(ack.path)}(/|$)`)) });
    }
    for (const finding of raised) {
      expect(acks.some((a) => a.ids[0] === finding.rule && (finding.path === a.path || finding.path.startsWith(`${a.path}/`)))).toBe(true);
    }
  });

  it('runs on every `cdk synth` of the app and stops it on a finding', () => {
    const probe = new App({ builtinCloudFormationValidation: false }); // so that only cdk-nag can stop it (test/infra/synth.ts)
    addComplianceChecks(probe);
    new Secret(new Stack(probe, 'Probe'), 'NeverRotated');
    expect(() => probe.synth()).toThrow(/AwsSolutions-SMG4/);
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
