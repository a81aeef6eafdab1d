/**
 * Issue 14.7 (dates) — every place that shows a window names the same last day for it. `end` is
 * exclusive, so a window ending 2026-12-13T00:00Z last covers Saturday 12 December: the CLI list and
 * show (windowText), the `start --demo` table, the dashboard and the digest must all say the 12th.
 */
import { windowText } from '../../../functions/cli/format';
import { demoTableRow } from '../../../functions/cli/start-command';
import { formatWindow } from '../../../functions/dashboard/app/format';
import { buildDigest } from '../../../functions/domain/digest';
import { anExperiment } from '../../support/factories';
import { seededWeek } from '../digest/digest-fixtures';

const window = anExperiment({ id: 'exp_lastday', name: 'Two-week window', start: '2026-11-29T00:00:00.000Z', end: '2026-12-13T00:00:00.000Z', durationDays: 14 });
const now = new Date('2026-12-04T12:00:00.000Z');

it('the CLI, the demo table, the dashboard and the digest all name Saturday 12 December', () => {
  const digest = buildDigest(seededWeek({ week: '2026-W49', now, schedule: { day: 'FRI', hour: 16, timeZone: 'UTC' }, running: [{ experiment: window }], concluded: [] }));
  const digestLine = digest.sections.find((s) => s.id === 'running')!.items.find((i) => i.label === window.name)!.text;
  const demoRow = demoTableRow(window, undefined).join(' | ');

  expect(windowText(window.start, window.end)).toBe('2026-11-29 → 2026-12-12');
  expect(demoRow).toContain('2026-11-29 → 2026-12-12');
  expect(demoRow).not.toContain('2026-12-13');
  expect(formatWindow(window.start, window.end, now)).toMatch(/12 Dec$/);
  expect(digestLine).toMatch(/Sat 12 Dec/);
  expect(digestLine).not.toMatch(/13 Dec/);
});
