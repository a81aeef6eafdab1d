/**
 * `verdict show` (issue 16): a planned experiment shows the plan stored with it; an open-rate verdict
 * scored while the list was cleaned says what the expectation was adjusted for, beside the numbers. The
 * API is a local HTTP server answering the two reads `show` makes, with a plan from the real planner and a
 * verdict from the real scorer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { showCommand } from '../../../functions/cli/show-command';
import { scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import { planExperiment } from '../../../functions/domain/planning/power-plan';
import type { Observation } from '../../../functions/domain/observation';
import { aScoredExperiment, listChangeSends, midnightSnapshots, SCORED_AT } from '../../unit/scoring/factories';

const DAY = 86_400_000;

/** 2/day with a day-to-day spread of ±1.6 over the 8 weeks before the window. */
function smallAccountHistory(start: string): Observation[] {
  const growth = Array.from({ length: 56 }, (_, i) => 2 + (i % 2 === 0 ? 1.6 : -1.6));
  return midnightSnapshots(growth, { from: new Date(Date.parse(start) - 56 * DAY).toISOString() });
}

describe('verdict show', () => {
  let server: Server;
  let api: string;
  const experiment = aScoredExperiment({ id: 'exp_cleaned', name: 'Shorter subject lines', primaryMetric: 'newsletter.open_rate', status: 'concluded' });
  const verdict = scoreExperiment(experiment, listChangeSends(1200, 600), { now: SCORED_AT });
  const planned = aScoredExperiment({ id: 'exp_planned', name: 'Daily thread', primaryMetric: 'x.follower_growth_rate', status: 'planned' });
  const plan = {
    ...planExperiment({ metric: planned.primaryMetric, observations: smallAccountHistory(planned.start!), start: new Date(planned.start!), windowDays: 14, confidence: 0.95, minLift: 0 }),
    computedAt: planned.createdAt,
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = req.url!.startsWith('/experiments/exp_cleaned') ? { ...experiment, verdict }
        : req.url!.startsWith('/experiments/exp_planned') ? { ...planned, plan }
          : { unit: 'fraction (0–1)', series: [] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function show(id: string): Promise<{ code: number; text: string }> {
    const out: string[] = [];
    const io = {
      stdin: Readable.from(['']), stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) },
      env: { NO_COLOR: '1', VERDICT_DATA_DIR: '/nonexistent-verdict-data' },
    };
    const code = await showCommand([id, '--api', api, '--token', 'test-token'], io as never);
    return { code, text: out.join('') };
  }

  it('shows the plan stored with a planned experiment: what the window can detect and its warnings', async () => {
    const { code, text } = await show('exp_planned');

    expect(code).toBe(0);
    expect(text).toContain(`Plan  ${plan.summary}`);
    expect(text).toMatch(/Detectable at 80 % power \(baseline 56 d\): 7 d: \+\d+ % · 14 d: \+\d+ % · 28 d: \+\d+ % · 42 d: \+\d+ %/);
    expect(text).toContain('! A 14-day window has');
  });

  it('says the expectation was adjusted to the list that remained, and under which assumption', async () => {
    const { code, text } = await show('exp_cleaned');

    expect(code).toBe(0);
    expect(text).toMatch(/window 50\.4\d % vs expected 50\.83 %/);
    expect(text).toContain("! Adjusted for a list clean-up: expected 50.8 % = the baseline's 30.5 % counted over the 1,200 delivered per send that remained (2,000 before), assuming the removed subscribers would not have opened. Not kept whatever it shows.");
    expect(text).toMatch(/Inconclusive, so not kept: the list shrank by 40 %/);
  });
});
