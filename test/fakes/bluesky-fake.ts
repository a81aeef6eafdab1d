/** Fake Bluesky public AppView: GET /xrpc/app.bsky.actor.getProfile with the lexicon's field names. */
import type { FakeServer } from './fake-http-server';

export function blueskyProfileBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    did: 'did:plc:z72i7hdynmk6r22z27h6tvur', handle: 'verdict.bsky.social', displayName: 'Verdict',
    followersCount: 1234, followsCount: 321, postsCount: 456,
    indexedAt: '2026-03-01T10:00:00.000Z', createdAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export const BLUESKY_NOT_FOUND_BODY = { error: 'InvalidRequest', message: 'Profile not found' };

export function installBlueskyFake(server: FakeServer, profile: unknown = blueskyProfileBody()): FakeServer {
  server.clear();
  server.route('GET', '/xrpc/app.bsky.actor.getProfile', { body: profile });
  return server;
}
