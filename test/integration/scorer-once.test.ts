/** The scorer records exactly one verdict per ended experiment, even when runs repeat or overlap. */
import { createDocumentClient } from '../../functions/shared/clients';
import { scoreDueExperiments } from '../../functions/jobs/score-due';
import { ensureTable, startDynalite, type LocalDynamo } from '../../functions/local/dynalite';
import { ExperimentStore } from '../../functions/store/experiment-store';
import { ObservationStore } from '../../functions/store/observation-store';
import { anExperiment, followerSnapshots } from '../support/factories';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const quiet = { info: () => {}, warn: () => {} };
const NOW = new Date('2026-11-20T00:00:00Z');

let dynamo: LocalDynamo;
let experiments: ExperimentStore;
let observations: ObservationStore;

beforeAll(async () => {
  dynamo = await startDynalite();
  await ensureTable(dynamo.endpoint, 'verdict-test');
  const db = createDocumentClient(dynamo.endpoint);
  experiments = new ExperimentStore(db, 'verdict-test');
  observations = new ObservationStore(db, 'verdict-test');
  await observations.putMany(followerSnapshots({ from: '2026-10-01T00:00:00Z', to: '2026-11-19T00:00:00Z', perDay: () => 10 }));
});
afterAll(async () => { await dynamo.close(); });

describe('scoreDueExperiments', () => {
  it('scores an ended experiment once and concludes it; a second run writes nothing', async () => {
    await experiments.create(anExperiment({ id: 'exp_once' }));

    const first = await scoreDueExperiments(NOW, { experiments, observations, log: quiet });
    const second = await scoreDueExperiments(NOW, { experiments, observations, log: quiet });

    expect(first.scored).toContain('exp_once');
    expect(second.scored).not.toContain('exp_once');
    expect((await experiments.get('exp_once'))?.status).toBe('concluded');
    expect(await experiments.verdictHistory('exp_once')).toHaveLength(1);
  });

  it('records one verdict when ten runs race on the same due experiment', async () => {
    await experiments.create(anExperiment({ id: 'exp_race' }));

    const runs = await Promise.all(Array.from({ length: 10 }, () => scoreDueExperiments(NOW, { experiments, observations, log: quiet })));

    expect(runs.filter((r) => r.scored.includes('exp_race'))).toHaveLength(1);
    expect(await experiments.verdictHistory('exp_race')).toHaveLength(1);
    expect((await experiments.get('exp_race'))?.status).toBe('concluded');
  });

  it('leaves experiments whose window has not ended alone', async () => {
    await experiments.create(anExperiment({ id: 'exp_future', start: '2026-11-15T00:00:00.000Z', end: '2026-11-29T00:00:00.000Z' }));

    await scoreDueExperiments(NOW, { experiments, observations, log: quiet });

    expect(await experiments.getVerdict('exp_future')).toBeUndefined();
    expect((await experiments.get('exp_future'))?.status).toBe('running');
  });

  it('completes the conclusion when an earlier run died after writing the verdict', async () => {
    const e = anExperiment({ id: 'exp_crash' });
    await experiments.create(e);
    const { scoreExperiment } = await import('../../functions/domain/scoring/score-experiment');
    const verdict = scoreExperiment(e, [], { now: NOW });
    // Simulate the crash: the guard item is written, nothing else.
    await (experiments as unknown as { db: { send(c: unknown): Promise<unknown> } }).db.send(
      new (await import('@aws-sdk/lib-dynamodb')).PutCommand({ TableName: 'verdict-test', Item: { pk: 'EXP#exp_crash', sk: 'VERDICT', ...verdict } }),
    );

    const run = await scoreDueExperiments(NOW, { experiments, observations, log: quiet });

    expect(run.alreadyScored).toContain('exp_crash');
    expect((await experiments.get('exp_crash'))?.status).toBe('concluded');
    expect(await experiments.verdictHistory('exp_crash')).toEqual([verdict]);
  });

  it('warns about a concluded experiment on the same metric that ran during the baseline, and reads only recent concluded ones', async () => {
    await experiments.create(anExperiment({ id: 'exp_oldnews', status: 'concluded', start: '2026-06-01T00:00:00.000Z', end: '2026-06-15T00:00:00.000Z' }));
    await experiments.create(anExperiment({ id: 'exp_inbase', name: 'Bio link', status: 'concluded', start: '2026-10-20T00:00:00.000Z', end: '2026-10-30T00:00:00.000Z' }));
    await experiments.create(anExperiment({ id: 'exp_judged' }));

    await scoreDueExperiments(NOW, { experiments, observations, log: quiet });

    const warning = (await experiments.getVerdict('exp_judged'))?.warnings.find((w) => w.code === 'baseline_overlap');
    expect(warning?.experimentIds).toEqual(['exp_inbase']);
    const recent = await experiments.listEndingAfter('concluded', '2026-10-18T00:00:00.000Z');
    expect(recent.map((e) => e.id)).toContain('exp_inbase');
    expect(recent.map((e) => e.id)).not.toContain('exp_oldnews');
  });
});
