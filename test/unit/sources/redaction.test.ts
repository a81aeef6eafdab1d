/** Credentials never survive in text we keep, in whatever form a provider quotes them back; bodies are capped. */
import { createHttpClient } from '../../../functions/sources/http-client';
import { secretRedactor } from '../../../functions/shared/redaction';
import { SourceError } from '../../../functions/sources/source';
import { FakeServer } from '../../fakes/fake-http-server';
import * as z from '../../../functions/domain/zod-mini';

const KEY = 'sk-Live_AbCdEfGh1234/5678+ijklMNOP-us21';

describe('secretRedactor', () => {
  const redact = secretRedactor({ values: [`Bearer ${KEY}`] });

  it.each([
    ['as written', KEY],
    ['URL-encoded', encodeURIComponent(KEY)],
    ['lower-cased', KEY.toLowerCase()],
    ['upper-cased', KEY.toUpperCase()],
    ['cut to a 20-character prefix', `${KEY.slice(0, 20)}…`],
    ['as base64', Buffer.from(KEY).toString('base64')],
  ])('removes the key %s', (_form, quoted) => {
    const out = redact(`Invalid API key: ${quoted} (see docs)`);
    expect(out).toBe(`Invalid API key: [redacted]${quoted.endsWith('…') ? '…' : ''} (see docs)`);
  });

  it('removes the Basic-auth base64 form Mailchimp uses (user:key)', () => {
    const basic = Buffer.from(`verdict:${KEY}`).toString('base64');
    expect(secretRedactor({ basic: { username: 'verdict', password: KEY } })(`Authorization: Basic ${basic}`)).toBe('Authorization: Basic [redacted]');
  });

  it('keeps text that only shares a short piece with the key', () => {
    expect(redact('sk-Live is the prefix of every live key; 1234 is a number')).toBe('sk-Live is the prefix of every live key; 1234 is a number');
  });
});

describe('the HTTP client redacts credentials from provider error text', () => {
  let fake: FakeServer;
  beforeAll(async () => { fake = await FakeServer.start(); });
  afterAll(async () => { await fake.close(); });

  it.each([
    ['Bearer key, URL-encoded and lower-cased', { headers: { authorization: `Bearer ${KEY}` } }, (auth: string) => `bad ${encodeURIComponent(auth.slice(7))} / ${auth.toLowerCase()}`],
    ['Bearer key, a 20-character prefix', { headers: { authorization: `Bearer ${KEY}` } }, (auth: string) => `key ${auth.slice(7, 27)}... is revoked`],
    ['Basic auth echoed as sent', { auth: { username: 'anystring', password: KEY } }, (auth: string) => `rejected ${auth}`],
  ])('%s', async (_what, credentials, echo) => {
    fake.route('GET', '/thing', (req) => ({ status: 401, body: { detail: echo(String(req.headers.authorization)) } }));
    const client = createHttpClient({ provider: 'p', baseUrl: fake.url, retries: 0, ...credentials });

    const err = await client.getJson('/thing', z.object({})).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(SourceError);
    const message = (err as Error).message;
    expect(message).toContain('[redacted]');
    for (const form of [KEY, KEY.toLowerCase(), encodeURIComponent(KEY), KEY.slice(0, 20), Buffer.from(`anystring:${KEY}`).toString('base64')]) {
      expect(message).not.toContain(form);
    }
  });
});

describe('the HTTP client caps response size per source', () => {
  let fake: FakeServer;
  beforeAll(async () => { fake = await FakeServer.start(); });
  afterAll(async () => { await fake.close(); });

  it('stops reading past the cap, fails as malformed_response and does not retry', async () => {
    fake.route('GET', '/big', { status: 200, body: { text: 'x'.repeat(50_000) } });
    const client = createHttpClient({ provider: 'p', baseUrl: fake.url, retries: 2, backoffMs: 1, maxResponseBytes: 10_000 });

    const err = await client.getJson('/big', z.object({ text: z.string() })).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('malformed_response');
    expect((err as Error).message).toContain('more than 10000 bytes');
    expect(client.requests).toBe(1);
  });
});
