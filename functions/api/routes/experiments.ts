/** /experiments routes: create, list, show, verdict. */
import { z } from 'zod';
import { CreateExperimentSchema, EXPERIMENT_STATUSES, newExperiment } from '../../domain/experiment';
import { NotFoundError, parseOrThrow } from '../../shared/errors';
import { jsonBody } from '../http';
import type { Route } from '../router';

const ListQuerySchema = z.strictObject({
  status: z.enum(EXPERIMENT_STATUSES).optional(),
  metric: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).max(2000).optional(),
});

const IdSchema = z.string().regex(/^exp_[a-z0-9]{1,40}$/, 'not an experiment id');

export const experimentRoutes: Route[] = [
  {
    method: 'POST',
    path: '/experiments',
    async handle(req, s) {
      const input = parseOrThrow(CreateExperimentSchema, jsonBody(req), 'experiment');
      const experiment = await s.experiments.create(newExperiment(input, s.newId(), s.now()));
      return { status: 201, body: experiment, headers: { location: `/experiments/${experiment.id}` } };
    },
  },
  {
    method: 'GET',
    path: '/experiments',
    async handle(req, s) {
      const q = parseOrThrow(ListQuerySchema, req.query, 'query');
      const page = await s.experiments.list({ status: q.status, limit: q.limit, cursor: q.cursor });
      const items = q.metric ? page.items.filter((e) => e.primaryMetric === q.metric) : page.items;
      return { status: 200, body: { items, ...(page.nextCursor && { nextCursor: page.nextCursor }) } };
    },
  },
  {
    method: 'GET',
    path: '/experiments/{id}',
    async handle(req, s) {
      const experiment = await s.experiments.get(parseOrThrow(IdSchema, req.params.id, 'experiment id'));
      if (!experiment) throw new NotFoundError(`No experiment ${req.params.id}`);
      return { status: 200, body: experiment };
    },
  },
  {
    method: 'GET',
    path: '/experiments/{id}/verdict',
    async handle(req, s) {
      const id = parseOrThrow(IdSchema, req.params.id, 'experiment id');
      const verdict = await s.experiments.getVerdict(id);
      if (!verdict) {
        const exists = await s.experiments.get(id);
        throw new NotFoundError(exists ? `Experiment ${id} has no verdict yet (status: ${exists.status})` : `No experiment ${id}`);
      }
      return { status: 200, body: verdict };
    },
  },
];
