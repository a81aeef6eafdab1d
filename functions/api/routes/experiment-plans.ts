/**
 * /experiments routes that run the planner (what a window can detect, from the metric's history): plan,
 * create, change (PATCH re-plans when the plan's inputs change) and start. The backlog's create plans too
 * (./backlog).
 */
import {
  type CreateExperiment, CreateExperimentSchema, ExperimentRecordSchema, StartExperimentSchema, UpdateExperimentSchema, newExperiment, startExperiment, updateExperiment,
} from '../../domain/experiment';
import { StoredPlanSchema, type StoredPlan } from '../../domain/planning/stored-plan';
import { planFor, type PlanRequest, planRequestOfExperiment } from '../../jobs/plan-experiment';
import { experimentStarted } from '../../shared/events';
import { errorMessage, parseOrThrow } from '../../shared/errors';
import { change, createOnce, ID_PARAM, loadExperiment, scheduledNowFor } from '../experiment-changes';
import { jsonBody } from '../http';
import type { Route } from '../router';
import { designDefaults, type ResolvedApiServices } from '../services';

const DAY_MS = 86_400_000;
/** Fields of a PATCH the plan depends on. */
const PLAN_FIELDS = ['primaryMetric', 'decision', 'baseline', 'start', 'end', 'durationDays'] as const;

/** What the planner needs from a create body. */
/** `timeZone`: the one a switchback's days will be counted in when the request names none (the digest's). */
export function planRequestOf(input: CreateExperiment, id?: string, timeZone?: string): PlanRequest {
  const durationDays = input.durationDays ?? Math.round((Date.parse(input.end!) - Date.parse(input.start)) / DAY_MS);
  const zone = input.switchback?.timeZone ?? timeZone;
  return {
    ...(id && { id }), primaryMetric: input.primaryMetric, start: input.start, durationDays,
    ...(input.baseline && { baseline: input.baseline }), ...(input.decision && { decision: input.decision }),
    ...(input.design === 'switchback' && {
      switchback: { blockDays: input.switchback?.blockDays ?? 1, washoutDays: input.switchback?.washoutDays ?? 0, ...(zone && { timeZone: zone }) },
    }),
  };
}

/**
 * The plan stored with an experiment. A plan that cannot be computed (a store hiccup) never blocks the
 * create or the start: it is logged and the experiment is stored without one.
 */
export async function planOrNothing(request: PlanRequest, s: ResolvedApiServices): Promise<StoredPlan | undefined> {
  try {
    return await planFor(request, s.now(), s);
  } catch (err) {
    s.log.warn('plan failed', { metric: request.primaryMetric, error: errorMessage(err) });
    return undefined;
  }
}


