/**
 * Cold init per function, of the code AWS runs: the app is synthesized with real bundles (the
 * deployed-stack harness, test/deployed), and each function's cdk.out bundle is loaded in a fresh node
 * process with exactly the environment its template gives it (plus the Lambda service's variables and
 * the harness endpoints: dynalite, moto), serves one event, and exits — timed from spawn to exit (with
 * Lambda's NODE_OPTIONS=--enable-source-maps), as a ratio to a bare `node -e 0` and to a node that only
 * loads the DynamoDB client (the SDK floor every function here pays), timed in the same rounds.
 * Each process also reports the CPU time it used (user + system, all its threads, at exit): the figure
 * the goals are read in (issue 20 measured CPU time), because on a shared machine a process's wall time
 * follows the load while its CPU time barely moves.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createDocumentClient } from '../../functions/shared/clients';
import { ExperimentStore } from '../../functions/store/experiment-store';
import { DeployedStack } from '../deployed/deployed-stack';
import { aCreateRequest, anExperiment } from '../support/factories';
import { median, timeMs } from './stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'bench-token-0123456789abcdefghijklmnopqrstu';

export interface ColdInitReport {
  baselineMs: number;
  /** A node process that only requires the DynamoDB client and lib-dynamodb: the floor any function here pays. */
  sdkBaselineMs: number;
  /** The same floor in CPU time (user + system). */
  sdkBaselineCpuMs: number;
  /**
   * The floor that also sends one GetItem (through the harness endpoint, with the api-readouts function's template
   * environment), in CPU time: what any handler's first SDK request costs on top of loading the client.
   */
  sdkRequestCpuMs: number;
  /**
   * A credentialed collector's own floor, in CPU time: the DynamoDB and Secrets Manager clients loaded, one GetItem
   * and one GetSecretValue of its source secret sent (collector-beehiiv's template environment) — the SDK work its
   * first event cannot avoid.
   */
  collectorFloorCpuMs: number;
  /**
   * The authorizer's own floor, in CPU time: the Secrets Manager client loaded and one GetSecretValue of the token
   * secret sent (the authorizer's template environment) — it reads no table, so the DynamoDB floor is not its floor.
   */
  authorizerFloorCpuMs: number;
  /**
   * A bare node in the MCP function's own process environment (its template's and the harness's variables: the
   * harness's NODE_EXTRA_CA_CERTS alone costs ~16 ms CPU at start), in CPU time: the floor of an event that loads no
   * SDK and sends no request (its tools/list).
   */
  bareCpuMs: number;
  /**
   * The MCP function's floor for a tool call, in CPU time: node:http loaded and one GET /health sent to the API with the
   * token (the MCP function's template environment: API_URL) — the request its tools/call cannot avoid; it loads no SDK.
   */
  httpRequestCpuMs: number;
  /** `ms` is wall time spawn → exit; `cpuMs` the process's CPU time; `cpuSdkRatio` = cpuMs / sdkBaselineCpuMs. */
  /**
   * Also per function: `ownFloorCpuMs`, the SDK work its measured event cannot avoid (see floorOf), and what that floor is.
   */
  functions: { name: string; ms: number; ratio: number; sdkRatio: number; cpuMs: number; cpuSdkRatio: number; ownFloorCpuMs: number; ownFloor: string; bundleBytes: number }[];
  runs: number;
}

/** Appended to every measured process: writes its CPU time so far (ms) to stdout as it exits. */
const REPORT_CPU = ";process.once('exit', () => { const u = process.cpuUsage(); process.stdout.write(`cpu ${(u.user + u.system) / 1000}\\n`); });";

/**
 * One collector with no credentials (found unconfigured: no network), the loop idle. The functions
 * measured, each with the one event it serves: a route of each API function, a token check, the dashboard page, a collection
 * slot, a scorer run, an MCP tools/list.
 */
const CONFIG = { sources: { x: { enabled: false }, beehiiv: { enabled: true, publicationId: 'pub_00000000-0000-0000-0000-000000000000' } }, loop: { targetActive: 0 } };

function httpEvent(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): unknown {
  return {
    version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', headers: { 'content-type': 'application/json', ...headers }, isBase64Encoded: false,
    ...(body !== undefined && { body: JSON.stringify(body) }),
    requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' }, requestId: 'bench', routeKey: '$default', stage: '$default', time: '', timeEpoch: 0, accountId: 'local', apiId: 'local', domainName: 'localhost', domainPrefix: 'local' },
  };
}

