/** Lengthening a window before it ends, and the raised bar that keeps peeking honest. */
import { confidenceAfterExtensions, extendExperiment } from '../../../functions/domain/experiment';
import { anExperiment } from '../../support/factories';

const NOW = new Date('2026-11-10T00:00:00.000Z');
const running = anExperiment({ status: 'running', start: '2026-11-01T00:00:00.000Z', end: '2026-11-15T00:00:00.000Z', durationDays: 14 });

describe('extendExperiment', () => {
  it('moves the end, records the extension and keeps the start', () => {
    const out = extendExperiment(running, 14, NOW);
    expect(out.kind).toBe('ok');
    if (out.kind !== 'ok') return;
    expect(out.experiment).toMatchObject({ start: running.start, end: '2026-11-29T00:00:00.000Z', durationDays: 28 });
    expect(out.experiment.extensions).toEqual([{ at: NOW.toISOString(), days: 14, fromEnd: running.end, toEnd: '2026-11-29T00:00:00.000Z' }]);
  });

  it('refuses once the window has ended, and beyond 84 days', () => {
    expect(extendExperiment(running, 7, new Date('2026-11-15T00:00:00.000Z')).kind).toBe('conflict');
    expect(extendExperiment(running, 71, NOW).kind).toBe('invalid');
    expect(extendExperiment({ ...running, status: 'concluded' }, 7, NOW).kind).toBe('conflict');
  });

  it('raises the bar by Bonferroni over the possible ends', () => {
    expect(confidenceAfterExtensions(0.95, 0)).toBe(0.95);
    expect(confidenceAfterExtensions(0.95, 1)).toBeCloseTo(0.975, 12);
    expect(confidenceAfterExtensions(0.9, 2)).toBeCloseTo(1 - 0.1 / 3, 12);
  });
});
