/**
 * Concrete defects the fuzzers and fault tests found, pinned as single requests. Each was fixed at
 * its source and stays here as a regression test.
 * (The fuzz files generate Latin-1 header values and run with a complete environment, so they do not
 * trip over these.)
 */
import { ConfigurationError } from '../../functions/shared/errors';
import { httpEvent, startCountedApi, type CountedApi } from './api-harness';

let api: CountedApi;
beforeAll(async () => { api = await startCountedApi(); });
afterAll(async () => { await api.close(); });

const TOOLS_LIST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

describe('POST /mcp', () => {
  it('answers a plain tools/list (the requests below differ only in one header)', async () => {
    const res = await api.send(httpEvent('POST', '/mcp', { body: TOOLS_LIST, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }));
    expect(res.statusCode).toBe(200);
  });

  // Found by fuzzing: forwarding a header value outside Latin-1 into `new Headers()` throws
  // "Cannot convert argument to a ByteString" → 500. UTF-8 header bytes decoded upstream can produce it.
  it.each([
    ['accept', 'application/json, text/event-stream, ܓ'],
    ['mcp-protocol-version', '2025-06-18€'],
  ])('answers 4xx, not 5xx, when %s carries a non-Latin-1 character', async (name, value) => {
    const res = await api.send(httpEvent('POST', '/mcp', { body: TOOLS_LIST, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', [name]: value } }));
    expect(res.statusCode).toBeLessThan(500);
  });
});

describe('a deployment error is not the client’s fault', () => {
  // Found while wiring the bench: with TABLE_NAME missing, the router's collaborators failed their env
  // parse and the client got 400 validation_failed naming the deployment's environment variables. Now
  // each function validates its own environment at cold start, before any request is routed.
  it.each(['api-experiments', 'api-plans', 'api-readouts', 'api-reads', 'api-imports'])('the %s function fails its cold start with a ConfigurationError naming each missing variable', async (name) => {
    const { handler } = await import(`../../functions/handlers/${name}`) as { handler: (event: unknown) => Promise<unknown> };

    const failure = handler(httpEvent('GET', '/experiments'));

    await expect(failure).rejects.toThrow(ConfigurationError);
    await expect(failure).rejects.toThrow(/TABLE_NAME \(missing\)/);
  });

  it('answers 500 with a generic message when a collaborator is not configured', async () => {
    const { dispatch } = await import('../../functions/api/router');
    const { COMPILED_ROUTES } = await import('../../functions/api/routes');
    const { collect: _ignored, ...withoutCollector } = api.services;

    const res = await dispatch(httpEvent('POST', '/collect', { body: '{"source":"x"}', headers: { 'content-type': 'application/json' } }), COMPILED_ROUTES, withoutCollector);

    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/collector|inject/i);
  });
});
