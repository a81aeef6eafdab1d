/**
 * /experiments routes that run the scorer: an experiment with its interim readout while running (or its
 * verdict once concluded), and an explicit rescore. The scoring code is bundled only where these are served.
 */
import * as z from '../../domain/zod-mini';
import { ExperimentRecordSchema } from '../../domain/experiment';
import { InterimReadoutSchema, VerdictSchema } from '../../domain/verdict-schema';
import { interimFor, rescoreExperiment } from '../../jobs/score-due';
import { verdictReached } from '../../shared/events';
import { ConflictError, errorMessage } from '../../shared/errors';
import { ID_PARAM, loadExperiment } from '../experiment-changes';
import type { Route } from '../router';

export const experimentReadoutRoutes: Route[] = [
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
