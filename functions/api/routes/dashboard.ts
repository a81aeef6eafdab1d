/**
 * The dashboard: GET / (the page) and GET /assets/{file} (its bundled script and stylesheet). Public —
 * they hold no data and no secrets; the page asks for the token and calls the authenticated API.
 * A strict CSP allows only this origin: no inline code, no CDN, no external fonts.
 */
import { dashboardAssets } from '../../dashboard/assets';
import { NotFoundError } from '../../shared/errors';
import type { ApiResponse } from '../http';
import type { Route } from '../router';

export const DASHBOARD_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "object-src 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** The page, with the headers that pin it to this origin. */
export async function dashboardPage(): Promise<ApiResponse> {
  const assets = await dashboardAssets();
  return {
    status: 200,
    body: assets['index.html'],
    contentType: 'text/html; charset=utf-8',
    headers: { 'content-security-policy': DASHBOARD_CSP, 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' },
  };
}

/** One content-hashed script or stylesheet the page links, or a NotFoundError. */
export async function dashboardAsset(file: string): Promise<ApiResponse> {
  const assets = await dashboardAssets();
  const text = Object.hasOwn(assets.files, file) ? assets.files[file] : undefined;
  const type = CONTENT_TYPES[file.split('.').pop() ?? ''];
  if (text === undefined || !type) throw new NotFoundError(`No dashboard asset ${file}`);
  // Names carry a content hash, so a browser may keep them for good.
  return { status: 200, body: text, contentType: type, headers: { 'cache-control': 'public, max-age=31536000, immutable' } };
}

/** Served by the dashboard function in AWS (route-table.ts), by the API handler locally and in tests. */
export const dashboardRoutes: Route[] = [
  {
    method: 'GET',
    path: '/',
    doc: { tag: 'Dashboard', summary: 'The dashboard page', description: 'HTML; asks for the API token and keeps it in session storage.', success: { status: 200, description: 'The page', contentTypes: ['text/html'] } },
    handle: () => dashboardPage(),
  },
  {
    method: 'GET',
    path: '/assets/{file}',
    doc: {
      tag: 'Dashboard', summary: 'A dashboard script or stylesheet', description: 'Public. The content-hashed script or stylesheet the page links; a browser may cache it for a year.', params: { file: 'Content-hashed file name, as the page links it' },
      success: { status: 200, description: 'JavaScript or CSS', contentTypes: ['text/javascript', 'text/css'] }, errors: { 404: 'No such asset' },
    },
    handle: (req) => dashboardAsset(req.params.file),
  },
];
