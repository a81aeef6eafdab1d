/**
 * The deployment config (cdk.json context.verdict) is validated at synth: a bad value stops `cdk synth`
 * with one clear line naming the field — no stack trace, nothing synthesised. Optional features are off
 * unless configured. None of these tests bundles a function.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAppConfig } from '../../functions/shared/app-config';
import { ValidationError } from '../../functions/shared/errors';
import { OperationsAlerts } from '../../lib/constructs/operations-alerts';
import { VerdictApi } from '../../lib/constructs/verdict-api';
import { API_FUNCTIONS, type ApiFunction } from '../../functions/api/route-table';
import { CDK_CONTEXT, synthVerdict } from './synth';

const ROOT = join(__dirname, '..', '..');

describe('deployment config', () => {
  it('cdk.json spells out exactly the defaults', () => {
    expect(parseAppConfig(CDK_CONTEXT.verdict)).toEqual(parseAppConfig({}));
  });

  it.each([
    [{ sources: { x: { everyMinutes: 7 } } }, 'sources.x.everyMinutes: everyMinutes must divide a day evenly'],
    [{ scorer: { everyMinutes: 2000 } }, 'scorer.everyMinutes'],
    [{ logs: { retentionDays: 10 } }, 'logs.retentionDays: must be one of 1, 3, 5, 7, 14, 30'],
    [{ alarms: { email: 'not-an-email' } }, 'alarms.email'],
    [{ budget: { monthlyUsd: -1 } }, 'budget.monthlyUsd'],
    [{ budget: { alertAtPercent: 0 } }, 'budget.alertAtPercent'],
    [{ api: { writeRatePerSecond: 0 } }, 'api.writeRatePerSecond'],
    [{ dashboard: { allowedOrigins: ['dashboard.example.com'] } }, 'dashboard.allowedOrigins.0'],
    [{ sources: { myspace: { enabled: true } } }, 'sources'],
    [{ digest: { timeZone: 'Mars/Olympus_Mons' } }, 'digest.timeZone: unknown time zone Mars/Olympus_Mons'],
  ])('rejects %j, naming the field', (verdict, message) => {
    expect(() => synthVerdict({ verdict })).toThrow(ValidationError);
    expect(() => synthVerdict({ verdict })).toThrow(message);
  });

  it('`cdk synth` with a bad value prints one line naming the field and exits 1 without synthesising', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'verdict-synth-'));
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'bin', 'app.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_CONTEXT, verdict: { sources: { x: { everyMinutes: 7 } } } }) },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Invalid Verdict config (cdk.json context.verdict): sources.x.everyMinutes: everyMinutes must divide a day evenly (5–1440, e.g. 15, 60, 360, 1440); got 7');
    expect(readdirSync(outdir)).toEqual([]);
  }, 60_000);
});

describe('optional features are off unless configured', () => {
  const stackWith = (build: (stack: Stack) => void) => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Probe'); // as test/infra/synth.ts does
    build(stack);
    return Template.fromStack(stack);
  };
  const aFunction = (stack: Stack, id: string) => new LambdaFunction(stack, id, { runtime: Runtime.NODEJS_24_X, handler: 'index.handler', code: Code.fromInline('exports.handler=()=>{}'), timeout: Duration.seconds(3) });

  it('no alarm email: alerts go to the topic only, with no subscription', () => {
    const template = stackWith((stack) => new OperationsAlerts(stack, 'Alerts', { budget: { monthlyUsd: 5, alertAtPercent: 80 } }));
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('no dashboard origins: no CORS configuration (the dashboard is served from the API\'s own origin)', () => {
    const template = stackWith((stack) => new VerdictApi(stack, 'Api', {
      routes: [{ method: 'GET', path: '/health', servedBy: 'api-reads' }],
      handlers: { ...Object.fromEntries(API_FUNCTIONS.map((name) => [name, aFunction(stack, name)])) as Record<ApiFunction, LambdaFunction>, mcp: aFunction(stack, 'Mcp'), dashboard: aFunction(stack, 'Dashboard') },
      authorizer: aFunction(stack, 'Authorizer'),
      allowedOrigins: [],
      readRatePerSecond: 10,
      writeRatePerSecond: 2,
    }));
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /health', AuthorizationType: 'CUSTOM' });
  });
});
