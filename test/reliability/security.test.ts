/**
 * Security through the real local runtime (authorizer + API handler + Powertools logger): every
 * protected route refuses a missing token, a wrong token of the right length and tokens of the wrong
 * length; and what a failing request or a failing source logs never contains a token or a credential.
 * (api-skeleton.test.ts covers "no token" and one wrong token per route; this adds the length matrix.)
 */
import { ROUTES } from '../../functions/api/routes';
import { newExperimentId } from '../../functions/api/services';
import { createReadoutsHandler } from '../../functions/handlers/api-readouts';
import { createAuthorizer } from '../../functions/handlers/authorizer';
import { collectSlot } from '../../functions/jobs/collect';
import type { LocalRuntime } from '../../functions/local/runtime';
import { parseAppConfig } from '../../functions/shared/app-config';
import { log, logger } from '../../functions/shared/logger';
import { fixedApiToken } from '../../functions/shared/api-token';
import { createDocumentClient } from '../../functions/shared/clients';
import { startLocalHttpServer } from '../../functions/local/http-server';
import { createStores } from '../../functions/store/stores';
import { createSource } from '../../functions/sources/registry';
import { FakeServer, type RecordedRequest } from '../fakes/fake-http-server';
import { installBeehiivFake } from '../fakes/beehiiv-fake';
import { call, startTestRuntime, TEST_TOKEN } from '../support/local-runtime';

const SOURCE_API_KEY = 'bh-live-SECRET-0f1e2d3c4b5a69788796a5b4c3d2e1f0';

let runtime: LocalRuntime;
let output: string[];
const writes = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };

/** Everything written to stdout/stderr (the logger's and console's output) while `work` runs. */
async function captureOutput<T>(work: () => Promise<T>): Promise<T> {
  const record = (chunk: unknown) => { output.push(String(chunk)); return true; };
  process.stdout.write = record as typeof process.stdout.write;
  process.stderr.write = record as typeof process.stderr.write;
  const original = { log: console.log, error: console.error, warn: console.warn, info: console.info };
  Object.assign(console, { log: record, error: record, warn: record, info: record });
  try {
    return await work();
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    Object.assign(console, original);
  }
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  logger.setLogLevel('DEBUG');
});
afterAll(async () => {
  logger.setLogLevel('SILENT');
  await runtime.close();
});
beforeEach(() => { output = []; });

describe('every protected route answers 401', () => {
  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'exp_abc');
  const protectedRoutes = ROUTES.filter((r) => !r.public).map((r) => [r.method, r.path] as const);
  const sameLengthWrong = TEST_TOKEN.slice(0, -1) + (TEST_TOKEN.endsWith('a') ? 'b' : 'a');

  it.each(protectedRoutes)('%s %s: missing, wrong, too short, too long, empty and non-Bearer tokens', async (method, path) => {
    const attempts: { token?: string | null; headers?: Record<string, string> }[] = [
      { token: null },
      { token: sameLengthWrong },
      { token: TEST_TOKEN.slice(0, 8) },
      { token: TEST_TOKEN + TEST_TOKEN },
      { token: 'x'.repeat(4096) },
      { token: null, headers: { authorization: 'Bearer ' } },
      { token: null, headers: { authorization: TEST_TOKEN } },
      { token: null, headers: { authorization: `Basic ${Buffer.from(`verdict:${TEST_TOKEN}`).toString('base64')}` } },
    ];

    const statuses = [];
    for (const attempt of attempts) {
      statuses.push((await call(runtime, method, concrete(path), { ...attempt, ...(method !== 'GET' && { body: {} }) })).status);
    }

    expect(statuses).toEqual(attempts.map(() => 401));
  });

  it('accepts the right token (the matrix above is not vacuous)', async () => {
    expect((await call(runtime, 'GET', '/experiments')).status).toBe(200);
  });
});

