/** Contract tests for the Bluesky adapter against a fake public AppView (no auth). */
import { createBlueskySource } from '../../../functions/sources/bluesky';
import { aCollectContext, failureOf } from '../../fakes/collect-context';
import { BLUESKY_NOT_FOUND_BODY, blueskyProfileBody, installBlueskyFake } from '../../fakes/bluesky-fake';
import { FakeServer } from '../../fakes/fake-http-server';
import { describeTransportContract } from '../../fakes/transport-contract';

let fake: FakeServer;
beforeAll(async () => { fake = await FakeServer.start(); });
afterAll(async () => { await fake.close(); });

const NOW = new Date('2026-03-05T06:00:03Z');
const bluesky = (overrides: { handle?: string } = {}) => createBlueskySource({ handle: 'verdict.bsky.social', baseUrl: fake.url, backoffMs: 5, ...overrides }, () => NOW);

describe('Bluesky adapter', () => {
  it('maps getProfile to bluesky.followers and bluesky.posts at the slot, without credentials', async () => {
    installBlueskyFake(fake);

    const result = await bluesky().collect(aCollectContext());

    expect(result.observations).toEqual([
      { metric: 'bluesky.followers', at: '2026-03-05T06:00:00.000Z', value: 1234, source: 'bluesky', account: 'verdict.bsky.social' },
      { metric: 'bluesky.posts', at: '2026-03-05T06:00:00.000Z', value: 456, source: 'bluesky', account: 'verdict.bsky.social' },
    ]);
    const [req] = fake.requestsTo('GET', '/xrpc/app.bsky.actor.getProfile');
    expect(req.query.get('actor')).toBe('verdict.bsky.social');
    expect(req.headers.authorization).toBeUndefined();
  });

  it('counts absent from the profile mean zero (only did and handle are required)', async () => {
    installBlueskyFake(fake, { did: 'did:plc:abc', handle: 'new.bsky.social' });

    const result = await bluesky().collect(aCollectContext());

    expect(result.observations.map((o) => (o as { value: number }).value)).toEqual([0, 0]);
  });

  it('names the missing field when the profile lacks its handle', async () => {
    const { handle: _omit, ...profile } = blueskyProfileBody();
    void _omit;
    installBlueskyFake(fake, profile);

    const err = await failureOf(bluesky().collect(aCollectContext()));

    expect(err).toMatchObject({ code: 'schema_mismatch', extra: { field: 'handle' } });
  });

  it('reports an unknown handle as bad_request with the AppView message', async () => {
    installBlueskyFake(fake);
    fake.route('GET', '/xrpc/app.bsky.actor.getProfile', { status: 400, body: BLUESKY_NOT_FOUND_BODY });

    const err = await failureOf(bluesky().collect(aCollectContext()));

    expect(err).toMatchObject({ code: 'bad_request', extra: { status: 400 } });
    expect(err.message).toContain('Profile not found');
  });

  it('reports a 429 with RateLimit-Reset as rate_limited until then', async () => {
    installBlueskyFake(fake);
    fake.route('GET', '/xrpc/app.bsky.actor.getProfile', { status: 429, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers: { 'ratelimit-limit': '3000', 'ratelimit-remaining': '0', 'ratelimit-reset': '1772691000' } });

    const err = await failureOf(bluesky().collect(aCollectContext()));

    expect(err).toMatchObject({ code: 'rate_limited', extra: { resetAt: '2026-03-05T06:10:00.000Z' } });
  });

  it('fails clearly when no handle is configured', async () => {
    const err = await failureOf(bluesky({ handle: undefined }).collect(aCollectContext()));

    expect(err).toMatchObject({ code: 'bad_request' });
    expect(err.message).toContain('sources.bluesky.handle');
  });
});

describeTransportContract('Bluesky', {
  fake: () => fake,
  install: (f) => installBlueskyFake(f),
  firstRequest: ['GET', '/xrpc/app.bsky.actor.getProfile', blueskyProfileBody()],
  build: (o) => createBlueskySource({ handle: 'verdict.bsky.social', baseUrl: fake.url, ...o }),
  secrets: [],
});
