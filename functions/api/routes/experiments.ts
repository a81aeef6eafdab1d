/**
 * /experiments routes: create, list, show (with an interim readout while running), update, delete,
 * start, abandon, verdict, verdict history and rescore. Every status change goes through the pure
 * lifecycle rules in domain/experiment.ts and a conditional write, so an illegal or lost race is a 409.
 */
import * as z from '../../domain/zod-mini';
import {
  AbandonExperimentSchema, type CreateExperiment, CreateExperimentSchema, ExtendExperimentSchema, extendExperiment, EXPERIMENT_STATUSES, ExperimentRecordSchema, MetricKeySchema, StartExperimentSchema,
  TRANSITIONS, UpdateExperimentSchema, abandonExperiment, checkDeletable, newExperiment, startExperiment, updateExperiment,
  type Experiment, type LifecycleOutcome,
} from '../../domain/experiment';
import { InterimReadoutSchema, VerdictSchema } from '../../domain/verdict-schema';
import { experimentStarted, verdictReached } from '../../shared/events';
import { ConflictError, errorMessage, NotFoundError, parseOrThrow, ValidationError } from '../../shared/errors';
import { StoredPlanSchema, type StoredPlan } from '../../domain/planning/stored-plan';
import { planFor, type PlanRequest, planRequestOfExperiment } from '../../jobs/plan-experiment';
import { interimFor, rescoreExperiment } from '../../jobs/score-due';
import { jsonBody, type ApiRequest } from '../http';
import type { Route } from '../router';
import { designDefaults, experimentIdForIdempotencyKey, type ResolvedApiServices } from '../services';
import { ExperimentChangedError, VERDICT_HISTORY_MAX } from '../../store/experiment-store';

export const ListQuerySchema = z.strictObject({
  status: z.described(z.optional(z.enum(EXPERIMENT_STATUSES)), 'Only experiments in this status'),
  metric: z.described(z.optional(MetricKeySchema), 'Only experiments on this primary metric (a base key also matches its `:engine` variants)'),
  limit: z.described(z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(200))), 'Page size (default 50)'),
  cursor: z.described(z.optional(z.string().check(z.minLength(1), z.maxLength(2000))), 'nextCursor from the previous page'),
});

export const ExperimentIdSchema = z.string().check(z.regex(/^exp_[a-z0-9]{1,40}$/, 'not an experiment id'));

const ID_PARAM = { id: 'Experiment id, e.g. exp_k3m9x2q7ab' };

export async function loadExperiment(req: ApiRequest, s: ResolvedApiServices): Promise<Experiment> {
  const id = parseOrThrow(ExperimentIdSchema, req.params.id, 'experiment id');
  const experiment = await s.experiments.get(id);
  if (!experiment) throw new NotFoundError(`No experiment ${id}`);
  return experiment;
}

/**
 * The planned and running experiments when a switchback's schedule is about to be drawn (it is drawn
 * balanced against the other switchbacks on its metric); nothing to read for other designs.
 */
export async function scheduledNowFor(design: string | undefined, s: Pick<ResolvedApiServices, 'experiments'>): Promise<Experiment[]> {
  return design === 'switchback' ? s.experiments.listLive() : [];
}

