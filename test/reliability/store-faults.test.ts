/**
 * Store faults: DynamoDB going away mid-run (dynalite stopped, then restarted on its data), throttling
 * answers from a proxy in front of dynalite (the SDK's own retries must absorb a few, and give a clear
 * error when they do not stop), and a scorer that dies after each of its writes in turn — never a
 * partial verdict, and the next run completes the conclusion with exactly one verdict.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSlot, type CollectDeps } from '../../functions/jobs/collect';
import { scoreDueExperiments } from '../../functions/jobs/score-due';
import { ensureTable, startDynalite, type LocalDynamo } from '../../functions/local/dynalite';
import { parseAppConfig } from '../../functions/shared/app-config';
import { createAnySource } from '../../functions/sources/all-sources';
import { FakeServer } from '../fakes/fake-http-server';
import { installXFake } from '../fakes/x-fake';
import { countedStores } from '../support/dynamo-counter';
import { anExperiment, followerSnapshots } from '../support/factories';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const TABLE = 'verdict-faults';
const quiet = { info: () => {}, warn: () => {} };
const X_CREDENTIALS = { appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' };
const config = parseAppConfig({});

/**
 * A proxy in front of dynalite that answers DynamoDB's throttling error instead of forwarding while
 * `throttle()` says so, and counts the requests it saw by operation (X-Amz-Target).
 */
async function startThrottlingProxy(target: string, throttle: (operation: string) => boolean) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
    seen.push(operation);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (throttle(operation)) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'The level of configured provisioned throughput for the table was exceeded.' }));
        return;
      }
      const upstream = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => { res.destroy(); });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

let fakeX: FakeServer;
beforeAll(async () => {
  fakeX = await FakeServer.start();
  installXFake(fakeX);
});
afterAll(async () => { await fakeX.close(); });

function collectDeps(stores: ReturnType<typeof countedStores>, now: Date): CollectDeps {
  return {
    config, runs: stores.runs, observations: stores.observations, log: quiet, now: () => now,
    credentials: { credentialsFor: async () => X_CREDENTIALS },
    buildSource: (name, credentials) => createAnySource(name, credentials, { config, endpoints: { x: fakeX.url }, now: () => now }),
  };
}

describe('DynamoDB unavailable mid-run', () => {
  let dir: string;
  let dynamo: LocalDynamo | undefined;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'verdict-faults-')); });
  afterEach(async () => {
    await dynamo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a collection whose store stops mid-run fails clearly within its budget, and the restarted store takes the retry', async () => {
    dynamo = await startDynalite({ path: dir });
    const port = Number(new URL(dynamo.endpoint).port);
    await ensureTable(dynamo.endpoint, TABLE);
    const stores = countedStores(dynamo.endpoint, TABLE);
    const now = new Date('2026-11-20T06:00:05Z');
    // X answers slowly; dynalite stops while the collector waits for it. A socket-resetting server then
    // holds the port, so the store stays unreachable (no other process can take the port meanwhile).
    let outage: net.Server | undefined;
    fakeX.route('GET', '/2/users/me', (async () => {
      await dynamo?.close();
      dynamo = undefined;
      outage = await holdPortUnreachable(port);
      return { body: (await import('../fakes/x-fake')).xMeBody() };
    }));

    // The run ends (a hang would hit the project's time limit) with a store error after its retries.
    const failure = await collectSlot('x', '2026-11-20T06:00:00Z', 20_000, collectDeps(stores, now)).then(() => undefined, (err: Error) => err);

    expect(failure).toBeInstanceOf(Error);
    expect(`${failure?.name}: ${failure?.message}`).toMatch(/ECONNREFUSED|connect|socket|Timeout|network/i);
    expect((failure as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBeGreaterThan(1);

    installXFake(fakeX);
    await new Promise((r) => outage?.close(r));
    dynamo = await startDynalite({ path: dir, port });
    const retry = await collectSlot('x', '2026-11-20T06:00:00Z', 20_000, collectDeps(stores, now));

    expect(retry.outcome).toBe('ok');
    expect(await stores.observations.query('x.followers', '2026-11-20T06:00:00Z', '2026-11-20T07:00:00Z')).toHaveLength(1);
    stores.db.destroy();
  });

  it('a scorer run with the store gone reports a clear failure; nothing is half-recorded and the next run scores', async () => {
    dynamo = await startDynalite({ path: dir });
    const port = Number(new URL(dynamo.endpoint).port);
    await ensureTable(dynamo.endpoint, TABLE);
    const stores = countedStores(dynamo.endpoint, TABLE);
    await stores.observations.putMany(followerSnapshots({ from: '2026-10-01T00:00:00Z', to: '2026-11-19T00:00:00Z', perDay: () => 10 }));
    await stores.experiments.create(anExperiment({ id: 'exp_storegone' }));
    await dynamo.close();
    dynamo = undefined;
    const outage = await holdPortUnreachable(port);

    const failure = await scoreDueExperiments(new Date('2026-11-20T00:00:00Z'), { ...stores, log: quiet }).then(() => undefined, (err: Error) => err);
    expect(failure).toBeInstanceOf(Error);

    await new Promise((r) => outage.close(r));
    dynamo = await startDynalite({ path: dir, port });
    const run = await scoreDueExperiments(new Date('2026-11-20T00:00:00Z'), { ...stores, log: quiet });

    expect(run.scored).toEqual(['exp_storegone']);
    expect(await stores.experiments.verdictHistory('exp_storegone')).toHaveLength(1);
    stores.db.destroy();
  });
});

