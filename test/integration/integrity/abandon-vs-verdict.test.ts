/**
 * Issue 14.2 — abandon and the verdict exclude each other. The abandon request (decided by a clock just
 * before the window's end, as a user's last-minute click or a skewed clock would) and the scorer run
 * (just after it) are interleaved at every DynamoDB command of either: after each, either the experiment
 * is abandoned with no verdict and no `Verdict Reached`, or it has exactly one verdict and the abandon
 * got a 409. No transaction: both sides condition on the experiment item (see recordFirstVerdict).
 */
import { scoreDueExperiments } from '../../../functions/jobs/score-due';
import { anExperiment, followerSnapshots } from '../../support/factories';
import { interleaveAfter } from '../../support/interleave';
import { httpEvent, startCountedApi, type CountedApi } from '../../reliability/api-harness';

const END = new Date('2026-11-15T00:00:00.000Z');
const ABANDON_CLOCK = new Date(END.getTime() - 60_000);
const SCORER_CLOCK = new Date(END.getTime() + 3_600_000);
const quiet = { info: () => {}, warn: () => {} };

let api: CountedApi;
beforeAll(async () => {
  api = await startCountedApi();
  api.services.now = () => ABANDON_CLOCK;
  await api.stores.observations.putMany(followerSnapshots({ from: '2026-10-01T00:00:00Z', to: '2026-11-15T00:00:00Z', perDay: () => 10 }));
});
afterAll(async () => { await api?.close(); });

interface Round { id: string; abandon?: number; verdictEvents: number; status?: string; verdicts: number; current: boolean }

async function round(id: string, order: { abandonAfterScorerCommand: number } | { scorerAfterAbandonCommand: number }): Promise<Round> {
  await api.stores.experiments.create(anExperiment({ id, start: '2026-11-01T00:00:00.000Z', end: END.toISOString() }));
  let abandon: number | undefined;
  let verdictEvents = 0;
  const abandonNow = async () => {
    const res = await api.send(httpEvent('POST', `/experiments/${id}/abandon`, { body: '{"reason":"stop"}', headers: { 'content-type': 'application/json' } }));
    abandon = res.statusCode;
  };
  const scoreNow = () => scoreDueExperiments(SCORER_CLOCK, {
    experiments: api.stores.experiments, observations: api.stores.observations, log: quiet,
    onVerdict: async (e) => { if (e.id === id) verdictEvents++; },
  });
  const mine = (c: { input: Record<string, unknown> }) => JSON.stringify(c.input).includes(id);
  if ('abandonAfterScorerCommand' in order) {
    let seen = 0;
    const detach = interleaveAfter(api.stores.db, () => ++seen === order.abandonAfterScorerCommand, abandonNow);
    try { await scoreNow(); } finally { detach(); }
    if (abandon === undefined) await abandonNow(); // the scorer sent fewer commands: abandon after it
  } else {
    let seen = 0;
    const detach = interleaveAfter(api.stores.db, (c) => mine(c) && ++seen === order.scorerAfterAbandonCommand, scoreNow);
    try { await abandonNow(); } finally { detach(); }
    if (verdictEvents === 0 && (await api.stores.experiments.get(id))?.status !== 'abandoned') await scoreNow();
  }
  const stored = await api.stores.experiments.get(id);
  return {
    id, abandon, verdictEvents, status: stored?.status,
    verdicts: (await api.stores.experiments.verdictHistory(id)).length,
    current: (await api.stores.experiments.getVerdict(id)) !== undefined,
  };
}

/** Every way the invariant can be broken, as readable strings (empty when it holds). */
function violations(r: Round): string[] {
  if (r.status === 'abandoned') {
    return [
      ...(r.abandon !== 200 ? [`${r.id}: abandoned, but the abandon answered ${r.abandon}`] : []),
      ...(r.verdicts > 0 || r.current ? [`${r.id}: abandoned with ${r.verdicts} verdict(s)`] : []),
      ...(r.verdictEvents > 0 ? [`${r.id}: abandoned, yet ${r.verdictEvents} Verdict Reached`] : []),
    ];
  }
  return [
    ...(r.status !== 'concluded' ? [`${r.id}: ended ${r.status}`] : []),
    ...(r.verdicts !== 1 || !r.current ? [`${r.id}: ${r.verdicts} verdicts in the history`] : []),
    ...(r.verdictEvents !== 1 ? [`${r.id}: ${r.verdictEvents} Verdict Reached events`] : []),
    ...(r.abandon !== 409 ? [`${r.id}: scored, but the abandon answered ${r.abandon}`] : []),
  ];
}

it('holds when the abandon lands after any of the scorer run\'s DynamoDB commands', async () => {
  const rounds: Round[] = [];
  for (let k = 1; k <= 14; k++) rounds.push(await round(`exp_abandonafter${k}`, { abandonAfterScorerCommand: k }));

  expect(rounds.flatMap(violations)).toEqual([]);
  // Both outcomes occur: early interleavings abandon, late ones score.
  expect(new Set(rounds.map((r) => r.status))).toEqual(new Set(['abandoned', 'concluded']));
});

it('holds when the scorer run lands after any of the abandon request\'s DynamoDB commands', async () => {
  const rounds: Round[] = [];
  for (let k = 1; k <= 6; k++) rounds.push(await round(`exp_scoreafter${k}`, { scorerAfterAbandonCommand: k }));

  expect(rounds.flatMap(violations)).toEqual([]);
  expect(new Set(rounds.map((r) => r.status))).toEqual(new Set(['abandoned', 'concluded']));
});
