/** The experiment lifecycle: legal transitions, what each status lets a user change, and why not. */
import {
  abandonExperiment, canTransition, checkDeletable, newBacklogItem, promoteIfStarted, startExperiment, updateExperiment,
  BacklogItemSchema, EXPERIMENT_STATUSES, type Experiment, type LifecycleOutcome,
} from '../../../functions/domain/experiment';
import { anExperiment } from '../../support/factories';

const NOW = new Date('2026-11-10T12:00:00.000Z');
const DAY = 86_400_000;

function ok(outcome: LifecycleOutcome): Experiment {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.experiment;
}

const aBacklogItem = (overrides: Partial<Experiment> = {}) =>
  ({ ...newBacklogItem(BacklogItemSchema.parse({ name: 'Idea', hypothesis: 'It helps', primaryMetric: 'x.follower_growth_rate' }), 'exp_idea', new Date('2026-11-01T00:00:00Z')), ...overrides });

describe('transitions', () => {
  it.each([
    ['backlog', 'planned', true], ['backlog', 'running', true], ['backlog', 'abandoned', true], ['backlog', 'concluded', false],
    ['planned', 'running', true], ['planned', 'abandoned', true], ['planned', 'backlog', false],
    ['running', 'concluded', true], ['running', 'abandoned', true], ['running', 'planned', false],
  ] as const)('%s → %s is %s', (from, to, legal) => {
    expect(canTransition(from, to)).toBe(legal);
  });

  it('treats concluded and abandoned as final', () => {
    for (const to of EXPERIMENT_STATUSES) {
      expect(canTransition('concluded', to)).toBe(false);
      expect(canTransition('abandoned', to)).toBe(false);
    }
  });
});

describe('startExperiment', () => {
  it('starts a backlog item now with its planned duration', () => {
    const started = ok(startExperiment(aBacklogItem({ durationDays: 21 }), NOW, { by: 'loop' }));

    expect(started).toMatchObject({ status: 'running', start: NOW.toISOString(), end: new Date(NOW.getTime() + 21 * DAY).toISOString(), startedBy: 'loop' });
  });

  it('plans a backlog item whose start is in the future', () => {
    expect(ok(startExperiment(aBacklogItem(), NOW, { start: '2026-12-01T00:00:00.000Z' })).status).toBe('planned');
  });

  it('refuses to start anything that is not in the backlog, saying why', () => {
    const outcome = startExperiment(anExperiment({ status: 'running' }), NOW);
    expect(outcome).toEqual({ kind: 'conflict', reason: expect.stringMatching(/from running to running: it is already scheduled/) });
  });
});

describe('promoteIfStarted', () => {
  it('promotes a planned experiment once its start has passed', () => {
    const planned = anExperiment({ status: 'planned', start: '2026-11-10T00:00:00.000Z', end: '2026-11-24T00:00:00.000Z' });
    expect(promoteIfStarted(planned, NOW)?.status).toBe('running');
  });

  it('leaves a future or already-ended planned experiment alone', () => {
    expect(promoteIfStarted(anExperiment({ status: 'planned', start: '2026-11-11T00:00:00.000Z', end: '2026-11-25T00:00:00.000Z' }), NOW)).toBeUndefined();
    expect(promoteIfStarted(anExperiment({ status: 'planned', start: '2026-10-01T00:00:00.000Z', end: '2026-10-15T00:00:00.000Z' }), NOW)).toBeUndefined();
  });
});

describe('abandonExperiment', () => {
  it('keeps the record, stamps when and why', () => {
    const abandoned = ok(abandonExperiment(anExperiment({ status: 'running' }), NOW, 'channel shut down'));
    expect(abandoned).toMatchObject({ status: 'abandoned', abandonedAt: NOW.toISOString(), abandonReason: 'channel shut down', start: '2026-11-01T00:00:00.000Z' });
  });

  it('refuses once the window has ended: the verdict is due', () => {
    const outcome = abandonExperiment(anExperiment({ status: 'running', end: '2026-11-09T00:00:00.000Z' }), NOW);
    expect(outcome.kind).toBe('conflict');
    expect((outcome as { reason: string }).reason).toMatch(/verdict is due/);
  });

  it.each(['concluded', 'abandoned'] as const)('refuses a %s experiment', (status) => {
    expect(abandonExperiment(anExperiment({ status }), NOW).kind).toBe('conflict');
  });
});

describe('checkDeletable', () => {
  it.each(['backlog', 'planned'] as const)('lets a %s experiment be deleted', (status) => {
    expect(checkDeletable(anExperiment({ status }))).toEqual({ ok: true });
  });

  it('points a running experiment to abandon instead', () => {
    expect(checkDeletable(anExperiment({ status: 'running' }))).toEqual({ ok: false, reason: expect.stringMatching(/abandon it instead/) });
  });
});

describe('updateExperiment', () => {
  const planned = anExperiment({ status: 'planned', start: '2026-12-01T00:00:00.000Z', end: '2026-12-15T00:00:00.000Z', durationDays: 14 });

  it('shifts a planned window keeping its length when only the start changes', () => {
    const moved = ok(updateExperiment(planned, { start: '2026-12-08T00:00:00.000Z' }, NOW));
    expect(moved).toMatchObject({ status: 'planned', start: '2026-12-08T00:00:00.000Z', end: '2026-12-22T00:00:00.000Z', durationDays: 14, createdAt: planned.createdAt, updatedAt: NOW.toISOString() });
  });

  it('re-validates the window like a create', () => {
    const outcome = updateExperiment(planned, { durationDays: 7, end: '2026-12-30T00:00:00.000Z' }, NOW);
    expect(outcome.kind).toBe('invalid');
    expect((outcome as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain('end');
  });

  it('makes a planned experiment running when its new start has passed', () => {
    expect(ok(updateExperiment(planned, { start: '2026-11-09T00:00:00.000Z' }, NOW)).status).toBe('running');
  });

  it('updates the ICE score of a backlog item but refuses a window', () => {
    const item = aBacklogItem();
    expect(ok(updateExperiment(item, { iceScore: { impact: 9, confidence: 5, ease: 7 } }, NOW)).iceScore).toEqual({ impact: 9, confidence: 5, ease: 7 });
    expect(updateExperiment(item, { start: '2026-12-01' }, NOW)).toEqual({ kind: 'conflict', reason: expect.stringMatching(/start it/) });
  });

  it('refuses any change to a running experiment', () => {
    expect(updateExperiment(anExperiment({ status: 'running' }), { name: 'Renamed' }, NOW)).toEqual({ kind: 'conflict', reason: expect.stringMatching(/while it is running/) });
  });

  it('accepts learnings only after the verdict', () => {
    const concluded = anExperiment({ status: 'concluded' });
    expect(ok(updateExperiment(concluded, { learnings: 'Threads work on weekdays only' }, NOW)).learnings).toBe('Threads work on weekdays only');
    expect(updateExperiment(concluded, { name: 'x' }, NOW).kind).toBe('conflict');
    expect(updateExperiment(planned, { learnings: 'too early' }, NOW)).toEqual({ kind: 'conflict', reason: expect.stringMatching(/after the verdict/) });
  });
});
