/** GET /health: last collection run per source, the scorer's last run, active experiments vs target. */
import { SOURCE_NAMES } from '../../shared/app-config';
import { nextSlotAfter } from '../../shared/schedules';
import type { Route } from '../router';

export const healthRoutes: Route[] = [
  {
    method: 'GET',
    path: '/health',
    async handle(_req, s) {
      const now = s.now();
      const enabled = SOURCE_NAMES.filter((n) => s.config.sources[n].enabled);
      const sources = await Promise.all(enabled.map(async (name) => {
        const [last, state] = await Promise.all([s.runs.recentRuns(name, 1), s.runs.getSourceState(name)]);
        const cadence = { everyMinutes: s.config.sources[name].everyMinutes };
        return {
          source: name,
          lastRun: last[0] ?? null,
          nextSlot: nextSlotAfter(now, cadence).toISOString(),
          pausedUntil: state?.pausedUntil && state.pausedUntil > now.toISOString() ? state.pausedUntil : null,
          pauseReason: state?.pausedUntil && state.pausedUntil > now.toISOString() ? state.pauseReason : null,
        };
      }));
      const running = await s.experiments.listAll('running');
      return {
        status: 200,
        body: {
          now: now.toISOString(),
          sources,
          scorer: { lastRun: (await s.runs.lastJobRun('scorer')) ?? null, nextSlot: nextSlotAfter(now, s.config.scorer).toISOString() },
          experiments: { running: running.length, target: s.config.loop.targetActive },
        },
      };
    },
  },
];
