/** A newsletter rate judged while the list was cleaned is never kept, and the verdict says why. */
import { scoreExperiment } from '../../../functions/domain/scoring/score-experiment';
import type { Observation } from '../../../functions/domain/observation';
import { aScoredExperiment, SCORED_AT } from './factories';

const DAY = 86_400_000;

/** Three sends a week from 2025-02-03; from the window on, `windowDelivered` per send and `windowOpens`. */
function sends(windowDelivered: number, windowOpens: number): Observation[] {
  const out: Observation[] = [];
  const start = Date.parse('2025-02-03T14:00:00Z');
  for (let d = 0; d < 42; d++) {
    if (![0, 2, 4].includes(d % 7)) continue;
    const inWindow = d >= 28;
    const sentAt = new Date(start + d * DAY).toISOString();
    const delivered = inWindow ? windowDelivered : 2000;
    const opens = inWindow ? windowOpens + (d % 3) * 5 : 600 + (d % 3) * 10;
    out.push({ metric: 'newsletter.send', id: `s${d}`, sentAt, delivered, opens, clicks: 30, at: new Date(start + d * DAY + 40 * 3_600_000).toISOString(), source: 'beehiiv' });
  }
  return out;
}

describe('moving denominator', () => {
  const experiment = aScoredExperiment({ primaryMetric: 'newsletter.open_rate' });

  it('refuses to keep an open rate that rose because inactive subscribers were removed', () => {
    // 800 inactive readers removed at the window's start: the same 600 opens over 1200 delivered.
    const verdict = scoreExperiment(experiment, sends(1200, 600), { now: SCORED_AT });

    expect(verdict.windowValue! / verdict.expectedValue!).toBeGreaterThan(1.5);
    expect(verdict).toMatchObject({ decision: 'discard', outcome: 'inconclusive' });
    expect(verdict.warnings.map((w) => w.code)).toContain('moving_denominator');
    expect(verdict.summary).toMatch(/Inconclusive, so not kept: Delivered per send fell 40 % \(2000 → 1200\)/);
  });

  it('keeps a real lift on a steady list', () => {
    const verdict = scoreExperiment(experiment, sends(2000, 900), { now: SCORED_AT });
    expect(verdict.decision).toBe('keep');
    expect(verdict.warnings.map((w) => w.code)).not.toContain('moving_denominator');
  });
});
