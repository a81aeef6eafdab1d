/** What a script's `verdict new` says when the plan warns: a --days value only when one the CLI accepts would do. */
import { planRefusal } from '../../functions/cli/new-command';

const underpowered = { code: 'underpowered' as const, message: 'A 14-day window has 42 % power for +50 %.' };

describe('verdict new refusing on a warning plan', () => {
  it('names the window that reaches 80 % when it is 42 days or less', () => {
    expect(planRefusal({ warnings: [underpowered], windowForTarget: 35 })).toBe(
      'The plan warns (underpowered); nothing created. Pass --yes to create it anyway, or give --days 35.',
    );
  });

  it('does not suggest changing --days when no accepted window would reach 80 %', () => {
    for (const windowForTarget of [64, null]) {
      const text = planRefusal({ warnings: [underpowered], windowForTarget });
      expect(text).toBe('The plan warns (underpowered); nothing created. Pass --yes to create it anyway: no window of up to 42 days reaches 80 % power here.');
    }
  });

  it('points an overlap at the start date', () => {
    const overlap = { code: 'overlapping_experiment' as const, message: 'Another experiment on the same metric overlaps this window.' };
    expect(planRefusal({ warnings: [overlap], windowForTarget: 10 })).toBe('The plan warns (overlapping_experiment); nothing created. Pass --yes to create it anyway, or move --start.');
  });
});
