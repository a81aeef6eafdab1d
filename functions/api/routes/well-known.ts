/**
 * GET /.well-known/…: what an MCP client (or any OAuth-aware client) finds when it looks for OAuth
 * metadata after a 401 — a public 404 saying the API takes a static bearer token. Behind the
 * authorizer these paths answered 401 too, which told the MCP inspector to start an OAuth flow that can
 * never succeed; a 404 is how a bearer-token server says "no OAuth here" (RFC 9728 / RFC 8414 discovery).
 */
import { NotFoundError } from '../../shared/errors';
import type { Route } from '../router';

const NO_OAUTH = 'No OAuth here: this API takes a static bearer token (Authorization: Bearer <token>; `verdict start` prints the local one, Secrets Manager holds the deployed one)';

const doc = {
  tag: 'Operations',
  summary: 'No OAuth metadata (a static bearer token)',
  description: 'Public. Always 404 not_found: there is no OAuth protected-resource or authorization-server metadata, because every route takes the same static bearer token. MCP clients read the 404 as "use the token you were given".',
  params: { document: 'e.g. oauth-protected-resource, oauth-authorization-server, openid-configuration', resource: 'The resource path a client appends (mcp)' },
  success: { status: 404, description: 'not_found, naming the bearer token' },
} as const;

async function noOAuth(): Promise<never> {
  throw new NotFoundError(NO_OAUTH);
}

export const wellKnownRoutes: Route[] = [
  { method: 'GET', path: '/.well-known/{document}', doc, handle: noOAuth },
  { method: 'GET', path: '/.well-known/{document}/{resource}', doc, handle: noOAuth },
];
