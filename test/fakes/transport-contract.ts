/**
 * The transport behaviours every axios-based adapter shares, as one reusable block of contract tests:
 * 401 and 403 → unauthorized (no credential in the message), 500 then success → retried, a request
 * that never answers → timeout, a body that is not JSON → malformed_response, a dropped connection →
 * network_error. Each adapter's own test file adds its provider's 429 flavour, pagination and drift.
 */
import type { Source } from '../../functions/sources/source';
import { aCollectContext, failureOf } from './collect-context';
import type { FakeResponse, FakeServer } from './fake-http-server';

export interface TransportContract {
  /** The fake, already started. */
  fake: () => FakeServer;
  /** Re-installs the provider's happy path on the fake. */
  install: (fake: FakeServer) => void;
  /** The first request the adapter makes ([method, route pattern]) and its happy body. */
  firstRequest: [method: string, pattern: string, okBody: unknown];
  /** Builds the adapter with a short timeout and fast backoff. */
  build: (options: { timeoutMs: number; retries: number; backoffMs: number }) => Source;
  /** Credential values that must never appear in a message. */
  secrets: string[];
  /** Further requests a successful run makes to the first request's route (Plausible's second query). Default 0. */
  laterRequestsToFirstRoute?: number;
}

export function describeTransportContract(name: string, c: TransportContract): void {
  describe(`${name} adapter: transport failures`, () => {
    const override = (response: FakeResponse | FakeResponse[]) => {
      const fake = c.fake();
      c.install(fake);
      fake.route(c.firstRequest[0], c.firstRequest[1], response);
      return fake;
    };
    const source = (timeoutMs = 2_000, retries = 2) => c.build({ timeoutMs, retries, backoffMs: 5 });

    it.each([401, 403])('reports %s as unauthorized, naming no credential', async (status) => {
      override({ status, body: { errors: [{ message: 'Unauthorized' }] } });

      const err = await failureOf(source().collect(aCollectContext()));

      expect(err).toMatchObject({ code: 'unauthorized', extra: { status } });
      for (const secret of c.secrets) expect(`${err.message} ${JSON.stringify(err.extra)}`).not.toContain(secret);
    });

    it('retries a 500 with backoff and then succeeds', async () => {
      const fake = override([{ status: 500, body: 'Internal Server Error' }, { body: c.firstRequest[2] }]);

      const result = await source().collect(aCollectContext());

      expect(fake.requestsTo(c.firstRequest[0], c.firstRequest[1])).toHaveLength(2 + (c.laterRequestsToFirstRoute ?? 0));
      expect(result.observations.length).toBeGreaterThan(0);
    });

    it('gives up with upstream_error when 5xx persists through the retries', async () => {
      const fake = override({ status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } });

      const err = await failureOf(source(2_000, 2).collect(aCollectContext()));

      expect(err).toMatchObject({ code: 'upstream_error', extra: { status: 502 } });
      expect(fake.requestsTo(c.firstRequest[0], c.firstRequest[1])).toHaveLength(3);
    });

    it('times out a request that does not answer', async () => {
      override({ body: c.firstRequest[2], delayMs: 1_500 });

      const err = await failureOf(source(100, 0).collect(aCollectContext()));

      expect(err.code).toBe('timeout');
    });

    it('never waits past the run deadline', async () => {
      override({ body: c.firstRequest[2], delayMs: 1_500 });
      const started = Date.now();

      const err = await failureOf(source(10_000, 2).collect(aCollectContext({ deadline: Date.now() + 400 })));

      expect(err.code).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(1_200);
    });

    it('reports a redirect as bad_request with its status, and does not follow it', async () => {
      const fake = override({ status: 301, headers: { location: `${c.fake().url}/elsewhere` }, body: '' });

      const err = await failureOf(source().collect(aCollectContext()));

      expect(err).toMatchObject({ code: 'bad_request', extra: { status: 301 } });
      expect(fake.requestsTo('GET', '/elsewhere')).toHaveLength(0);
    });

    it('reports a body that is not JSON as malformed_response', async () => {
      override({ body: '{"data": [', headers: { 'content-type': 'application/json' } });

      const err = await failureOf(source().collect(aCollectContext()));

      expect(err.code).toBe('malformed_response');
    });

    it('retries a dropped connection, then reports network_error', async () => {
      const fake = override({ destroy: true });

      const err = await failureOf(source(2_000, 1).collect(aCollectContext()));

      expect(err.code).toBe('network_error');
      expect(fake.requestsTo(c.firstRequest[0], c.firstRequest[1])).toHaveLength(2);
    });
  });
}
