/**
 * /backlog: the ideas the loop starts from. POST adds one; GET shows them in the order the scheduler
 * starts them (ICE product, then age), which ones start at its next run and which are held back
 * because their metric is already under test.
 */
import * as z from '../../domain/zod-mini';
import { BacklogItemSchema, ExperimentRecordSchema, newBacklogItem } from '../../domain/experiment';
import { BACKLOG_CONSIDERED, BACKLOG_COUNT_CAP, planLoop, plannedHorizon } from '../../domain/loop';
import { parseOrThrow } from '../../shared/errors';
import { nextSlotAfter } from '../../shared/schedules';
import { jsonBody } from '../http';
import type { Route } from '../router';
import { designDefaults } from '../services';
import { createOnce } from '../experiment-changes';
import { planOrNothing } from './experiment-plans';

export const backlogRoutes: Route[] = [
  {
    method: 'POST',
    path: '/backlog',
    doc: {
      tag: 'Backlog', summary: 'Add an idea to the backlog',
      description: 'No window yet: when fewer than the target are running, the scheduler starts the highest-ICE item whose primary metric is not under test, with start = now and this duration (default 14 days). The item carries `plan`: what its window could detect if started now. Idempotency-Key supported.',
      body: BacklogItemSchema, success: { status: 201, description: 'The backlog item', schema: ExperimentRecordSchema },
      errors: { 422: 'Idempotency-Key reused for a different request' },
    },
    keyedByIdempotency: true,
    async handle(req, s) {
      const input = parseOrThrow(BacklogItemSchema, jsonBody(req), 'backlog item');
      // The plan as if started now (it is computed again when the item starts).
      const plan = await planOrNothing({ primaryMetric: input.primaryMetric, durationDays: input.durationDays, ...(input.decision && { decision: input.decision }) }, s);
      const { experiment: item } = await createOnce(req, s, (id) => ({ ...newBacklogItem(input, id, s.now(), designDefaults(s)), ...(plan && { plan }) }));
      return { status: 201, body: item, headers: { location: `/experiments/${item.id}` } };
    },
  },
  {
    method: 'GET',
    path: '/backlog',
    doc: {
      tag: 'Backlog', summary: 'The backlog in start order',
      description: `The first ${BACKLOG_CONSIDERED} items in start order (the ones the loop considers), each with its rank, ICE product (impact × confidence × ease), whether the next scheduler run starts it and, if held back, the experiment already testing its metric. \`total\` counts the whole backlog (up to ${BACKLOG_COUNT_CAP}; \`totalCapped\` when there are more); GET /experiments?status=backlog pages through all of it in the same order. \`loop\` summarises running vs target.`,
      success: {
        status: 200, description: '{ items, total, totalCapped, loop }',
        schema: z.object({
          items: z.array(z.object({
            rank: z.number().check(z.int()), ice: z.nullable(z.number()), startsNext: z.boolean(),
            blockedBy: z.optional(z.object({ experimentId: z.string(), name: z.string(), metric: z.string(), until: z.optional(z.string()) })),
            experiment: ExperimentRecordSchema,
          })),
          total: z.number().check(z.int()), totalCapped: z.boolean(),
          loop: z.object({ running: z.number().check(z.int()), target: z.number().check(z.int()), state: z.enum(['full', 'backlog_empty', 'ready', 'blocked']), message: z.string(), nextRun: z.described(z.nullable(z.string()), 'The next scheduler run; null when nothing runs on a schedule (--no-schedule)') }),
        }),
      },
    },
    async handle(_req, s) {
      const now = s.now();
      const [backlog, running, planned] = await Promise.all([
        s.experiments.backlogTop(BACKLOG_CONSIDERED), s.experiments.listAll('running'), s.experiments.listEndingBefore('planned', plannedHorizon(now)),
      ]);
      const total = backlog.length < BACKLOG_CONSIDERED ? { count: backlog.length, capped: false } : await s.experiments.countInStatus('backlog', BACKLOG_COUNT_CAP);
      const scheduled = s.schedulesRun !== false;
      const plan = planLoop({ backlog, scheduled: [...running, ...planned], target: s.config.loop.targetActive, now, schedulesRun: scheduled });
      return {
        status: 200,
        body: {
          items: plan.ranked.map((r) => ({ rank: r.rank, ice: r.ice, startsNext: r.startsNow, ...(r.blockedBy && { blockedBy: r.blockedBy }), experiment: r.experiment })),
          total: total.count, totalCapped: total.capped,
          loop: { running: plan.running, target: plan.target, state: plan.state, message: plan.message, nextRun: scheduled ? nextSlotAfter(now, s.config.scorer).toISOString() : null },
        },
      };
    },
  },
];
