/**
 * /experiments routes that need neither the planner nor the scorer: list, delete, extend, abandon, and
 * the recorded verdicts. Status changes go through ../experiment-changes (lifecycle rules, conditional writes).
 */
import * as z from '../../domain/zod-mini';
import { AbandonExperimentSchema, EXPERIMENT_STATUSES, ExperimentRecordSchema, ExtendExperimentSchema, MetricKeySchema, abandonExperiment, checkDeletable, extendExperiment, TRANSITIONS } from '../../domain/experiment';
import { VerdictSchema } from '../../domain/verdict-schema';
import { ConflictError, NotFoundError, parseOrThrow } from '../../shared/errors';
import { VERDICT_HISTORY_MAX } from '../../store/experiment-store';
import { change, ExperimentIdSchema, ID_PARAM, loadExperiment } from '../experiment-changes';
import { jsonBody } from '../http';
import type { Route } from '../router';

/** Re-exported for the MCP tools, which name experiments the way these routes parse them. */
export { ExperimentIdSchema } from '../experiment-changes';

export const ListQuerySchema = z.strictObject({
  status: z.described(z.optional(z.enum(EXPERIMENT_STATUSES)), 'Only experiments in this status'),
  metric: z.described(z.optional(MetricKeySchema), 'Only experiments on this primary metric (a base key also matches its `:engine` variants)'),
  limit: z.described(z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(200))), 'Page size (default 50)'),
  cursor: z.described(z.optional(z.string().check(z.minLength(1), z.maxLength(2000))), 'nextCursor from the previous page'),
});

export const experimentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/experiments',
    doc: {
      tag: 'Experiments', summary: 'List experiments, newest first',
      description: 'Filter by status and primary metric. Pages hold `limit` items; pass `nextCursor` back as `cursor` for the next page (absent on the last page).',
      query: ListQuerySchema,
      success: { status: 200, description: '{ items, nextCursor? }', schema: z.object({ items: z.array(ExperimentRecordSchema), nextCursor: z.optional(z.string()) }) },
    },
    async handle(req, s) {
      const q = parseOrThrow(ListQuerySchema, req.query, 'query');
      const page = await s.experiments.list({ status: q.status, metric: q.metric, limit: q.limit, cursor: q.cursor });
      return { status: 200, body: { items: page.items, ...(page.nextCursor && { nextCursor: page.nextCursor }) } };
    },
  },
  {
    method: 'DELETE',
    path: '/experiments/{id}',
    doc: {
      tag: 'Experiments', summary: 'Delete an experiment that never started',
      description: 'Only backlog and planned experiments can be deleted; running ones are abandoned instead, and concluded ones stay in the research log.',
      params: ID_PARAM, success: { status: 204, description: 'Deleted' },
      errors: { 404: 'No such experiment', 409: 'It has started (the message says what to do instead)' },
    },
    async handle(req, s) {
      const current = await loadExperiment(req, s);
      const check = checkDeletable(current);
      if (!check.ok) throw new ConflictError(check.reason, { status: current.status, allowedTransitions: TRANSITIONS[current.status] });
      if (!(await s.experiments.delete(current.id, ['backlog', 'planned']))) throw new NotFoundError(`No experiment ${current.id}`);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/experiments/{id}/extend',
    doc: {
      tag: 'Experiments', summary: 'Lengthen a window before it ends',
      description: 'Adds `days` to a planned or running window (up to 84 days in all), recorded in `extensions`. Each extension raises the bar the verdict needs to 1 − (1 − confidence)/(extensions + 1) — a Bonferroni bound over the ends the verdict could have been taken at — so extending after a promising peek does not raise the false-keep rate. A switchback\'s added days get their own random schedule (`switchback.stretches`: drawn from a seed derived from the stored one; the days already scheduled stay as they were). After a verdict, create a follow-up instead (verdict rerun).',
      params: ID_PARAM, body: ExtendExperimentSchema, success: { status: 200, description: 'The extended experiment', schema: ExperimentRecordSchema },
      errors: { 404: 'No such experiment', 409: 'Not planned or running, or its window has ended' },
    },
    async handle(req, s) {
      const input = parseOrThrow(ExtendExperimentSchema, jsonBody(req) ?? {}, 'extend');
      return { status: 200, body: await change(req, s, (current) => extendExperiment(current, input.days, s.now())) };
    },
  },
  {
    method: 'POST',
    path: '/experiments/{id}/abandon',
    doc: {
      tag: 'Experiments', summary: 'Abandon an experiment',
      description: 'Keeps the record with status abandoned; it is never scored and frees its slot in the loop. Not possible once the window has ended (the verdict is due).',
      params: ID_PARAM, body: AbandonExperimentSchema, success: { status: 200, description: 'The abandoned experiment', schema: ExperimentRecordSchema },
      errors: { 404: 'No such experiment', 409: 'Already concluded or abandoned, or the window has ended' },
    },
    async handle(req, s) {
      const input = parseOrThrow(AbandonExperimentSchema, jsonBody(req) ?? {}, 'abandon');
      return { status: 200, body: await change(req, s, (current) => abandonExperiment(current, s.now(), input.reason)) };
    },
  },
  {
    method: 'GET',
    path: '/experiments/{id}/verdict',
    doc: {
      tag: 'Verdicts', summary: 'The current verdict', params: ID_PARAM,
      description: 'The verdict recorded when the window ended (or the latest explicit rescore): decision, reason, effect with 95 % intervals (relative figures are fractions), data quality, warnings and a plain-language summary.',
      success: { status: 200, description: 'The verdict', schema: VerdictSchema },
      errors: { 404: 'No such experiment, or not scored yet' },
    },
    async handle(req, s) {
      const id = parseOrThrow(ExperimentIdSchema, req.params.id, 'experiment id');
      const verdict = await s.experiments.getVerdict(id);
      if (!verdict) {
        const exists = await s.experiments.get(id);
        throw new NotFoundError(exists ? `Experiment ${id} has no verdict yet (status: ${exists.status})` : `No experiment ${id}`);
      }
      return { status: 200, body: verdict };
    },
  },
  {
    method: 'GET',
    path: '/experiments/{id}/verdicts',
    doc: {
      tag: 'Verdicts', summary: 'Every verdict recorded, newest first', description: `The first verdict and every explicit rescore — the ${VERDICT_HISTORY_MAX} newest; \`truncated\` when older ones exist.`,
      params: ID_PARAM, success: { status: 200, description: '{ items: Verdict[], truncated? }', schema: z.object({ items: z.array(VerdictSchema), truncated: z.optional(z.boolean()) }) }, errors: { 404: 'No such experiment' },
    },
    async handle(req, s) {
      const experiment = await loadExperiment(req, s);
      const history = await s.experiments.verdictHistory(experiment.id);
      return { status: 200, body: { items: [...history], ...(history.truncated && { truncated: true }) } };
    },
  },
];