describe('nothing secret in the logs of a failing request', () => {
  it('a request that fails on the store logs its request id, never the token it carried', async () => {
    // The same handlers as the runtime's, on stores pointed at a port nothing listens on: every store call fails after the SDK's retries.
    const db = createDocumentClient('http://127.0.0.1:9');
    const broken = await startLocalHttpServer({
      port: 0,
      api: createReadoutsHandler({ ...createStores(db, runtime.tableName), config: parseAppConfig({}), now: () => new Date(), newId: newExperimentId, log }),
      authorize: createAuthorizer(fixedApiToken(TEST_TOKEN)),
    });
    try {
      const res = await captureOutput(() => call(broken, 'GET', '/experiments/exp_abc'));

      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('internal_error');
      expect(res.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|stack/i);
      const logs = output.join('');
      expect(logs).toContain(res.body.error.requestId);
      expect(logs).not.toContain(TEST_TOKEN);
    } finally {
      await broken.close();
      db.destroy();
    }
  });

  it('rejected tokens are not logged', async () => {
    const presented = 'attacker-guess-SECRET-0123456789abcdef';

    await captureOutput(async () => {
      await call(runtime, 'GET', '/experiments', { token: presented });
      await call(runtime, 'POST', '/experiments', { token: presented, body: { name: presented } });
    });

    expect(output.join('')).not.toContain(presented);
  });

  /** Collects beehiiv three times (401, 500, 400) against a fake whose error bodies say `message(authorization)`. */
  async function failingCollections(message: (authorization: string) => string): Promise<string[]> {
    const fake = await FakeServer.start();
    try {
      installBeehiivFake(fake);
      const answer = (status: number) => (req: RecordedRequest) => ({ status, body: { errors: [{ message: message(String(req.headers.authorization)) }] } });
      const config = parseAppConfig({ sources: { beehiiv: { enabled: true, publicationId: 'pub_00000000-0000-0000-0000-000000000000' } } });
      const runs: string[] = [];
      for (const [i, status] of [401, 500, 400].entries()) {
        fake.route('GET', '/v2/publications/:publicationId', answer(status));
        fake.route('GET', '/v2/publications/:publicationId/posts', answer(status));
        const run = await captureOutput(() => collectSlot('beehiiv', new Date(Date.UTC(2026, 10, 21 + i + runs.length)).toISOString(), 20_000, {
          config, runs: runtime.stores.runs, observations: runtime.stores.observations, log,
          credentials: { credentialsFor: async () => ({ apiKey: SOURCE_API_KEY }) },
          buildSource: (name, credentials) => createSource(name, credentials, { config, endpoints: { beehiiv: fake.url } }),
        }));
        expect(run.outcome).toBe('failed');
        runs.push(JSON.stringify(run));
      }
      expect(fake.requests.some((r) => String(r.headers.authorization).includes(SOURCE_API_KEY))).toBe(true);
      return runs;
    } finally {
      await fake.close();
    }
  }

  it('a source failing with 401, 500 and 400 records and logs no credential', async () => {
    const runs = await failingCollections(() => 'Invalid API key');

    expect(runs.join('\n')).not.toContain(SOURCE_API_KEY);
    expect(output.join('')).not.toContain(SOURCE_API_KEY);
    expect(output.join('')).toMatch(/source beehiiv failed/);
  });

  // The http client redacts its own header and auth values from any provider text it keeps.
  it('a source whose upstream echoes the credential back records and logs no credential', async () => {
    const runs = await failingCollections((authorization) => `bad key ${authorization}`);

    expect(runs.join('\n')).not.toContain(SOURCE_API_KEY);
    expect(output.join('')).not.toContain(SOURCE_API_KEY);
  });

  it('a source whose upstream echoes the credential URL-encoded, lower-cased or cut short records and logs none of it', async () => {
    const runs = await failingCollections((authorization) => {
      const key = authorization.replace(/^Bearer /, '');
      return `bad key ${encodeURIComponent(key)} ${key.toLowerCase()} ${key.slice(0, 20)}…`;
    });

    const kept = `${runs.join('\n')}\n${output.join('')}`;
    for (const form of [SOURCE_API_KEY, SOURCE_API_KEY.toLowerCase(), encodeURIComponent(SOURCE_API_KEY), SOURCE_API_KEY.slice(0, 20)]) expect(kept).not.toContain(form);
    expect(runs.join('\n')).toContain('[redacted]');
  });
});

