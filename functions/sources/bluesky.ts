/**
 * Bluesky through the public AppView (no auth): one getProfile read per slot →
 * bluesky.followers and bluesky.posts. Only did and handle are required by the lexicon; absent
 * counts mean 0.
 */
import * as z from '../domain/zod-mini';
import type { Observation } from '../domain/observation';
import { createHttpClient } from './http-client';
import { SourceError, type Source } from './source';

export const BLUESKY_BASE_URL = 'https://public.api.bsky.app';

const count = z.number().check(z.int(), z.nonnegative());

const ProfileSchema = z.object({
  did: z.string().check(z.minLength(1)),
  handle: z.string().check(z.minLength(1)),
  followersCount: z._default(count, 0),
  postsCount: z._default(count, 0),
});

export interface BlueskySourceOptions {
  /** Handle or DID of the account to read. */
  handle?: string;
  baseUrl?: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
}

export function createBlueskySource(options: BlueskySourceOptions, now: () => Date = () => new Date()): Source {
  return {
    name: 'bluesky',
    async collect(ctx) {
      if (!options.handle) throw new SourceError('bad_request', 'sources.bluesky.handle is not configured');
      const http = createHttpClient({
        provider: 'Bluesky', baseUrl: options.baseUrl ?? BLUESKY_BASE_URL, deadline: ctx.deadline,
        timeoutMs: options.timeoutMs, retries: options.retries, backoffMs: options.backoffMs, now: () => now().getTime(),
      });
      const profile = await http.getJson('/xrpc/app.bsky.actor.getProfile', ProfileSchema, { query: { actor: options.handle }, what: 'getProfile' });
      const observations: Observation[] = [
        { metric: 'bluesky.followers', at: ctx.slot, value: profile.followersCount, source: 'bluesky', account: profile.handle },
        { metric: 'bluesky.posts', at: ctx.slot, value: profile.postsCount, source: 'bluesky', account: profile.handle },
      ];
      return { observations, requests: http.requests };
    },
  };
}
