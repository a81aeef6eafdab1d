/** `verdict health`: collection per source, the scorer, and the loop (running vs target, backlog). */
import type { CollectionRun, JobRun } from '../store/run-store';
import { CONNECTION_HELP, defineCommand } from './command';
import { EXIT } from './exit-codes';
import { relativeTime, table } from './format';

export const HEALTH_HELP = `Usage: verdict health [--json]

Shows each enabled source's last collection (outcome, when, next slot, rate-limit pauses), the
scorer's last run, and how many experiments run against the target — and says so when the backlog
is empty and the loop cannot keep itself full.

${CONNECTION_HELP}

Example:
  verdict health`;

interface Health {
  now: string;
  /** Absent from older APIs: then the schedules run. */
  schedule?: { running: boolean };
  sources: { source: string; lastRun: CollectionRun | null; recentFailures: number; missedSlots: string[]; nextSlot: string | null; pausedUntil: string | null; pauseReason: string | null }[];
  scorer: { lastRun: JobRun | null; nextSlot: string | null };
  loop: { running: number; planned: number; backlog: number; target: number; state: string; backlogEmpty: boolean; message: string; nextFill: string | null };
}

export const healthCommand = defineCommand({ name: 'health', help: HEALTH_HELP }, async (ctx) => {
  const h = await ctx.api.get<Health>('/health');
  if (ctx.json) { ctx.printJson(h); return EXIT.ok; }
  const { p } = ctx;
  const now = new Date(h.now);
  const scheduled = h.schedule?.running !== false;
  const next = (iso: string | null) => (scheduled && iso !== null ? relativeTime(iso, now) : p.dim('not scheduled'));
  if (h.sources.length === 0) ctx.out('No sources enabled (config sources.<name>.enabled).');
  else {
    ctx.out(table(['Source', 'Last run', 'Outcome', 'Observations', 'Failures', 'Missed slots', 'Next slot', 'Paused'], h.sources.map((s) => [
      s.source,
      s.lastRun ? relativeTime(s.lastRun.startedAt, now) : p.dim('never'),
      s.lastRun ? (s.lastRun.outcome === 'ok' ? p.green('ok') : s.lastRun.outcome === 'failed' ? p.red('failed') : p.yellow(s.lastRun.outcome)) : '—',
      s.lastRun ? String(s.lastRun.observations) : '—',
      s.recentFailures > 0 ? p.red(String(s.recentFailures)) : '0',
      s.missedSlots.length > 0 ? p.yellow(`${s.missedSlots.length} (last ${relativeTime(s.missedSlots[s.missedSlots.length - 1], now)})`) : '0',
      next(s.nextSlot),
      s.pausedUntil ? p.yellow(`${s.pauseReason ?? 'paused'} until ${relativeTime(s.pausedUntil, now)}`) : '—',
    ]), p));
  }
  const scorer = h.scorer.lastRun;
  ctx.out(`Scorer: ${scorer ? `last run ${relativeTime(scorer.startedAt, now)} (${scorer.outcome === 'ok' ? p.green('ok') : p.red(scorer.outcome)})` : p.dim('not run yet')}, ${scheduled && h.scorer.nextSlot !== null ? `next ${relativeTime(h.scorer.nextSlot, now)}` : 'not scheduled'}.`);
  if (!scheduled) ctx.out(p.yellow(`        Nothing runs on a schedule (started with --no-schedule): 'verdict collect' collects now; restart without --no-schedule to score and fill the loop.`));
  ctx.out(`Loop:   ${h.loop.running} of ${h.loop.target} running, ${h.loop.planned} planned, ${h.loop.backlog} in the backlog.`);
  const attention = h.loop.state === 'backlog_empty' || h.loop.state === 'blocked';
  ctx.out(attention ? p.yellow(`        ${h.loop.message}`) : p.dim(`        ${h.loop.message}`));
  return EXIT.ok;
});
