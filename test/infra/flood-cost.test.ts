/**
 * What a flood of requests with random tokens can cost, worked out from the synthesized template's own
 * settings (authorizer concurrency and memory, route throttles, no access logs) and the real dashboard
 * assets, at us-east-1 list prices — and asserted to stay within $10 a month above the idle bill. The
 * table it prints is the one in README "What a flood costs".
 */
import { Template } from 'aws-cdk-lib/assertions';
import { buildDashboardAssetsSync } from '../../functions/dashboard/build';
import { DENY_DELAY_MS } from '../../functions/handlers/authorizer';
import { TOKEN_MAX_AGE_MS, TOKEN_REFRESH_INTERVAL_MS } from '../../functions/shared/api-token';
import { AUTHORIZER_CACHE_TTL, PUBLIC_ROUTE_LIMITS } from '../../lib/constructs/verdict-api';
import { ROUTE_DEFINITIONS } from '../../functions/api/route-table';
import { synthVerdict } from './synth';

type Json = Record<string, any>;

const MONTH_S = 30 * 86_400;
const PRICE = {
  httpApiPerRequest: 1.0 / 1e6,
  lambdaPerRequest: 0.2 / 1e6,
  lambdaArmPerGbSecond: 0.0000133334,
  logsIngestPerGb: 0.5,
  transferOutPerGb: 0.09,
  secretsPerCall: 0.05 / 10_000,
};
/** Lambda's START/END/REPORT lines per invocation (the authorizer logs nothing else on a denial). */
const PLATFORM_LOG_BYTES = 350;
/** A public response (the dashboard's, or the API's calendar and well-known documents): warm, no store call. */
const API_FN_SECONDS = 0.05;

const { stack } = synthVerdict({});
const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, Json> };
const resources = Object.values(template.Resources);
const authorizerFn = template.Resources[stack.getLogicalId(stack.authorizerFn.fn.node.defaultChild as never)].Properties;
const memoryOf = (name: string) => template.Resources[stack.getLogicalId(stack.functions().find(([n]) => n === name)![1].fn.node.defaultChild as never)].Properties.MemorySize as number;
/** The public routes are served by the dashboard and two API functions (the calendar feed, well-known documents): priced at the largest memory of them. */
const publicFnGb = Math.max(...ROUTE_DEFINITIONS.filter((r) => r.public).map((r) => memoryOf(r.servedBy))) / 1024;
const stage = resources.find((r) => r.Type === 'AWS::ApiGatewayV2::Stage')!.Properties;
const routes = resources.filter((r) => r.Type === 'AWS::ApiGatewayV2::Route').map((r) => r.Properties);
const publicKeys = routes.filter((r) => r.AuthorizationType !== 'CUSTOM').map((r) => r.RouteKey as string);

interface Row { item: string; usage: string; usd: number }