describe('DynamoDB throttling', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startDynalite();
    await ensureTable(dynamo.endpoint, TABLE);
  });
  afterAll(async () => { await dynamo.close(); });

  it('absorbs a few throttled answers with the SDK retries: the slot is collected once', async () => {
    let throttled = 0;
    const proxy = await startThrottlingProxy(dynamo.endpoint, (op) => (op === 'BatchWriteItem' || op === 'PutItem') && throttled++ < 2);
    const stores = countedStores(proxy.url, TABLE);
    try {
      const run = await collectSlot('x', '2026-11-21T06:00:00Z', 20_000, collectDeps(stores, new Date('2026-11-21T06:00:05Z')));

      expect(run.outcome).toBe('ok');
      expect(throttled).toBeGreaterThanOrEqual(2);
      expect(proxy.seen.filter((op) => op === 'BatchWriteItem').length).toBeGreaterThan(1); // retried on the wire
      expect(stores.counter.counts.BatchWriteItemCommand).toBe(1); // one logical write
      expect(await stores.observations.query('x.followers', '2026-11-21T06:00:00Z', '2026-11-21T07:00:00Z')).toHaveLength(1);
    } finally {
      stores.db.destroy();
      await proxy.close();
    }
  });

  it('fails clearly, after the SDK retries, when throttling does not stop — and writes no run or observation', async () => {
    const proxy = await startThrottlingProxy(dynamo.endpoint, (op) => op === 'BatchWriteItem');
    const stores = countedStores(proxy.url, TABLE);
    try {
      const failure = await collectSlot('x', '2026-11-21T12:00:00Z', 20_000, collectDeps(stores, new Date('2026-11-21T12:00:05Z'))).then(() => undefined, (err: Error) => err);

      expect(failure?.name).toBe('ProvisionedThroughputExceededException');
      expect((failure as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(4);
      expect(await stores.observations.query('x.followers', '2026-11-21T12:00:00Z', '2026-11-21T13:00:00Z')).toHaveLength(0);
      expect(await stores.runs.getRun('x', '2026-11-21T12:00:00.000Z')).toBeUndefined();
    } finally {
      stores.db.destroy();
      await proxy.close();
    }
  });
});

describe('a scorer that dies mid-scoring', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startDynalite();
    await ensureTable(dynamo.endpoint, TABLE);
    const stores = countedStores(dynamo.endpoint, TABLE);
    await stores.observations.putMany(followerSnapshots({ from: '2026-10-01T00:00:00Z', to: '2026-11-19T00:00:00Z', perDay: () => 10 }));
    stores.db.destroy();
  });
  afterAll(async () => { await dynamo.close(); });

  // The scorer's puts for one experiment: the verdict guard, the history entry, the log row, the conclusion.
  it.each([1, 2, 3, 4])('dies at write %i: no partial verdict, and the next run completes it with exactly one', async (fatalWrite) => {
    const id = `exp_crash${fatalWrite}`;
    const stores = countedStores(dynamo.endpoint, TABLE);
    await stores.experiments.create(anExperiment({ id }));
    let writes = 0;
    stores.db.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'PutItemCommand' && ++writes === fatalWrite) throw new Error('process killed (injected)');
      return next(args);
    }, { step: 'initialize', name: 'crashAtWrite' });

    const crashed = await scoreDueExperiments(new Date('2026-11-20T00:00:00Z'), { ...stores, log: quiet });
    stores.db.middlewareStack.remove('crashAtWrite');

    expect(crashed.failed.map((f) => f.id)).toEqual([id]);
    const afterCrash = await stores.experiments.getVerdict(id);
    if (fatalWrite === 1) expect(afterCrash).toBeUndefined();
    else expect(afterCrash).toMatchObject({ experimentId: id, decision: expect.any(String), summary: expect.any(String) });

    const next = await scoreDueExperiments(new Date('2026-11-20T00:00:00Z'), { ...stores, log: quiet });

    expect([...next.scored, ...next.alreadyScored]).toContain(id);
    expect(next.failed).toEqual([]);
    expect((await stores.experiments.get(id))?.status).toBe('concluded');
    expect(await stores.experiments.verdictHistory(id)).toHaveLength(1);
    stores.db.destroy();
  });
});

/** Listens on `port` and resets every connection: DynamoDB down, and the port not free for anyone else. */
async function holdPortUnreachable(port: number): Promise<net.Server> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', () => resolve()); });
  return server;
}
