/**
 * The MCP tools: each one is an API route, named for an agent. Input and output JSON Schemas are
 * generated from the zod schemas the route itself documents and parses with (route `doc`), and a call
 * goes through that route — so validation, codes and messages are the REST API's, with no second copy.
 */
import * as z from '../domain/zod-mini';
import { ExperimentIdSchema } from '../api/routes/experiments';
import type { Route } from '../api/router';
import { MetricKeySchema } from '../domain/experiment';
import { callableTool, RESEARCH_LOG_URI, type JsonSchema, type ToolTarget, type VerdictTool } from './tool-call';

export { RESEARCH_LOG_URI, type VerdictTool };

export interface ToolSpec {
  name: string;
  /** `METHOD /path/{param}` of the route the tool calls. */
  route: string;
  /** What an agent needs to know to use it well (the route's own doc is appended). */
  description: string;
  readOnly: boolean;
  /** Query parameters of the route the tool does not offer (the tool answers JSON, so it has an output schema). */
  omitQuery?: readonly string[];
}

/** The loop as tools: read what was learned, look at what runs, propose, queue, abandon. */
export const TOOL_SPECS: readonly ToolSpec[] = [
  { name: 'list_metrics', route: 'GET /metrics', readOnly: true, description: 'The metric catalog: every valid primaryMetric key with its unit, kind and description. Call it before proposing an experiment so the primary metric is one Verdict can measure.' },
  { name: 'research_log', route: 'GET /log', readOnly: true, omitQuery: ['format'], description: `The research log: every concluded experiment, newest first, with its effect (relative lift as a fraction: 0.1 = +10 %), decision and reason. Read it before proposing the next hypothesis so you build on what was learned (the resource ${'verdict://research-log'} has the same rows as a markdown table).` },
  { name: 'list_experiments', route: 'GET /experiments', readOnly: true, description: 'List experiments, newest first, optionally by status (backlog, planned, running, concluded, abandoned) or primary metric.' },
  { name: 'get_experiment', route: 'GET /experiments/{id}', readOnly: true, description: 'One experiment. While running it carries `interim`, the progress so far (explicitly not a verdict; `leaning` null = no leaning yet, too few measured days); once concluded, its `verdict`.' },
  { name: 'plan_experiment', route: 'POST /experiments/plan', readOnly: true, description: 'Before proposing or creating an experiment (same arguments as create_experiment; nothing is stored): what its window can detect on this account — the minimum detectable lift at 80 % power, with a decision.minLift the window that tells that lift from no change (windowForMinLift), the window that would detect +50 % (the size a keep needs, above minLift), what 7/14/28/42-day windows could detect — and warnings (no collector, or one without credentials, or no data for the metric; an overlapping experiment; too little history). Tell the user when the window cannot see a realistic lift. Lifts are FRACTIONS (0.5 = +50 %).' },
  { name: 'create_experiment', route: 'POST /experiments', readOnly: false, description: 'Schedule an experiment with a fixed window now: a start and an end or durationDays (7–42). The reply carries `plan` (what the window can detect, with warnings): relay its summary and warnings to the user. Prefer add_to_backlog and let the loop start it when a slot and its metric are free. Units: decision.minLift is a FRACTION (0.1 = +10 %, at most 5 = +500 %); dates are YYYY-MM-DD (00:00 UTC), ISO date-times, today or tomorrow.' },
  { name: 'add_to_backlog', route: 'POST /backlog', readOnly: false, description: 'Queue an idea (hypothesis, primary metric, ICE score, duration); the reply carries `plan`, what its window could detect if started now. The loop starts the highest-ICE item whose metric is not already under test whenever fewer than the target are running. Units: decision.minLift is a FRACTION (0.1 = +10 %, at most 5 = +500 %); durationDays is days (7–42, default 14).' },
  { name: 'rank_backlog', route: 'GET /backlog', readOnly: true, description: 'The backlog in the order the loop starts it (ICE product, then age): which items start at the next run and which are held back because their metric is under test.' },
  { name: 'abandon_experiment', route: 'POST /experiments/{id}/abandon', readOnly: false, description: 'Abandon a backlog, planned or running experiment: the record is kept, it is never scored, and its slot frees up. Give a reason.' },
  { name: 'get_verdict', route: 'GET /experiments/{id}/verdict', readOnly: true, description: 'The verdict of a concluded experiment: keep or discard, the reason, the effect with its 95 % interval, data-quality warnings and a plain-language summary.' },
  { name: 'metric_series', route: 'GET /metrics/{metric}', readOnly: true, description: 'A metric’s daily values over a time range (gaps are null), to see its level, trend and noise before choosing a hypothesis or a minimum lift.' },
  { name: 'todays_assignments', route: 'GET /today', readOnly: true, description: 'What the user does today for each randomized experiment: for a switchback, whether today is a treatment or a control day (by its time zone; washout and skipped days marked); for post variants, the reminder to draw each post\'s arm. Tell the user plainly, e.g. "today is a control day: no noon replies".' },
  { name: 'health', route: 'GET /health', readOnly: true, description: 'Whether collection works: last run and pause state of each source, the scorer’s last run, and running experiments vs the target.' },
];

