/**
 * The OpenAPI 3.1 document, generated from the routes themselves: request bodies and query parameters
 * are the zod schemas the routes parse with (z.toJSONSchema, input side), so the description cannot
 * drift from what is validated.
 */
import * as z from '../domain/zod-mini';
import { ErrorEnvelopeSchema } from './error-response';
import type { RouteDescription } from './router';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return io === 'output' ? (withoutClosedObjects(out) as JsonSchema) : out;
}

/**
 * Response schemas name what a client may rely on; they do not forbid fields added later (a newer
 * server must not make a generated client reject a response), so `additionalProperties: false` goes.
 */
function withoutClosedObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutClosedObjects);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).filter(([k, v]) => !(k === 'additionalProperties' && v === false)).map(([k, v]) => [k, withoutClosedObjects(v)]));
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_REF } } });

/** What API Gateway itself answers for a token it rejects in AWS (HTTP APIs cannot reshape it). */
const GatewayErrorSchema = z.object({ message: z.described(z.string(), '"Unauthorized" (no token) or "Forbidden" (wrong token)') });
const AUTH_RESPONSES = {
  401: {
    description: 'Missing or wrong token. The local server answers the error envelope (code unauthorized); in AWS, API Gateway answers a missing token itself with { "message": "Unauthorized" } — the one documented exception to the envelope.',
    headers: { 'WWW-Authenticate': { description: 'Bearer (a static token: no OAuth)', schema: { type: 'string' } } },
    content: { 'application/json': { schema: { oneOf: [ERROR_REF, { $ref: '#/components/schemas/GatewayError' }] } } },
  },
  403: {
    description: 'AWS only: API Gateway answers a wrong token itself with { "message": "Forbidden" }',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } },
  },
};

/** Every status a route answers: its success, its own errors and those that follow from its method and auth. */
function responses(route: RouteDescription): JsonSchema {
  const doc = route.doc;
  const success = doc?.success ?? { status: 200, description: 'OK' };
  const contentTypes = success.contentTypes ?? ['application/json'];
  const successContent = success.status === 204 ? undefined : Object.fromEntries(contentTypes.map((t) => [
    t, { schema: t === 'application/json' ? (success.schema ? jsonSchema(success.schema, 'output') : { type: 'object' }) : { type: 'string' } },
  ]));
  const successResponse = success.status >= 400
    ? errorResponse(success.description)
    : { description: success.description, ...(successContent && { content: successContent }) };
  const takesBody = route.method !== 'GET' && route.method !== 'DELETE';
  return {
    [String(success.status)]: successResponse,
    400: errorResponse('Invalid input (validation_failed): details.issues lists every bad field as { path, message }; unknown query parameters and body fields are rejected too'),
    ...(!route.public && AUTH_RESPONSES),
    ...(route.method === 'POST' && {
      409: errorResponse('conflict: with an Idempotency-Key, details.reason idempotency_in_progress means the first request with this key is still being served (retry in a moment)'),
      422: errorResponse('idempotency_key_reused: this Idempotency-Key was used for a different request'),
    }),
    ...(takesBody && { 413: errorResponse('payload_too_large: the body is over 10 MB (the local server stops reading there)') }),
    ...Object.fromEntries(Object.entries(doc?.errors ?? {}).map(([status, why]) => [status, errorResponse(why as string)])),
    500: errorResponse('internal_error: something failed on our side; requestId finds it in the logs'),
    ...Object.fromEntries(Object.entries(doc?.responses ?? {}).map(([status, r]) => [status, {
      description: r.description, ...(r.schema && { content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } } }),
    }])),
  };
}

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
    const operation: JsonSchema = {
      operationId: operationId(route),
      summary: doc?.summary ?? `${route.method} ${route.path}`,
      description: doc?.description ?? doc?.summary ?? `${route.method} ${route.path}`,
      tags: [doc?.tag ?? 'Other'],
      ...(route.public && { security: [] }),
      parameters: parameters(route),
      ...(doc?.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body, 'input') } } } }),
      responses: responses(route),
    };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Verdict API',
      version,
      description: 'Marketing experiments on autopilot: hypothesis, fixed window, one metric, keep or discard. Every route needs `Authorization: Bearer <token>` (a static token: there is no OAuth). Errors share one envelope: { error: { code, message, details?, requestId } } — the one exception is API Gateway\'s own answer to a rejected token in AWS (see 401/403). A method a path does not offer is a 405 (method_not_allowed, naming the allowed ones) from the local server and a 404 from API Gateway. Relative lifts are fractions everywhere (0.1 = +10 %).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'The API token (`verdict start` prints the local one; in AWS it is in Secrets Manager)' } },
      schemas: { Error: jsonSchema(ErrorEnvelopeSchema, 'output'), GatewayError: jsonSchema(GatewayErrorSchema, 'output') },
    },
    paths,
  };
}
