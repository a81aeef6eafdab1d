/**
 * Warm API latency and throughput. The local runtime runs in a child process; from here we time
 * GET /experiments/{id} through its HTTP server (authorizer + API handler + one GetItem) against a raw
 * GetItem of the same item on the same dynalite, interleaved in blocks so drift hits both alike, then
 * load the same route with autocannon at a fixed concurrency for a fixed time.
 *
 * The route is timed with the same kind of HTTP client the raw GetItem uses: the SDK sends it over
 * node:http with a keep-alive agent (@smithy/node-http-handler: keepAlive true, maxSockets 50), so the
 * route is sent over node:http with such an agent too, and the ratio compares the two server paths, not
 * two clients. Timed with fetch (undici) as well, and printed: fetch alone costs ~0.2 ms more per request
 * than node:http against a server answering a fixed body (measured on this machine), all of it client side.
 */
import { GetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { keys } from '../../functions/store/keys';
import { httpEvent, startCountedApi, TABLE } from '../reliability/api-harness';
import { anExperiment } from '../support/factories';
import { ROOT } from './bundles';
import { percentile, timeMs } from './stats';

// autocannon ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface ApiLatencyReport {
  requests: number;
  /** Sent over node:http with a keep-alive agent, as the SDK sends the raw GetItem. */
  handler: { p50: number; p99: number };
  /** The same requests sent with fetch (undici): the client's own cost included. */
  handlerFetch: { p50: number; p99: number };
  rawGetItem: { p50: number; p99: number };
  /** The same route on a running experiment: the read adds an interim readout (observation queries). */
  handlerRunning: { p50: number; p99: number };
  throughput: { connections: number; seconds: number; requestsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number };
}

interface ServerInfo { url: string; token: string; dynamoEndpoint: string; tableName: string; experimentId: string; runningExperimentId: string }

async function startServer(): Promise<{ child: ChildProcessWithoutNullStreams; info: ServerInfo }> {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(__dirname, 'local-api-server.ts')], { cwd: ROOT, stdio: 'pipe' });
  const stderr: string[] = [];
  child.stderr.on('data', (c: Buffer) => stderr.push(c.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`local API server exited (${code}): ${stderr.join('')}`)));
  });
  return { child, info: JSON.parse(line) as ServerInfo };
}

export async function measureApi(options: { requests?: number; connections?: number; seconds?: number } = {}): Promise<ApiLatencyReport> {
  const total = options.requests ?? 1000;
  const { child, info } = await startServer();
  const raw = new DynamoDBClient({ endpoint: info.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  // What the SDK's node:http handler makes for the raw GetItem (see the header).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  try {
    const key = keys.experiment(info.experimentId);
    const url = `${info.url}/experiments/${info.experimentId}`;
    const headers = { authorization: `Bearer ${info.token}` };
    const overNodeHttp = (target: string, what: string) => new Promise<void>((resolve, reject) => {
      http.get(target, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', reject);
        res.once('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${what} answered ${res.statusCode}`));
          else resolve();
        });
      }).once('error', reject);
    });
    const viaApi = () => overNodeHttp(url, 'GET /experiments/{id}');
    const viaApiFetch = async () => {
      const res = await fetch(url, { headers });
      if (res.status !== 200) throw new Error(`GET /experiments/{id} (fetch) answered ${res.status}`);
      await res.arrayBuffer();
    };
    const runningUrl = `${info.url}/experiments/${info.runningExperimentId}`;
    const viaApiRunning = () => overNodeHttp(runningUrl, 'GET /experiments/{id} (running)');
    const viaGetItem = async () => {
      const out = await raw.send(new GetItemCommand({ TableName: info.tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }));
      if (!out.Item) throw new Error('raw GetItem found no item');
    };
    for (let i = 0; i < 100; i++) { await viaApi(); await viaGetItem(); await viaApiFetch(); } // warm every path (JIT, sockets)
    const api: number[] = [];
    const apiFetch: number[] = [];
    const getItem: number[] = [];
    const running: number[] = [];
    const block = 50;
    for (let done = 0; done < total; done += block) {
      for (let i = 0; i < block; i++) api.push(await timeMs(viaApi));
      for (let i = 0; i < block; i++) getItem.push(await timeMs(viaGetItem));
      for (let i = 0; i < block; i++) apiFetch.push(await timeMs(viaApiFetch));
      for (let i = 0; i < block / 5; i++) running.push(await timeMs(viaApiRunning));
    }
    const connections = options.connections ?? 10;
    const seconds = options.seconds ?? 5;
    const load = await autocannon({ url, connections, duration: seconds, headers });
    return {
      requests: total,
      handler: { p50: percentile(api, 50), p99: percentile(api, 99) },
      handlerFetch: { p50: percentile(apiFetch, 50), p99: percentile(apiFetch, 99) },
      rawGetItem: { p50: percentile(getItem, 50), p99: percentile(getItem, 99) },
      handlerRunning: { p50: percentile(running, 50), p99: percentile(running, 99) },
      throughput: {
        connections, seconds, requestsPerSecond: load.requests.average, p50: load.latency.p50, p99: load.latency.p99,
        non2xx: load.non2xx, errors: load.errors + load.timeouts,
      },
    };
  } finally {
    raw.destroy();
    agent.destroy();
    child.stdin.end();
    await new Promise((r) => { child.once('exit', r); setTimeout(() => { child.kill(); r(undefined); }, 3_000).unref(); });
  }
}

/**
 * The same read without the HTTP hop: the API router in-process (what the Lambda runs once API Gateway
 * has built the event) against a raw GetItem, both on one in-process dynalite — the handler's own cost.
 */
export async function measureHandlerInProcess(requests = 1000): Promise<{ handler: number; rawGetItem: number }> {
  const api = await startCountedApi();
  try {
    await api.stores.experiments.create(anExperiment({ id: 'exp_inprocess', status: 'planned', start: '2030-01-01T00:00:00.000Z', end: '2030-01-15T00:00:00.000Z' }));
    const key = keys.experiment('exp_inprocess');
    const viaHandler = async () => {
      const res = await api.send(httpEvent('GET', '/experiments/exp_inprocess'));
      if (res.statusCode !== 200) throw new Error(`in-process GET answered ${res.statusCode}`);
    };
    const viaGetItem = () => api.stores.db.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }));
    for (let i = 0; i < 100; i++) { await viaHandler(); await viaGetItem(); }
    const handler: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < requests; i++) {
      handler.push(await timeMs(viaHandler));
      raw.push(await timeMs(viaGetItem));
    }
    return { handler: percentile(handler, 50), rawGetItem: percentile(raw, 50) };
  } finally {
    await api.close();
  }
}