export const experimentPlanRoutes: Route[] = [
  {
    method: 'POST',
    path: '/experiments/plan',
    doc: {
      tag: 'Experiments', summary: 'Plan an experiment without creating it',
      description: 'Same body as POST /experiments; nothing is stored. From the metric\'s own history: the minimum detectable lift at 80 % power for this window and baseline, the window needed for +50 % (or 2 × minLift), what 7-, 14-, 28- and 42-day windows could detect, and warnings (no collector or no data for the metric, another experiment on it in the window, too little history for the baseline).',
      body: CreateExperimentSchema, success: { status: 200, description: 'The plan', schema: StoredPlanSchema },
    },
    async handle(req, s) {
      const input = parseOrThrow(CreateExperimentSchema, jsonBody(req), 'experiment');
      return { status: 200, body: await planFor(planRequestOf(input, undefined, designDefaults(s).timeZone), s.now(), s) };
    },
  },
  {
    method: 'POST',
    path: '/experiments',
    doc: {
      tag: 'Experiments', summary: 'Create a scheduled experiment',
      description: 'A start and either an end or a duration (7–42 days). Status is running when the start has passed, else planned. The stored experiment carries `plan`: what its window can detect, with warnings (see POST /experiments/plan); creating is allowed whatever it says. Send an Idempotency-Key header so a retried create makes one experiment. Ideas without a window go to POST /backlog.',
      body: CreateExperimentSchema, success: { status: 201, description: 'The stored experiment', schema: ExperimentRecordSchema },
      errors: { 422: 'Idempotency-Key reused for a different request' },
    },
    keyedByIdempotency: true,
    async handle(req, s) {
      const input = parseOrThrow(CreateExperimentSchema, jsonBody(req), 'experiment');
      const plan = await planOrNothing(planRequestOf(input, undefined, designDefaults(s).timeZone), s);
      const scheduledNow = await scheduledNowFor(input.design, s);
      const { experiment, created } = await createOnce(req, s, (id) => ({ ...newExperiment(input, id, s.now(), designDefaults(s), scheduledNow), ...(plan && { plan }) }));
      if (created && experiment.status === 'running') await s.events.publish(experimentStarted({ ...experiment, startedBy: 'user' }));
      return { status: 201, body: experiment, headers: { location: `/experiments/${experiment.id}` } };
    },
  },
  {
    method: 'PATCH',
    path: '/experiments/{id}',
    doc: {
      tag: 'Experiments', summary: 'Change an experiment',
      description: 'backlog: descriptive fields, ICE score, duration. planned: also the window (re-validated like a create). running: nothing (409 — abandon it instead). concluded/abandoned: `learnings` only. A change to the metric, window, baseline or decision rule of a planned or backlog experiment computes its `plan` again. Send the `version` you read to refuse the change (409) if someone changed the experiment since; without it a concurrent change is re-read and this one re-applied on top, never overwritten.',
      params: ID_PARAM, body: UpdateExperimentSchema, success: { status: 200, description: 'The updated experiment', schema: ExperimentRecordSchema },
      errors: { 404: 'No such experiment', 409: 'The change is not allowed in the experiment\'s status, or `version` is not the current one (the message says why and names the current version)' },
    },
    async handle(req, s) {
      const update = parseOrThrow(UpdateExperimentSchema, jsonBody(req) ?? {}, 'update');
      // A change to what the plan rests on (metric, window, baseline, rule) plans the experiment again.
      let plan: StoredPlan | undefined;
      const stored = await loadExperiment(req, s);
      const scheduledNow = stored.status === 'planned' ? await scheduledNowFor(stored.design, s) : [];
      if (PLAN_FIELDS.some((f) => update[f] !== undefined)) {
        const preview = updateExperiment(stored, update, s.now(), scheduledNow);
        if (preview.kind === 'ok' && (preview.experiment.status === 'planned' || preview.experiment.status === 'backlog')) {
          plan = await planOrNothing(planRequestOfExperiment(preview.experiment), s);
        }
      }
      return {
        status: 200,
        body: await change(req, s, (current) => {
          const outcome = updateExperiment(current, update, s.now(), scheduledNow);
          return outcome.kind === 'ok' && plan ? { ...outcome, experiment: { ...outcome.experiment, plan } } : outcome;
        }, update.version),
      };
    },
  },
  {
    method: 'POST',
    path: '/experiments/{id}/start',
    doc: {
      tag: 'Experiments', summary: 'Start a backlog item now (or schedule it)',
      description: 'Gives a backlog item its window: `start` (default now) plus its planned duration. Running when the start has passed, else planned. The plan is computed again for the new window and stored as `plan` (with its warnings).',
      params: ID_PARAM, body: StartExperimentSchema, success: { status: 200, description: 'The started or planned experiment', schema: ExperimentRecordSchema },
      errors: { 404: 'No such experiment', 409: 'Not a backlog item' },
    },
    async handle(req, s) {
      const input = parseOrThrow(StartExperimentSchema, jsonBody(req) ?? {}, 'start');
      const item = await loadExperiment(req, s);
      const scheduledNow = await scheduledNowFor(item.design, s);
      // The plan again at start: the history, and the experiments beside it, have changed since the idea was added.
      const plan = item.status === 'backlog'
        ? await planOrNothing({ id: item.id, primaryMetric: item.primaryMetric, start: input.start ?? s.now().toISOString(), durationDays: item.durationDays, decision: item.decision }, s)
        : undefined;
      return {
        status: 200,
        body: await change(req, s, (current) => {
          const outcome = startExperiment(current, s.now(), { start: input.start, by: 'user', scheduledNow });
          return outcome.kind === 'ok' && plan ? { ...outcome, experiment: { ...outcome.experiment, plan } } : outcome;
        }),
      };
    },
  },
];