/** Schemas for path parameters, by name: the same ones the routes parse with. */
const PATH_PARAM_SCHEMAS: Record<string, z.ZodMiniType> = { id: ExperimentIdSchema, metric: MetricKeySchema };

/**
 * The tools over `routes` (the API's ROUTES). Throws when a spec names a route that does not exist, so
 * a renamed route cannot silently drop a tool.
 */
export function verdictTools(routes: readonly Route[], specs: readonly ToolSpec[] = TOOL_SPECS): VerdictTool[] {
  return specs.map((spec) => {
    const [method, path] = spec.route.split(' ');
    const route = routes.find((r) => r.method === method && r.path === path);
    if (!route) throw new Error(`MCP tool ${spec.name}: no API route ${spec.route}`);
    return toolFor(spec, route);
  });
}

function toolFor(spec: ToolSpec, route: Route): VerdictTool {
  const paramNames = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const querySchema = route.doc?.query ? withoutProperties(jsonSchemaOf(route.doc.query, 'input'), spec.omitQuery ?? []) : undefined;
  const queryNames = Object.keys(querySchema?.properties ?? {});
  const bodySchema = route.doc?.body ? jsonSchemaOf(route.doc.body, 'input') : undefined;

  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const name of paramNames) {
    const schema = jsonSchemaOf(PATH_PARAM_SCHEMAS[name] ?? z.string().check(z.minLength(1)), 'input');
    const description = route.doc?.params?.[name];
    properties[name] = { ...schema, ...(description && { description }) };
    required.push(name);
  }
  // Shared sub-schemas (a zod schema registered with an id) travel with the properties that $ref them.
  const definitions: Record<string, unknown> = {};
  for (const part of [querySchema, bodySchema]) {
    if (!part) continue;
    Object.assign(properties, part.properties);
    Object.assign(definitions, part.definitions);
    required.push(...(part.required ?? []));
  }
  const inputSchema = {
    type: 'object' as const, properties, ...(required.length > 0 && { required }), additionalProperties: false,
    ...(Object.keys(definitions).length > 0 && { definitions }),
  };
  const success = route.doc?.success.schema ? jsonSchemaOf(route.doc.success.schema, 'output') : undefined;
  const docText = [route.doc?.summary, route.doc?.description].filter(Boolean).join('. ');

  const target: ToolTarget = { method: route.method, path: route.path, params: paramNames, query: queryNames, body: route.doc?.body !== undefined };

  return callableTool({
    name: spec.name,
    description: `${spec.description}${docText ? `\n\nAPI: ${route.method} ${route.path} — ${docText}` : ''}`,
    inputSchema,
    ...(success?.type === 'object' && { outputSchema: relaxed(success) as JsonSchema & { type: 'object' } }),
    annotations: { readOnlyHint: spec.readOnly, destructiveHint: spec.name === 'abandon_experiment', idempotentHint: spec.readOnly, openWorldHint: false },
    target,
  });
}

function withoutProperties(schema: JsonSchema, names: readonly string[]): JsonSchema {
  if (names.length === 0) return schema;
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => !names.includes(k)));
  const required = (schema.required ?? []).filter((k) => !names.includes(k));
  return { ...schema, properties, ...(schema.required && { required }) };
}

function jsonSchemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-7', unrepresentable: 'any' }) as JsonSchema;
  void $schema;
  return singleTypes(rest) as JsonSchema;
}

/**
 * Portable spellings: `type: ["number", "null"]` → `anyOf: [{ type: "number" }, { type: "null" }]`: the same schema in the
 * spelling every MCP client maps (some map tool schemas onto a one-type-per-schema dialect; the MCP
 * inspector's portability check flags type arrays).
 */
/** `additionalProperties: {}` says "anything" in the spelling linters flag as a forgotten constraint; `true` says it on purpose. */
function isEmptySchema(key: string, value: unknown): boolean {
  return key === 'additionalProperties' && !!value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}

function singleTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(singleTypes);
  if (!schema || typeof schema !== 'object') return schema;
  const entries = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'type' ? v : isEmptySchema(k, v) ? true : singleTypes(v)]));
  if (!Array.isArray(entries.type)) return entries;
  const { type, ...rest } = entries as { type: string[] } & Record<string, unknown>;
  const oneOfTypes = type.map((t) => ({ type: t }));
  return rest.anyOf ? { ...rest, allOf: [{ anyOf: oneOfTypes }] } : { ...rest, anyOf: oneOfTypes };
}

/** Output schemas tolerate fields added later: a newer API must not make an older client reject results. */
function relaxed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(relaxed);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).filter(([k, v]) => !(k === 'additionalProperties' && v === false)).map(([k, v]) => [k, relaxed(v)]));
}