/** The worst month: the flood saturates what the template lets through, every second of the month. */
function floodCost(): { rows: Row[]; total: number; ifDeniedWereBilled: number } {
  const concurrency = authorizerFn.ReservedConcurrentExecutions as number;
  const gb = authorizerFn.MemorySize / 1024;
  // Each denial holds its execution environment DENY_DELAY_MS: the reserved environments deny at most this many per second.
  const deniedPerS = concurrency * (1000 / DENY_DELAY_MS);
  const denied = deniedPerS * MONTH_S;
  const publicPerS = publicKeys.reduce((sum, key) => sum + stage.RouteSettings[key].ThrottlingRateLimit, 0);
  const publicRequests = publicPerS * MONTH_S;
  const assets = buildDashboardAssetsSync();
  const largestAsset = Math.max(...Object.values(assets.files).map((f) => Buffer.byteLength(f)));
  const page = Buffer.byteLength(assets['index.html']);
  // Each public route at its limit, answering its largest response (an error answer is < 1 kB).
  const largestResponse = (key: string) => (key === 'GET /assets/{file}' ? largestAsset : key === 'GET /' ? page : 1000);
  const transferGb = publicKeys.reduce((sum, key) => sum + stage.RouteSettings[key].ThrottlingRateLimit * MONTH_S * largestResponse(key), 0) / 1e9;
  const secretsCalls = concurrency * MONTH_S * (1000 / TOKEN_MAX_AGE_MS + 1000 / TOKEN_REFRESH_INTERVAL_MS);
  const rows: Row[] = [
    { item: 'Authorizer invocations (denials)', usage: `${concurrency} reserved × ${1000 / DENY_DELAY_MS}/s = ${fmt(denied)}`, usd: denied * PRICE.lambdaPerRequest },
    { item: 'Authorizer compute (arm64)', usage: `${concurrency} × ${MONTH_S.toLocaleString('en-US')} s × ${gb} GB, busy the whole month`, usd: concurrency * MONTH_S * gb * PRICE.lambdaArmPerGbSecond },
    { item: 'Authorizer log lines (Lambda platform)', usage: `${fmt(denied)} × ${PLATFORM_LOG_BYTES} B`, usd: (denied * PLATFORM_LOG_BYTES / 1e9) * PRICE.logsIngestPerGb },
    { item: 'Secrets Manager refetches', usage: `${concurrency} environment × (1/min max age + 1/min refresh) = ${fmt(secretsCalls)}`, usd: secretsCalls * PRICE.secretsPerCall },
    { item: 'API Gateway: denied or throttled requests', usage: 'not billed (AWS: no charge for requests that fail authorization or are throttled)', usd: 0 },
    { item: 'API Gateway access logs', usage: 'none (the stage has no access log)', usd: 0 },
    { item: 'Public dashboard routes: API Gateway', usage: `${publicKeys.length} routes × ${PUBLIC_ROUTE_LIMITS.rateLimit}/s = ${fmt(publicRequests)}`, usd: publicRequests * PRICE.httpApiPerRequest },
    { item: 'Public dashboard routes: dashboard and API functions', usage: `${fmt(publicRequests)} × (request + ${API_FN_SECONDS} s × ${publicFnGb} GB) + log lines`, usd: publicRequests * (PRICE.lambdaPerRequest + API_FN_SECONDS * publicFnGb * PRICE.lambdaArmPerGbSecond + (PLATFORM_LOG_BYTES / 1e9) * PRICE.logsIngestPerGb) },
    { item: 'Public dashboard routes: transfer out', usage: `each route's largest answer (script ${kb(largestAsset)}, page ${kb(page)}, else < 1 kB) = ${transferGb.toFixed(1)} GB`, usd: transferGb * PRICE.transferOutPerGb },
  ];
  const protectedPerS = routes.filter((r) => r.AuthorizationType === 'CUSTOM').reduce((sum, r) => sum + stage.RouteSettings[r.RouteKey].ThrottlingRateLimit, 0);
  return { rows, total: rows.reduce((s, r) => s + r.usd, 0), ifDeniedWereBilled: protectedPerS * MONTH_S * PRICE.httpApiPerRequest };
}

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n));
const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;

describe('a flood of random tokens', () => {
  it('the authorizer is capped: reserved concurrency 1, 128 MB, a delayed denial', () => {
    expect(authorizerFn.ReservedConcurrentExecutions).toBe(1);
    expect(authorizerFn.MemorySize).toBe(128);
    expect(DENY_DELAY_MS).toBeGreaterThanOrEqual(1000);
    expect(authorizerFn.Timeout * 1000).toBeGreaterThan(DENY_DELAY_MS);
  });

  it('writes no access-log line: the stage has no access log and no log group is left for one', () => {
    expect(stage.AccessLogSettings).toBeUndefined();
    expect(resources.filter((r) => r.Type === 'AWS::Logs::LogGroup')).toHaveLength(stack.functions().length);
  });

  it('gets one request per 20 s per public route (the dashboard), bursts of 10 for a page load', () => {
    expect(publicKeys.length).toBeGreaterThan(0);
    for (const key of publicKeys) expect(stage.RouteSettings[key]).toEqual({ ThrottlingRateLimit: 0.05, ThrottlingBurstLimit: 10 });
  });

  it('leaves a rotated-out token working at most 5 minutes (API Gateway\'s decision cache + the authorizer\'s copy)', () => {
    const authorizer = resources.find((r) => r.Type === 'AWS::ApiGatewayV2::Authorizer')!.Properties;
    expect(authorizer.AuthorizerResultTtlInSeconds).toBe(AUTHORIZER_CACHE_TTL.toSeconds());
    expect(authorizer.AuthorizerResultTtlInSeconds + TOKEN_MAX_AGE_MS / 1000).toBeLessThanOrEqual(300);
  });

  it('costs at most $10 a month above the idle bill', () => {
    const { rows, total, ifDeniedWereBilled } = floodCost();
    process.stdout.write(`\nWorst-case monthly cost of a random-token flood (30 days, us-east-1, before free tiers)\n${rows
      .map((r) => `  | ${r.item} | ${r.usage} | ${r.usd.toFixed(2)} |`).join('\n')}\n  | Total | | ${total.toFixed(2)} |\n`
      + `  (if API Gateway billed denied and throttled requests: + $${ifDeniedWereBilled.toFixed(0)} at the protected routes' throttles)\n`);

    expect(total).toBeGreaterThan(1);
    expect(total).toBeLessThanOrEqual(10);
  });
});
