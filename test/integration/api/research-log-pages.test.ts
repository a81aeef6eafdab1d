/**
 * GET /log pages the compact rows written with each verdict: one Query per page whatever the size of the
 * log, every concluded experiment exactly once across the pages in log order, TSV/markdown paged alike,
 * a rescore rewriting its row, and data from before rows existed backfilled once.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { Experiment } from '../../../functions/domain/experiment';
import { researchLogRows, TSV_COLUMNS } from '../../../functions/domain/research-log';
import { scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import type { Verdict } from '../../../functions/domain/verdict';
import { httpEvent, startCountedApi, type CountedApi } from '../../reliability/api-harness';
import { anExperiment, followerSnapshots } from '../../support/factories';

const DAY = 86_400_000;
const NOW = new Date('2026-11-20T00:00:00Z');
const CONCLUDED = 120;

let api: CountedApi;
let template: Verdict;
const seeded: { experiment: Experiment; verdict: Verdict }[] = [];

/** Concludes `e` through the scorer's own path (claim, verdict, row, conclusion). */
async function conclude(e: Experiment, scoredAt: string): Promise<void> {
  const created = await api.stores.experiments.create(e);
  const verdict = { ...template, experimentId: e.id, scoredAt };
  await api.stores.experiments.recordFirstVerdict(created, verdict);
  seeded.push({ experiment: { ...created, status: 'concluded', concludedAt: scoredAt }, verdict });
}

beforeAll(async () => {
  api = await startCountedApi();
  template = scoreExperiment(anExperiment({ id: 'exp_template' }), followerSnapshots({ from: '2026-09-01T00:00:00Z', to: '2026-11-19T00:00:00Z', perDay: () => 10 }), { now: NOW });
  await Promise.all(Array.from({ length: 4 }, async (_, w) => {
    for (let i = w; i < CONCLUDED; i += 4) {
      const end = NOW.getTime() - (1 + (i % 30)) * DAY; // several share a conclusion instant: ties break by window end, then id
      await conclude(anExperiment({
        id: `exp_log${String(i).padStart(4, '0')}`, name: `Tactic ${i}`, status: 'running',
        start: new Date(end - 14 * DAY).toISOString(), end: new Date(end - (i % 3) * 3_600_000).toISOString(),
      }), new Date(end + 3_600_000).toISOString());
    }
  }));
});
afterAll(async () => { await api?.close(); });

const get = (query: Record<string, string>) => api.stores.counter.during(() => api.send(httpEvent('GET', '/log', { query })));

describe('GET /log pages', () => {
  it('returns every concluded experiment once across the pages, in log order, with one Query per page', async () => {
    const seen: { id: string }[] = [];
    const requestsPerPage: Record<string, number>[] = [];
    let cursor: string | undefined;
    do {
      const { result, counts } = await get({ limit: '50', ...(cursor && { cursor }) });
      expect(result.statusCode).toBe(200);
      const body = JSON.parse(String(result.body)) as { items: { id: string }[]; nextCursor?: string };
      seen.push(...body.items);
      requestsPerPage.push(counts);
      cursor = body.nextCursor;
    } while (cursor);

    expect(seen.map((r) => r.id)).toEqual(researchLogRows(seeded).map((r) => r.id));
    expect(requestsPerPage).toHaveLength(3);
    expect(requestsPerPage.every((c) => JSON.stringify(c) === JSON.stringify({ QueryCommand: 1 }))).toBe(true);
  });

  it('answers a first page with the same single Query and at most the page size', async () => {
    const { result, counts } = await get({ limit: '10' });

    expect(counts).toEqual({ QueryCommand: 1 });
    expect(JSON.parse(String(result.body)).items).toHaveLength(10);
  });

  it('pages TSV too: a header row on each page and the next cursor in x-next-cursor', async () => {
    const { result } = await get({ format: 'tsv', limit: '100' });
    const lines = String(result.body).trimEnd().split('\n');

    expect(lines[0]).toBe(TSV_COLUMNS.join('\t'));
    expect(lines).toHaveLength(101);
    const next = await get({ format: 'tsv', limit: '100', cursor: String(result.headers?.['x-next-cursor']) });
    expect(String(next.result.body).trimEnd().split('\n')).toHaveLength(1 + CONCLUDED - 100);
    expect(next.result.headers?.['x-next-cursor']).toBeUndefined();
  });

  it('refuses a forged cursor naming another partition with 400, before any read', async () => {
    const forged = Buffer.from(JSON.stringify({ i: 'log', k: { pk: 'OBS#x.followers', sk: 'LOGROW', gsi1pk: 'STATUS#running', gsi1sk: 'z' } })).toString('base64url');

    const { result, counts } = await get({ cursor: forged });

    expect(result.statusCode).toBe(400);
    expect(counts).toEqual({});
  });

  it('refuses a page larger than 1,000 rows', async () => {
    expect((await get({ limit: '1001' })).result.statusCode).toBe(400);
  });
});

describe('log rows', () => {
  it('a rescore rewrites the experiment row in place', async () => {
    const { experiment } = seeded[0];
    const rescored: Verdict = { ...template, experimentId: experiment.id, scoredAt: NOW.toISOString(), decision: template.decision === 'keep' ? 'discard' : 'keep' };

    await api.stores.experiments.recordRescore(experiment.id, rescored);

    const rows: { id: string; decision: string }[] = [];
    let cursor: string | undefined;
    do {
      const body = JSON.parse(String((await get({ limit: '1000', ...(cursor && { cursor }) })).result.body));
      rows.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    expect(rows.filter((r) => r.id === experiment.id)).toEqual([expect.objectContaining({ decision: rescored.decision })]);
    expect(rows).toHaveLength(CONCLUDED);
  });

  it('GET /experiments/{id}/verdicts answers the 100 newest of a long rescore history, saying it is truncated', async () => {
    const { experiment } = seeded[2];
    for (let i = 0; i < 101; i++) {
      await api.stores.experiments.recordRescore(experiment.id, { ...template, experimentId: experiment.id, scoredAt: new Date(NOW.getTime() + (i + 1) * 60_000).toISOString() });
    }

    const res = await api.send(httpEvent('GET', `/experiments/${experiment.id}/verdicts`));

    const body = JSON.parse(String(res.body)) as { items: { scoredAt: string }[]; truncated?: boolean };
    expect(body.items).toHaveLength(100);
    expect(body.truncated).toBe(true);
    expect(body.items[0].scoredAt).toBe(new Date(NOW.getTime() + 101 * 60_000).toISOString());
  });

  it('data from before rows existed is backfilled once; afterwards the backfill costs one GetItem', async () => {
    const { experiment } = seeded[1];
    await api.stores.db.send(new DeleteCommand({ TableName: api.stores.experiments.tableName, Key: { pk: `EXP#${experiment.id}`, sk: 'LOGROW' } }));
    await api.stores.db.send(new DeleteCommand({ TableName: api.stores.experiments.tableName, Key: { pk: 'MIGRATION', sk: 'research-log-rows-v1' } }));

    const written = await api.stores.experiments.backfillResearchLog();
    const again = await api.stores.counter.during(() => api.stores.experiments.backfillResearchLog());

    expect(written).toBe(CONCLUDED);
    expect(again).toMatchObject({ result: 0, counts: { GetItemCommand: 1 } });
    const body = JSON.parse(String((await get({ limit: '1000' })).result.body));
    expect(body.items.map((r: { id: string }) => r.id)).toContain(experiment.id);
  });
});
