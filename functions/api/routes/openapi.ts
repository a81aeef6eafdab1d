/** GET /openapi.json: the API described from its own routes and schemas (see ../openapi.ts). */
import * as z from '../../domain/zod-mini';
import { openApiDocument } from '../openapi';
import type { Route, RouteDescription } from '../router';

export const API_VERSION = '1.0.0';

/** `routes` is read lazily: the document describes every route, including this one. */
export function openApiRoutes(routes: () => readonly RouteDescription[]): Route[] {
  return [{
    method: 'GET',
    path: '/openapi.json',
    doc: { tag: 'Operations', summary: 'This API as OpenAPI 3.1', description: 'Generated from the same zod schemas that validate requests.', success: { status: 200, description: 'The OpenAPI document', schema: z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }) } },
    async handle(req) {
      const proto = req.headers['x-forwarded-proto'] ?? 'http';
      const host = req.headers.host ?? 'localhost';
      return { status: 200, body: openApiDocument(routes(), `${proto}://${host}`, API_VERSION) };
    },
  }];
}
