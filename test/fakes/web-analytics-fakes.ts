/**
 * Fake Plausible Stats API v2 (`POST /api/v2/query`: positional `results[].dimensions/metrics`, empty
 * days omitted, `{ "error": … }` bodies, the documented 429 text) and fake Umami API (`GET
 * /websites/:id/pageviews` → `{ pageviews: [{x,y}], sessions: [{x,y}] }` with `x` = "YYYY-MM-DD 00:00:00",
 * `POST /auth/login` → `{ token, user }`, v3 `{ error: { message, code, status } }` bodies).
 * Shapes follow ../../../shared/api-contracts.md §3 and §4.
 */
import type { FakeResponse, FakeServer, RecordedRequest } from './fake-http-server';

/** Visitors per day, all and AI-referred (by referrer domain), per site. */
export interface TrafficFixture { [site: string]: { [day: string]: { visitors: number; ai?: Record<string, number> } } }

export const PLAUSIBLE_RATE_LIMIT: FakeResponse = { status: 429, body: { error: 'Too many API requests. Your API key is limited to 600 requests per hour. Please contact us to request more capacity.' } };
export const PLAUSIBLE_PAYMENT_REQUIRED: FakeResponse = { status: 402, body: { error: 'The account that owns this API key does not have access to Stats API.' } };

interface PlausibleQuery { site_id: string; date_range: [string, string]; metrics: string[]; dimensions?: string[]; filters?: unknown[] }

/** The AI domains a query's filter names (the `contains visit:referrer` clause), or undefined when unfiltered. */
function aiDomainsOf(filters: unknown[] | undefined): string[] | undefined {
  if (!filters) return undefined;
  const text = JSON.stringify(filters);
  const m = /\["contains","visit:referrer",(\[[^\]]*\])\]/.exec(text);
  return m ? (JSON.parse(m[1]) as string[]) : [];
}

export function installPlausibleFake(server: FakeServer, traffic: TrafficFixture, apiKey = 'plausible-key'): FakeServer {
  server.clear();
  server.route('POST', '/api/v2/query', (req: RecordedRequest): FakeResponse => {
    if (req.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, body: { error: 'Invalid API key or site ID. Please make sure you\'re using a valid API key with access to the site you\'ve requested.' } };
    const q = req.json as PlausibleQuery;
    const site = traffic[q.site_id];
    if (!site) return { status: 401, body: { error: 'Invalid API key or site ID.' } };
    const ai = aiDomainsOf(q.filters);
    const [from, to] = q.date_range;
    const results = Object.entries(site)
      .filter(([day]) => day >= from && day <= to)
      .map(([day, v]) => ({ dimensions: [day], metrics: [ai ? ai.reduce((n, d) => n + (v.ai?.[d] ?? 0), 0) : v.visitors] }))
      .filter((r) => r.metrics[0] > 0) // empty buckets are omitted
      .sort((a, b) => a.dimensions[0].localeCompare(b.dimensions[0]));
    return { body: { results, meta: {}, query: { ...q, date_range: [`${from}T00:00:00+00:00`, `${to}T23:59:59+00:00`], order_by: [['time:day', 'asc']], include: {} } } };
  });
  return server;
}

export const UMAMI_UNAUTHORIZED: FakeResponse = { status: 401, body: { error: { message: 'Unauthorized', code: 'unauthorized', status: 401 } } };

/** websites: Umami website id → site name in `traffic`. */
export function installUmamiFake(server: FakeServer, traffic: TrafficFixture, websites: Record<string, string>, auth: { apiKey?: string; username?: string; password?: string } = { apiKey: 'umami-key' }): FakeServer {
  server.clear();
  const token = 'umami-session-token';
  server.route('POST', '/auth/login', (req): FakeResponse => {
    const body = req.json as { username?: string; password?: string };
    return body.username === auth.username && body.password === auth.password
      ? { body: { token, user: { id: 'u1', username: body.username, role: 'admin', isAdmin: true } } }
      : { status: 401, body: { error: { message: 'Incorrect username and/or password.', code: 'unauthorized', status: 401 } } };
  });
  server.route('GET', '/websites/:id/pageviews', (req): FakeResponse => {
    const authorized = (auth.apiKey && req.headers['x-umami-api-key'] === auth.apiKey) || req.headers.authorization === `Bearer ${token}`;
    if (!authorized) return UMAMI_UNAUTHORIZED;
    const site = traffic[websites[req.params.id] ?? ''];
    if (!site) return { status: 404, body: { error: { message: 'Not found', code: 'not-found', status: 404 } } };
    const startAt = Number(req.query.get('startAt'));
    const endAt = Number(req.query.get('endAt'));
    const referrer = req.query.get('referrer');
    const days = Object.entries(site).filter(([day]) => Date.parse(`${day}T00:00:00Z`) >= startAt && Date.parse(`${day}T00:00:00Z`) <= endAt).sort();
    const sessions = days.map(([day, v]) => ({ x: `${day} 00:00:00`, y: referrer ? v.ai?.[referrer] ?? 0 : v.visitors })).filter((p) => p.y > 0);
    return { body: { pageviews: sessions.map((p) => ({ x: p.x, y: p.y * 3 })), sessions } };
  });
  return server;
}

/** Two days of traffic on one site, some of it from ChatGPT and Perplexity. */
export function aSiteTraffic(site = 'verdict.dev'): TrafficFixture {
  return { [site]: { '2026-03-01': { visitors: 120, ai: { 'chatgpt.com': 6, 'perplexity.ai': 2 } }, '2026-03-02': { visitors: 95, ai: { 'claude.ai': 1 } } } };
}