function eventFor(name: string, stack: DeployedStack, experimentId: string): unknown | undefined {
  const slot = new Date('2030-01-01T06:00:00.000Z');
  // Each API function with a route its users call most (the readouts' is the experiment page the old single API function was timed with).
  if (name === 'api-readouts') return httpEvent('GET', `/experiments/${experimentId}`);
  if (name === 'api-experiments') return httpEvent('GET', '/experiments');
  if (name === 'api-plans') return httpEvent('POST', '/experiments/plan', aCreateRequest({ start: '2030-01-01T00:00:00.000Z' }));
  if (name === 'api-reads') return httpEvent('GET', '/log');
  if (name === 'api-imports') return httpEvent('POST', '/observations', { observations: [{ metric: 'newsletter.subscribers', at: '2029-12-31T06:00:00.000Z', value: 4100, source: 'beehiiv' }] });
  if (name === 'dashboard') return httpEvent('GET', '/');
  if (name === 'mcp') return httpEvent('POST', '/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { accept: 'application/json, text/event-stream' });
  // A tool call: the MCP function sends it to the API (through the harness's API front) with the caller's token.
  if (name === 'mcp tools/call') return httpEvent('POST', '/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'health', arguments: {} } }, { accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}` });
  if (name === 'authorizer') return { type: 'REQUEST', routeArn: 'arn:aws:execute-api:us-east-1:123456789012:bench/$default/GET/experiments', headers: { authorization: `Bearer ${TOKEN}` } };
  if (name.startsWith('collector-') || name === 'scorer') return stack.scheduleInput(name, slot);
  return undefined; // the digest sends mail and chat: not a cold-init figure
}

/** The floors measured beside the functions, in CPU ms. */
interface Floors { load: number; oneGetItem: number; collector: number; authorizer: number; bare: number; httpRequest: number }

/**
 * The SDK floor the event eventFor gives `name` cannot avoid — the goal's "SDK floor it cannot avoid": the
 * authorizer's secret read (it reads no table); a collector's table read and secret read; one table request for
 * the API functions and the scorer (each of their events reads or writes the table); the client load alone for
 * the dashboard page, which sends no request. The MCP function loads no SDK at all (its tools call the API over
 * HTTP): a bare node for its tools/list, which sends no request; node:http and one request to the API for a tool call.
 */
function floorOf(name: string, floors: Floors): [number, string] {
  if (name === 'authorizer') return [floors.authorizer, 'its secret read'];
  if (name.startsWith('collector-')) return [floors.collector, 'a collector\'s table + secret reads'];
  if (name === 'dashboard') return [floors.load, 'the client load; its event sends no request'];
  if (name === 'mcp') return [floors.bare, 'a bare node: it loads no SDK and its tools/list sends no request'];
  if (name === 'mcp tools/call') return [floors.httpRequest, 'node:http and one request to the API; it loads no SDK'];
  return [floors.oneGetItem, 'one GetItem'];
}

/** The SDK floor plus one request: a GetItem of a key that does not exist. */
const ONE_GET_ITEM = `${REPORT_CPU}
const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb'); require('@aws-sdk/lib-dynamodb');
new DynamoDBClient({}).send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: 'bench' }, sk: { S: 'bench' } } }))
  .then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;

/** A credentialed collector's SDK floor: both clients loaded, one GetItem and one GetSecretValue of its secret. */
const GET_ITEM_AND_SECRET = `${REPORT_CPU}
const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb'); require('@aws-sdk/lib-dynamodb');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
Promise.all([
  new DynamoDBClient({}).send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: 'bench' }, sk: { S: 'bench' } } })),
  new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: process.env.SOURCE_SECRET_ARN })),
]).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;

