/**
 * Cold init per handler: a fresh node process that loads the minified bundle (with Lambda's
 * NODE_OPTIONS=--enable-source-maps) and serves one event against dynalite, then exits — timed from
 * spawn to exit, as a ratio to a bare `node -e 0` timed in the same rounds (and, for reference, to a
 * node that only loads the DynamoDB client: the floor every handler here pays).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, type BundleReport, type HandlerName } from './bundles';

const SDK_NODE_PATH = join(ROOT, 'node_modules');
import { median, timeMs } from './stats';

export interface ColdInitReport {
  baselineMs: number;
  /** A node process that only requires the DynamoDB client and lib-dynamodb: the floor any handler here pays. */
  sdkBaselineMs: number;
  handlers: { handler: HandlerName; ms: number; ratio: number }[];
  runs: number;
}

export interface ColdInitTarget { endpoint: string; tableName: string; token: string; experimentId: string }

/** The one event each handler serves: a read, a token check, a collection slot, a scorer run. */
function eventFor(handler: HandlerName, target: ColdInitTarget): unknown {
  const slot = '2030-01-01T06:00:00.000Z';
  switch (handler) {
    case 'api':
      return {
        version: '2.0', routeKey: '$default', rawPath: `/experiments/${target.experimentId}`, rawQueryString: '', headers: {}, isBase64Encoded: false,
        requestContext: { http: { method: 'GET', path: `/experiments/${target.experimentId}`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' }, requestId: 'bench', routeKey: '$default', stage: '$default', time: '', timeEpoch: 0, accountId: 'local', apiId: 'local', domainName: 'localhost', domainPrefix: 'local' },
      };
    case 'authorizer':
      return { headers: { authorization: `Bearer ${target.token}` } };
    case 'collector':
      // No credentials in the child's env: the slot is read, found unconfigured and recorded.
      return { scheduledTime: slot, source: 'x' };
    case 'scorer':
      return { scheduledTime: slot };
    case 'digest':
      throw new Error('no cold-init event for the digest (see COLD_INIT_HANDLERS)');
  }
}

const SERVE_ONE = `
const { handler } = require(process.env.BENCH_BUNDLE);
handler(JSON.parse(process.env.BENCH_EVENT), { getRemainingTimeInMillis: () => 30000 })
  .then((r) => { if (r && r.statusCode >= 400) { console.error('status', r.statusCode, r.body); process.exit(2); } process.exit(0); },
        (e) => { console.error(e); process.exit(1); });`;

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}: ${stderr.slice(0, 500)}`))));
  });
}

export async function measureColdInit(bundles: readonly BundleReport[], target: ColdInitTarget, runs = 5): Promise<ColdInitReport> {
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME,
    TABLE_NAME: target.tableName, DYNAMODB_ENDPOINT: target.endpoint, VERDICT_API_TOKEN: target.token,
    AWS_REGION: 'local', POWERTOOLS_SERVICE_NAME: 'verdict', POWERTOOLS_LOG_LEVEL: 'SILENT',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const baseline: number[] = [];
  const sdkBaseline: number[] = [];
  const samples = new Map<HandlerName, number[]>(bundles.map((b) => [b.handler, []]));
  for (let round = 0; round < runs + 1; round++) {
    const warmup = round === 0; // first round primes the OS file cache for node and the bundles
    const bare = await timeMs(() => run(['-e', '0'], { PATH: process.env.PATH }));
    if (!warmup) baseline.push(bare);
    const sdk = await timeMs(() => run(['-e', "require('@aws-sdk/client-dynamodb'); require('@aws-sdk/lib-dynamodb')"], { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NODE_PATH: SDK_NODE_PATH }));
    if (!warmup) sdkBaseline.push(sdk);
    for (const b of bundles) {
      const env = { ...baseEnv, NODE_OPTIONS: '--enable-source-maps', BENCH_BUNDLE: b.file, BENCH_EVENT: JSON.stringify(eventFor(b.handler, target)), SOURCE_NAME: 'x' };
      const ms = await timeMs(() => run(['-e', SERVE_ONE], env));
      if (!warmup) samples.get(b.handler)!.push(ms);
    }
  }
  const baselineMs = median(baseline);
  return {
    baselineMs,
    sdkBaselineMs: median(sdkBaseline),
    runs,
    handlers: bundles.map((b) => {
      const ms = median(samples.get(b.handler)!);
      return { handler: b.handler, ms, ratio: ms / baselineMs };
    }),
  };
}
