/**
 * Issue 18 — a source with several accounts deploys as one collector function per source, one schedule
 * per account (its payload names the account) and one missed-collection alarm per account (its metric's
 * Source dimension is `x@acme`, as the collector's metric line writes it).
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { collectionMetrics, recordCollection } from '../../functions/jobs/collector-invocation';
import { synthVerdict } from './synth';

type Json = Record<string, any>;

const VERDICT = { sources: { x: { enabled: true, everyMinutes: 360, accounts: { acme: {}, beta: { everyMinutes: 720 } } }, bluesky: { enabled: false } } };
let template: Template;
let resources: Record<string, Json>;

beforeAll(() => {
  template = Template.fromStack(synthVerdict({ verdict: VERDICT }).stack);
  resources = template.toJSON().Resources as Record<string, Json>;
});

const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);

it('builds one X collector function and a schedule per account, each naming its account', () => {
  const collectors = ofType('AWS::Lambda::Function').filter((f) => f.Properties.Environment?.Variables?.SOURCE_NAME === 'x');
  const inputs = ofType('AWS::Scheduler::Schedule').map((s) => JSON.parse(s.Properties.Target.Input as string)).filter((i) => i.source === 'x');

  expect(collectors).toHaveLength(1);
  expect(inputs.map((i) => i.account ?? null).sort()).toEqual(['acme', 'beta', null].sort());
  template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 0/12 * * ? *)', Target: Match.objectLike({ Input: Match.stringLikeRegexp('"account":"beta"') }) });
});

it('alarms per account on the Source dimension the collector writes', () => {
  // What the collector's Powertools Metrics prints for an account's run: one EMF line on stdout.
  const printed: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { printed.push(String(chunk)); return true; });
  try { recordCollection(collectionMetrics(), { source: 'x', account: 'acme', outcome: 'ok' }); } finally { write.mockRestore(); }
  const line = JSON.parse(printed[0]);
  const dimensions = ofType('AWS::CloudWatch::Alarm').flatMap((a) => a.Properties.Dimensions ?? []).filter((d: Json) => d.Name === 'Source').map((d: Json) => d.Value);

  expect(dimensions).toEqual(expect.arrayContaining(['x', 'x@acme', 'x@beta']));
  expect(line.Source).toBe('x@acme');
  expect(dimensions).toContain(line.Source);
});
