/** The demo is pinned: on any day it tells the story the README tells, with the same numbers. */
import { DEMO_ANCHOR, demoToday, seedDemo } from '../../../functions/local/demo';
import type { LocalRuntime } from '../../../functions/local/runtime';
import { startTestRuntime } from '../../support/local-runtime';

const DAY = 86_400_000;

async function demoVerdictsOn(now: Date) {
  const runtime: LocalRuntime = await startTestRuntime();
  try {
    const result = await seedDemo(runtime.stores, now);
    const stores = runtime.stores;
    const rows = [];
    for (const e of result.experiments) {
      const v = await stores.experiments.getVerdict(e.id);
      rows.push({
        name: e.name,
        startsDaysBeforeDemoToday: (demoToday(now) - Date.parse(e.start!)) / DAY,
        decision: v?.decision ?? 'running',
        effect: v?.effect ?? null,
        expected: v?.expectedValue ?? null,
        window: v?.windowValue ?? null,
      });
    }
    return rows;
  } finally {
    await runtime.close();
  }
}

describe('the demo', () => {
  it("moves its calendar in whole weeks from the anchor, never past today", () => {
    expect(demoToday(new Date(DEMO_ANCHOR + 5 * 3_600_000))).toBe(DEMO_ANCHOR);
    expect(demoToday(new Date(DEMO_ANCHOR + 13 * DAY))).toBe(DEMO_ANCHOR + 7 * DAY);
    expect(demoToday(new Date(DEMO_ANCHOR - DAY))).toBe(DEMO_ANCHOR - 7 * DAY);
    expect(new Date(demoToday(new Date())).getUTCDay()).toBe(new Date(DEMO_ANCHOR).getUTCDay());
  });

  it('scores the same verdicts, to the last digit, whatever day it runs', async () => {
    const onAnchor = await demoVerdictsOn(new Date(DEMO_ANCHOR + 9 * 3_600_000));
    const weeksLaterOnAnotherWeekday = await demoVerdictsOn(new Date(DEMO_ANCHOR + 38 * 7 * DAY + 5 * DAY + 20 * 3_600_000));
    expect(onAnchor.map((r) => r.decision)).toEqual(['keep', 'discard', 'discard', 'running']);
    expect(weeksLaterOnAnotherWeekday).toEqual(onAnchor);
  });
});
