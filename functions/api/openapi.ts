/**
 * The OpenAPI 3.1 document, generated from the routes themselves: request bodies and query parameters
 * are the zod schemas the routes parse with (z.toJSONSchema, input side), so the description cannot
 * drift from what is validated.
 */
import * as z from 'zod';
import { ErrorEnvelopeSchema } from './error-response';
import type { RouteDescription } from './router';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_REF } } });

function operationId(route: RouteDescription): string {
  const words = route.path.split('/').filter(Boolean).map((p) => p.replace(/[{}]/g, '').replace(/\.json$/, 'Json'));
  return [route.method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('').replace(/[^A-Za-z0-9]/g, '');
}

function parameters(route: RouteDescription): JsonSchema[] {
  const params: JsonSchema[] = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name, in: 'path', required: true, schema: { type: 'string' }, ...(route.doc?.params?.[name] && { description: route.doc.params[name] }),
  }));
  if (route.doc?.query) {
    const q = jsonSchema(route.doc.query, 'input');
    const required = new Set((q.required as string[] | undefined) ?? []);
    for (const [name, raw] of Object.entries((q.properties as Record<string, JsonSchema> | undefined) ?? {})) {
      const { description, ...schema } = raw;
      params.push({ name, in: 'query', required: required.has(name), schema, ...(typeof description === 'string' && { description }) });
    }
  }
  if (route.method === 'POST') {
    params.push({
      name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 },
      description: 'Any unique string (a UUID): a retry with the same key and body returns the first response (header idempotent-replayed: true) instead of acting twice. Remembered for 24 h.',
    });
  }
  return params;
}

/** Builds the document for `routes`; `serverUrl` is where this API is reachable. */
export function openApiDocument(routes: readonly RouteDescription[], serverUrl: string, version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const doc = route.doc;
    const success = doc?.success ?? { status: 200, description: 'OK' };
    const contentTypes = success.contentTypes ?? ['application/json'];
    const successContent = success.status === 204 ? undefined : Object.fromEntries(contentTypes.map((t) => [
      t, { schema: t === 'application/json' && success.schema ? jsonSchema(success.schema, 'output') : t === 'application/json' ? { type: 'object' } : { type: 'string' } },
    ]));
    const operation: JsonSchema = {
      operationId: operationId(route),
      summary: doc?.summary ?? `${route.method} ${route.path}`,
      ...(doc?.description && { description: doc.description }),
      tags: [doc?.tag ?? 'Other'],
      ...(route.public && { security: [] }),
      parameters: parameters(route),
      ...(doc?.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body, 'input') } } } }),
      responses: {
        [String(success.status)]: { description: success.description, ...(successContent && { content: successContent }) },
        400: errorResponse('Invalid input: details.issues lists every bad field as { path, message }'),
        ...(!route.public && { 401: { description: 'Missing or wrong token (answered by the gateway: { "message": "Unauthorized" })' } }),
        ...Object.fromEntries(Object.entries(doc?.errors ?? {}).map(([status, why]) => [status, errorResponse(why as string)])),
        500: errorResponse('Something failed on our side; requestId finds it in the logs'),
      },
    };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Verdict API',
      version,
      description: 'Marketing experiments on autopilot: hypothesis, fixed window, one metric, keep or discard. Every route needs `Authorization: Bearer <token>`. Errors share one envelope: { error: { code, message, details?, requestId } }.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'The API token (`verdict start` prints the local one; in AWS it is in Secrets Manager)' } },
      schemas: { Error: jsonSchema(ErrorEnvelopeSchema, 'output') },
    },
    paths,
  };
}