/** Maps a lifecycle outcome to the experiment to store, a 409 naming the reason, or a 400 naming fields. */
export function acceptOutcome(outcome: LifecycleOutcome, current: Experiment): Experiment {
  if (outcome.kind === 'conflict') {
    throw new ConflictError(outcome.reason, { status: current.status, allowedTransitions: TRANSITIONS[current.status] });
  }
  if (outcome.kind === 'invalid') {
    throw new ValidationError(`Invalid change: ${outcome.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, outcome.issues);
  }
  return outcome.experiment;
}

/**
 * Creates the experiment `build` makes for an id. With an Idempotency-Key the id is derived from the key,
 * so a retry — whatever failed after the first write — finds the item the first attempt stored and
 * answers with it (`created: false`) instead of making a second experiment.
 */
export async function createOnce(req: ApiRequest, s: ResolvedApiServices, build: (id: string) => Experiment): Promise<{ experiment: Experiment; created: boolean }> {
  if (req.idempotencyKey === undefined) return { experiment: await s.experiments.create(build(s.newId())), created: true };
  const id = experimentIdForIdempotencyKey(req.idempotencyKey);
  try {
    return { experiment: await s.experiments.create(build(id)), created: true };
  } catch (err) {
    const existing = err instanceof ConflictError ? await s.experiments.get(id) : undefined;
    if (!existing) throw err;
    return { experiment: existing, created: false };
  }
}

/** Stores a transition from `current` (conditional on its version), announcing the start when the experiment began running. */
async function store(next: Experiment, current: Experiment, s: ResolvedApiServices): Promise<Experiment> {
  const stored = await s.experiments.replace(next, current);
  if (next.status === 'running' && current.status !== 'running') await s.events.publish(experimentStarted(stored));
  return stored;
}

/** How often a change is re-read and re-decided after losing to a concurrent one before it answers 409. */
const CHANGE_ATTEMPTS = 5;

/**
 * Read, decide, write conditional on the version read. Losing to a concurrent change re-runs the whole
 * read-decide-write (the decision may now differ, e.g. a 409 from the lifecycle rules); with
 * `expectedVersion` (the caller's own read) a changed experiment is a 409 naming the current version.
 */
async function change(req: ApiRequest, s: ResolvedApiServices, decide: (current: Experiment) => LifecycleOutcome, expectedVersion?: number): Promise<Experiment> {
  for (let attempt = 1; ; attempt++) {
    const current = await loadExperiment(req, s);
    if (expectedVersion !== undefined && (current.version ?? 0) !== expectedVersion) {
      throw new ExperimentChangedError(current.id, 'version_conflict', { version: current.version ?? 0, status: current.status });
    }
    const next = acceptOutcome(decide(current), current);
    try {
      return await store(next, current, s);
    } catch (err) {
      const retry = err instanceof ExperimentChangedError && err.reason === 'version_conflict' && expectedVersion === undefined && attempt < CHANGE_ATTEMPTS;
      if (!retry) throw err;
    }
  }
}

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

export const experimentRoutes: Route[] = [
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
    method: 'GET',
    path: '/experiments/{id}',
    doc: {
      tag: 'Experiments', summary: 'Show an experiment',
      description: 'While running, `interim` holds the progress so far (labelled notAVerdict; null when it cannot be computed yet). Once concluded, `verdict` holds the current verdict.',
      params: ID_PARAM,
      success: {
        status: 200, description: 'The experiment, plus interim or verdict',
        schema: z.extend(ExperimentRecordSchema, {
          interim: z.described(z.optional(z.nullable(InterimReadoutSchema)), 'Running experiments only: progress so far (null until it can be computed)'),
          verdict: z.described(z.optional(VerdictSchema), 'Concluded experiments only: the current verdict'),
        }),
      },
      errors: { 404: 'No such experiment' },
    },
    async handle(req, s) {
      const experiment = await loadExperiment(req, s);
      if (experiment.status === 'running') {
        let interim = null;
        try {
          interim = await interimFor(experiment, s.now(), s);
        } catch (err) {
          s.log.warn('interim readout failed', { experimentId: experiment.id, error: errorMessage(err) });
        }
        return { status: 200, body: { ...experiment, interim } };
      }
      if (experiment.status === 'concluded') {
        const verdict = await s.experiments.getVerdict(experiment.id);
        return { status: 200, body: { ...experiment, ...(verdict && { verdict }) } };
      }
      return { status: 200, body: experiment };
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
  {
    method: 'POST',
    path: '/experiments/{id}/rescore',
    doc: {
      tag: 'Verdicts', summary: 'Score a concluded experiment again',
      description: 'An explicit user action, e.g. after importing missing data: the new verdict becomes current, the earlier ones stay in GET /experiments/{id}/verdicts, and a `Verdict Reached` event (rescore: true) is published. The response says whether the decision changed.',
      params: ID_PARAM,
      success: {
        status: 200, description: '{ verdict, previous, decisionChanged }',
        schema: z.object({ verdict: VerdictSchema, previous: z.described(z.nullable(VerdictSchema), 'The verdict it replaced'), decisionChanged: z.boolean() }),
      },
      errors: { 404: 'No such experiment', 409: 'Not concluded (abandoned experiments are never scored)' },
    },
    async handle(req, s) {
      const experiment = await loadExperiment(req, s);
      if (experiment.status !== 'concluded') {
        throw new ConflictError(`Cannot rescore ${experiment.id}: it is ${experiment.status}; only concluded experiments are rescored${experiment.status === 'abandoned' ? ' (abandoned ones are never scored)' : ''}`, { status: experiment.status });
      }
      const { verdict, previous } = await rescoreExperiment(experiment, s.now(), s);
      const decisionChanged = previous !== undefined && previous.decision !== verdict.decision;
      s.log.info('experiment rescored', { experimentId: experiment.id, decision: verdict.decision, previousDecision: previous?.decision, decisionChanged });
      await s.events.publish(verdictReached(experiment, verdict, { rescore: true }));
      return { status: 200, body: { verdict, previous: previous ?? null, decisionChanged } };
    },
  },
];
