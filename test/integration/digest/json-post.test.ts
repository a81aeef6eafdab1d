/**
 * The digest function's webhook POST (functions/shared/json-post.ts) against a local HTTP server: the JSON
 * it sends, a 2xx resolved, anything else rejected with its status only, a silent server timed out. The
 * way through HTTPS_PROXY is proven by the deployed-stack harness (test/deployed), which runs the bundle.
 */
import { HttpStatusError, postJson } from '../../../functions/shared/json-post';
import { FakeServer } from '../../fakes/fake-http-server';

let hook: FakeServer;
beforeAll(async () => { hook = await FakeServer.start(); });
afterAll(async () => { await hook.close(); });
beforeEach(() => hook.clear());

const url = () => `${hook.url}/services/T000/B000/secret-part`;

describe('postJson', () => {
  it('sends the body as JSON and resolves with a 2xx status', async () => {
    hook.route('POST', '/services/T000/B000/secret-part', { status: 200, body: 'ok', headers: { 'content-type': 'text/plain' } });

    const result = await postJson(url(), { text: 'Verdict weekly digest' }, { timeoutMs: 2_000 });

    expect(result).toEqual({ status: 200 });
    const [sent] = hook.requestsTo('POST', '/services/T000/B000/secret-part');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual({ text: 'Verdict weekly digest' });
  });

  it('rejects an answer outside 2xx with its status, naming no URL, and follows no redirect', async () => {
    hook.route('POST', '/services/T000/B000/secret-part', [{ status: 500, body: 'no' }, { status: 302, headers: { location: `${hook.url}/elsewhere` }, body: '' }]);

    const failed = await postJson(url(), {}, { timeoutMs: 2_000 }).catch((e: unknown) => e);
    const redirected = await postJson(url(), {}, { timeoutMs: 2_000 }).catch((e: unknown) => e);

    expect(failed).toBeInstanceOf(HttpStatusError);
    expect(failed).toMatchObject({ status: 500, message: 'HTTP 500' });
    expect(redirected).toMatchObject({ status: 302 });
    expect(hook.requestsTo('POST', '/elsewhere')).toHaveLength(0);
  });

  it('gives up on a server that does not answer in time', async () => {
    hook.route('POST', '/services/T000/B000/secret-part', { status: 200, body: 'late', delayMs: 1_500 });

    const err = await postJson(url(), {}, { timeoutMs: 100 }).catch((e: unknown) => e as Error);

    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toContain('secret-part');
  });
});
