/** The loop planner: fills free slots by ICE, never two experiments on one metric at once, says why. */
import type { Experiment, IceScore } from '../../../functions/domain/experiment';
import { metricFamily, planLoop, rankBacklog } from '../../../functions/domain/loop';
import { anExperiment } from '../../support/factories';

const NOW = new Date('2026-11-10T12:00:00.000Z');
let seq = 0;

function idea(ice: IceScore | undefined, overrides: Partial<Experiment> = {}): Experiment {
  seq++;
  return anExperiment({ id: `exp_idea${seq}`, name: `idea ${seq}`, status: 'backlog', start: undefined, end: undefined, iceScore: ice, createdAt: `2026-10-${String(10 + seq).padStart(2, '0')}T00:00:00.000Z`, ...overrides });
}

const running = (metric: string, id = `exp_run${++seq}`) => anExperiment({ id, status: 'running', primaryMetric: metric });

describe('rankBacklog', () => {
  it('orders by ICE product, unscored last, then oldest first', () => {
    const low = idea({ impact: 2, confidence: 2, ease: 2 });
    const high = idea({ impact: 9, confidence: 8, ease: 7 });
    const unscored = idea(undefined);
    const tieOlder = idea({ impact: 4, confidence: 2, ease: 1 }, { createdAt: '2026-01-01T00:00:00.000Z' });
    const tieNewer = idea({ impact: 2, confidence: 4, ease: 1 }, { createdAt: '2026-02-01T00:00:00.000Z' });

    expect(rankBacklog([low, unscored, tieNewer, high, tieOlder]).map((e) => e.id)).toEqual([high.id, tieOlder.id, tieNewer.id, low.id, unscored.id]);
  });
});

describe('planLoop', () => {
  it('starts the highest-ICE items up to the target', () => {
    const a = idea({ impact: 9, confidence: 9, ease: 9 }, { primaryMetric: 'newsletter.open_rate' });
    const b = idea({ impact: 5, confidence: 5, ease: 5 }, { primaryMetric: 'newsletter.click_rate' });
    const c = idea({ impact: 1, confidence: 1, ease: 1 }, { primaryMetric: 'bluesky.follower_growth_rate' });

    const plan = planLoop({ backlog: [c, b, a], scheduled: [running('x.follower_growth_rate')], target: 3, now: NOW });

    expect(plan.free).toBe(2);
    expect(plan.toStart.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(plan.state).toBe('ready');
  });

  it('skips an item whose metric is already under test and starts the next one', () => {
    const blocked = idea({ impact: 10, confidence: 10, ease: 10 }, { primaryMetric: 'x.follower_growth_rate' });
    const next = idea({ impact: 3, confidence: 3, ease: 3 }, { primaryMetric: 'newsletter.open_rate' });
    const holder = running('x.follower_growth_rate', 'exp_holder');

    const plan = planLoop({ backlog: [blocked, next], scheduled: [holder], target: 3, now: NOW });

    expect(plan.toStart.map((e) => e.id)).toEqual([next.id]);
    expect(plan.ranked[0]).toMatchObject({ experiment: { id: blocked.id }, startsNow: false, blockedBy: { experimentId: 'exp_holder', metric: 'x.follower_growth_rate' } });
  });

  it('never starts two backlog items on the same metric in one fill', () => {
    const first = idea({ impact: 9, confidence: 9, ease: 9 }, { primaryMetric: 'newsletter.open_rate' });
    const second = idea({ impact: 8, confidence: 8, ease: 8 }, { primaryMetric: 'newsletter.open_rate' });

    const plan = planLoop({ backlog: [first, second], scheduled: [], target: 3, now: NOW });

    expect(plan.toStart.map((e) => e.id)).toEqual([first.id]);
    expect(plan.ranked[1].blockedBy?.experimentId).toBe(first.id);
  });

  it('treats engine-qualified citation metrics as one metric', () => {
    expect(metricFamily('citations.citation_rate:perplexity')).toBe('citations.citation_rate');
    const item = idea({ impact: 5, confidence: 5, ease: 5 }, { primaryMetric: 'citations.citation_rate:openai' });
    const plan = planLoop({ backlog: [item], scheduled: [running('citations.citation_rate:perplexity')], target: 3, now: NOW });
    expect(plan.toStart).toEqual([]);
    expect(plan.state).toBe('blocked');
  });

  it('holds back an item whose window would overlap a planned experiment on its metric, not one that ends before', () => {
    const planned = anExperiment({ id: 'exp_planned', status: 'planned', primaryMetric: 'newsletter.open_rate', start: '2026-11-17T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' });
    const long = idea({ impact: 9, confidence: 9, ease: 9 }, { primaryMetric: 'newsletter.open_rate', durationDays: 14 });
    expect(planLoop({ backlog: [long], scheduled: [planned], target: 3, now: NOW }).toStart).toEqual([]);

    const later = { ...planned, start: '2026-12-10T00:00:00.000Z', end: '2026-12-24T00:00:00.000Z' };
    expect(planLoop({ backlog: [long], scheduled: [later], target: 3, now: NOW }).toStart.map((e) => e.id)).toEqual([long.id]);
  });

  it('starts nothing when the target is reached', () => {
    const plan = planLoop({ backlog: [idea({ impact: 9, confidence: 9, ease: 9 })], scheduled: [running('newsletter.open_rate')], target: 1, now: NOW });
    expect(plan).toMatchObject({ free: 0, toStart: [], state: 'full' });
  });

  it('says so when the backlog is empty and fewer than the target run', () => {
    const plan = planLoop({ backlog: [], scheduled: [running('x.follower_growth_rate')], target: 3, now: NOW });
    expect(plan.state).toBe('backlog_empty');
    expect(plan.message).toMatch(/1 of 3 experiments running and the backlog is empty/);
  });

  it('promises no scheduler run when nothing runs on a schedule, and says how to start the idea', () => {
    const input = { backlog: [idea({ impact: 6, confidence: 7, ease: 9 }, { primaryMetric: 'newsletter.open_rate' })], scheduled: [], target: 3, now: NOW };

    const scheduled = planLoop(input);
    const unscheduled = planLoop({ ...input, schedulesRun: false });

    expect(scheduled.message).toBe('0 of 3 experiments running; the next scheduler run starts 1 from the backlog.');
    expect(unscheduled.state).toBe('ready');
    expect(unscheduled.message).not.toMatch(/next scheduler run starts/);
    expect(unscheduled.message).toMatch(/nothing runs on a schedule \(--no-schedule\): start one with `verdict backlog start`/);
  });
});
