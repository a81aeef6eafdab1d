/**
 * What the /experiments routes share, in whichever function serves them: reading one experiment by its
 * path id, creating once per Idempotency-Key, and the read-decide-write loop every status change goes
 * through (pure lifecycle rules in domain/experiment.ts, a write conditional on the version read, so an
 * illegal or lost race is a 409). No routes here: a function imports these without another group's routes.
 */
import * as z from '../domain/zod-mini';
import { TRANSITIONS, type Experiment, type LifecycleOutcome } from '../domain/experiment';
import { experimentStarted } from '../shared/events';
import { ConflictError, NotFoundError, parseOrThrow, ValidationError } from '../shared/errors';
import { ExperimentChangedError } from '../store/experiment-store';
import type { ApiRequest } from './http';
import { experimentIdForIdempotencyKey, type ResolvedApiServices } from './services';

export const ExperimentIdSchema = z.string().check(z.regex(/^exp_[a-z0-9]{1,40}$/, 'not an experiment id'));

export const ID_PARAM = { id: 'Experiment id, e.g. exp_k3m9x2q7ab' };

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
export async function change(req: ApiRequest, s: ResolvedApiServices, decide: (current: Experiment) => LifecycleOutcome, expectedVersion?: number): Promise<Experiment> {
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