/** The authorizer's SDK floor: the Secrets Manager client loaded, one GetSecretValue of the token secret. */
const GET_TOKEN_SECRET = `${REPORT_CPU}
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: process.env.API_TOKEN_SECRET_ARN }))
  .then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;

/** The MCP function's tool-call floor: node:http loaded, one GET /health to the API (API_URL) with the token. */
const ONE_HTTP_REQUEST = `${REPORT_CPU}
const url = new URL('/health', process.env.API_URL);
require(url.protocol === 'https:' ? 'node:https' : 'node:http').request(url, { headers: { authorization: 'Bearer ' + process.env.BENCH_TOKEN, accept: 'application/json' } }, (res) => {
  res.resume(); res.once('end', () => process.exit(res.statusCode === 200 ? 0 : 1));
}).once('error', (e) => { console.error(e); process.exit(1); }).end();`;

const SERVE_ONE = `${REPORT_CPU}
const { handler } = require(process.env.BENCH_BUNDLE);
Promise.resolve(handler(JSON.parse(process.env.BENCH_EVENT), { getRemainingTimeInMillis: () => 30000, awsRequestId: 'bench', functionName: 'bench' }))
  .then((r) => { if (r && r.statusCode >= 400) { console.error('status', r.statusCode, r.body); process.exit(2); } process.exit(0); },
        (e) => { console.error(e); process.exit(1); });`;

/** Runs node with `args`; resolves with the CPU ms the process reported (REPORT_CPU). */
function run(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.once('close', (code) => {
      const cpu = /^cpu ([\d.]+)$/m.exec(stdout);
      if (code === 0 && cpu) resolve(Number(cpu[1]));
      else reject(new Error(`exit ${code}${cpu ? '' : ' (no CPU report)'}: ${stderr.slice(-3000)}`));
    });
  });
}

/** Wall ms and CPU ms of one run. */
async function timed(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ ms: number; cpuMs: number }> {
  let cpuMs = 0;
  const ms = await timeMs(async () => { cpuMs = await run(args, env, cwd); });
  return { ms, cpuMs };
}

export async function measureColdInit(runs = 5): Promise<ColdInitReport> {
  // The egress proxy needs a host to certify; nothing is sent there (the collector has no credentials).
  const stack = await DeployedStack.start({ verdict: CONFIG, egress: { 'api.beehiiv.com': 'http://127.0.0.1:9' }, secrets: { apiToken: TOKEN, sourceCredentials: {} } });
  try {
    const db = createDocumentClient(stack.admin.dynamoEndpoint);
    const experiment = anExperiment({ id: 'exp_coldinit', status: 'planned', start: '2030-01-01T00:00:00.000Z', end: '2030-01-15T00:00:00.000Z' });
    await new ExperimentStore(db, stack.tableName).create(experiment);
    db.destroy();
    // The MCP function twice: its tools/list (no request) and a tool call (one request to the API).
    const measured = [...stack.functionNames(), 'mcp tools/call'].flatMap((name) => {
      const event = eventFor(name, stack, experiment.id);
      const fnName = name === 'mcp tools/call' ? 'mcp' : name;
      return event === undefined ? [] : [{ name, event, fn: stack.fn(fnName), env: stack.processEnvironmentOf(fnName) }];
    });
    const baseline: number[] = [];
    const sdkBaseline: number[] = [];
    const sdkBaselineCpu: number[] = [];
    const sdkRequestCpu: number[] = [];
    const collectorFloorCpu: number[] = [];
    const authorizerFloorCpu: number[] = [];
    const bareCpu: number[] = [];
    const httpRequestCpu: number[] = [];
    const mcpEnv = stack.processEnvironmentOf('mcp');
    const apiEnv = stack.processEnvironmentOf('api-readouts');
    const collectorEnv = stack.processEnvironmentOf('collector-beehiiv');
    const authorizerEnv = stack.processEnvironmentOf('authorizer');
    const samples = new Map<string, { ms: number[]; cpuMs: number[] }>(measured.map((m) => [m.name, { ms: [], cpuMs: [] }]));
    for (let round = 0; round < runs + 1; round++) {
      const warmup = round === 0; // first round primes the OS file cache for node and the bundles (and says if one fails)
      const bare = await timed(['-e', REPORT_CPU], { PATH: process.env.PATH });
      if (!warmup) baseline.push(bare.ms);
      const bareInEnv = await timed(['-e', REPORT_CPU], mcpEnv);
      if (!warmup) bareCpu.push(bareInEnv.cpuMs);
      const sdk = await timed(['-e', `${REPORT_CPU} require('@aws-sdk/client-dynamodb'); require('@aws-sdk/lib-dynamodb')`], { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NODE_PATH: join(ROOT, 'node_modules') });
      if (!warmup) { sdkBaseline.push(sdk.ms); sdkBaselineCpu.push(sdk.cpuMs); }
      const request = await timed(['-e', ONE_GET_ITEM], { ...apiEnv, NODE_PATH: join(ROOT, 'node_modules') });
      if (!warmup) sdkRequestCpu.push(request.cpuMs);
      const collectorFloor = await timed(['-e', GET_ITEM_AND_SECRET], { ...collectorEnv, NODE_PATH: join(ROOT, 'node_modules') });
      if (!warmup) collectorFloorCpu.push(collectorFloor.cpuMs);
      const authorizerFloor = await timed(['-e', GET_TOKEN_SECRET], { ...authorizerEnv, NODE_PATH: join(ROOT, 'node_modules') });
      if (!warmup) authorizerFloorCpu.push(authorizerFloor.cpuMs);
      const httpRequest = await timed(['-e', ONE_HTTP_REQUEST], { ...mcpEnv, BENCH_TOKEN: TOKEN });
      if (!warmup) httpRequestCpu.push(httpRequest.cpuMs);
      for (const m of measured) {
        const env = { ...m.env, NODE_OPTIONS: '--enable-source-maps', BENCH_BUNDLE: join(m.fn.assetDir, 'index.js'), BENCH_EVENT: JSON.stringify(m.event) };
        const one = await timed(['-e', SERVE_ONE], env, m.fn.assetDir).catch((err: Error) => { throw new Error(`${m.name}: ${err.message}`); });
        if (!warmup) { samples.get(m.name)!.ms.push(one.ms); samples.get(m.name)!.cpuMs.push(one.cpuMs); }
      }
    }
    const baselineMs = median(baseline);
    const sdkBaselineMs = median(sdkBaseline);
    const sdkBaselineCpuMs = median(sdkBaselineCpu);
    const floors: Floors = {
      load: sdkBaselineCpuMs, oneGetItem: median(sdkRequestCpu), collector: median(collectorFloorCpu), authorizer: median(authorizerFloorCpu),
      bare: median(bareCpu), httpRequest: median(httpRequestCpu),
    };
    return {
      baselineMs, sdkBaselineMs, sdkBaselineCpuMs, sdkRequestCpuMs: floors.oneGetItem, collectorFloorCpuMs: floors.collector, authorizerFloorCpuMs: floors.authorizer, bareCpuMs: floors.bare, httpRequestCpuMs: floors.httpRequest, runs,
      functions: measured.map((m) => {
        const ms = median(samples.get(m.name)!.ms);
        const cpuMs = median(samples.get(m.name)!.cpuMs);
        const [ownFloorCpuMs, ownFloor] = floorOf(m.name, floors);
        return { name: m.name, ms, ratio: ms / baselineMs, sdkRatio: ms / sdkBaselineMs, cpuMs, cpuSdkRatio: cpuMs / sdkBaselineCpuMs, ownFloorCpuMs, ownFloor, bundleBytes: statSync(join(m.fn.assetDir, 'index.js')).size };
      }),
    };
  } finally {
    await stack.close();
  }
}

if (require.main === module) {
  measureColdInit(Number(process.env.BENCH_RUNS ?? 3)).then((r) => {
    console.log(`node -e 0 ${r.baselineMs.toFixed(0)} ms; SDK floor ${r.sdkBaselineMs.toFixed(0)} ms wall, ${r.sdkBaselineCpuMs.toFixed(0)} ms CPU; the floor sending one GetItem ${r.sdkRequestCpuMs.toFixed(0)} ms CPU = ${(r.sdkRequestCpuMs / r.sdkBaselineCpuMs).toFixed(2)}×; a collector's floor (+ Secrets Manager, GetSecretValue) ${r.collectorFloorCpuMs.toFixed(0)} ms CPU; the authorizer's (Secrets Manager, one GetSecretValue) ${r.authorizerFloorCpuMs.toFixed(0)} ms CPU; node -e 0 in the MCP function's environment ${r.bareCpuMs.toFixed(0)} ms CPU; node:http + one request to the API (the MCP tool call's floor) ${r.httpRequestCpuMs.toFixed(0)} ms CPU; median of ${r.runs}`);
    for (const f of r.functions) console.log(`${f.name}: CPU ${f.cpuMs.toFixed(0)} ms = ${(f.cpuMs / f.ownFloorCpuMs).toFixed(2)}× its own floor (${f.ownFloor}), ${f.cpuSdkRatio.toFixed(2)}× the load-only SDK floor; wall ${f.ms.toFixed(0)} ms = ${f.sdkRatio.toFixed(2)}× (${f.ratio.toFixed(1)}× node -e 0); cdk.out bundle ${(f.bundleBytes / 1024).toFixed(0)} KB`);
  }).catch((err: unknown) => { console.error(err); process.exit(1); });
}
