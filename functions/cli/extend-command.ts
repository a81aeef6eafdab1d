/**
 * `verdict extend ID --days N`: lengthen a running window before it ends (the verdict's bar rises for
 * it); `verdict rerun ID`: after a verdict, start a follow-up with the window the verdict says would
 * decide it.
 */
import type { Experiment } from '../domain/experiment';
import type { Verdict } from '../domain/verdict';
import { CONNECTION_HELP, defineCommand, str, UsageError } from './command';
import { EXIT } from './exit-codes';
import { planLines, whenText, windowText } from './format';

export const EXTEND_HELP = `Usage: verdict extend ID --days N [--json]

Lengthens a planned or running experiment's window by N days before it ends (up to 84 days in all).
The extension is recorded and the verdict's bar is raised for it: after k extensions a keep needs
P(improvement) ≥ 1 − (1 − confidence)/(k + 1) (97.5 % after one, at the default 95 %), so extending
because the interim looked promising cannot make false keeps more likely. A switchback's added days get
their own random schedule, drawn from a seed derived from the stored one (the days already scheduled
stay as they were; 'verdict today' and the calendar feed show the new ones).

${CONNECTION_HELP}

Example:
  verdict extend exp_k3m9x2q7ab --days 14`;

export const extendCommand = defineCommand({
  name: 'extend', help: EXTEND_HELP, positionals: ['ID'], options: { days: { type: 'string' } },
}, async (ctx) => {
  const raw = str(ctx.values, 'days');
  const days = Number(raw);
  if (raw === undefined || !Number.isInteger(days) || days < 1) throw new UsageError('Give --days N, a whole number of days to add');
  const e = await ctx.api.post<Experiment>(`/experiments/${encodeURIComponent(ctx.positionals[0])}/extend`, { days });
  if (ctx.json) { ctx.printJson(e); return EXIT.ok; }
  const k = e.extensions?.length ?? 1;
  const bar = (1 - (1 - e.decision.confidence) / (k + 1)) * 100;
  ctx.out(`${ctx.p.green('✔')} ${e.id} “${e.name}” now runs ${windowText(e.start, e.end)} (${e.durationDays} days), ${whenText(e, ctx.now)}.`);
  ctx.out(ctx.p.dim(`  Extended ${k === 1 ? 'once' : `${k} times`}: a keep now needs ${bar.toFixed(1)} % probability of improvement.`));
  const stretch = e.switchback?.stretches?.at(-1);
  if (e.switchback && stretch) {
    const added = e.switchback.schedule.slice(stretch.from).filter((d) => !d.washout);
    const t = added.filter((d) => d.arm === 'treatment').length;
    ctx.out(ctx.p.dim(`  Switchback: ${t} treatment and ${added.length - t} control days added (seed ${stretch.seed}, derived from ${e.switchback.seed}) · 'verdict today' says what to do each day`));
  }
  return EXIT.ok;
});

export const RERUN_HELP = `Usage: verdict rerun ID [--days N] [--start WHEN] [--json]

After a verdict, creates a follow-up experiment with the same hypothesis and metric, starting now
(or --start), with the window the verdict says would decide it (its detectable.extraDaysForTarget
added to the old window, at most 42 days), or --days N. The plan is printed as for verdict new.

${CONNECTION_HELP}

Example:
  verdict rerun exp_k3m9x2q7ab`;

export const rerunCommand = defineCommand({
  name: 'rerun', help: RERUN_HELP, positionals: ['ID'], options: { days: { type: 'string' }, start: { type: 'string' } },
}, async (ctx) => {
  const id = encodeURIComponent(ctx.positionals[0]);
  const e = await ctx.api.get<Experiment & { verdict?: Verdict }>(`/experiments/${id}`);
  if (e.status !== 'concluded' || !e.verdict) throw new UsageError(`${e.id} has no verdict yet (it is ${e.status}); extend it instead: verdict extend ${e.id} --days N`);
  const extra = e.verdict.detectable?.extraDaysForTarget;
  const suggested = Math.min(42, Math.max(7, e.durationDays + (extra ?? 0)));
  const raw = str(ctx.values, 'days');
  const durationDays = raw === undefined ? suggested : Number(raw);
  if (!Number.isInteger(durationDays) || durationDays < 7 || durationDays > 42) throw new UsageError('--days must be a whole number from 7 to 42');
  const start = str(ctx.values, 'start') ?? ctx.now.toISOString();
  const body = {
    name: `${e.name} (rerun)`.slice(0, 200), hypothesis: e.hypothesis, primaryMetric: e.primaryMetric, decision: e.decision,
    start: start === 'now' ? ctx.now.toISOString() : start, durationDays,
    ...(e.channel && { channel: e.channel }), ...(e.tags && { tags: e.tags }),
    // The follow-up keeps the design (a fresh random seed: the same schedule again would not be a new draw).
    ...(e.design === 'switchback' && e.switchback && {
      design: e.design, switchback: { blockDays: e.switchback.blockDays, washoutDays: e.switchback.washoutDays, timeZone: e.switchback.timeZone },
    }),
    ...(e.design === 'post_variants' && e.postVariants && { design: e.design, postVariants: { arms: e.postVariants.arms, markerPrefix: e.postVariants.markerPrefix } }),
  };
  const created = await ctx.api.post<Experiment>('/experiments', body);
  if (ctx.json) { ctx.printJson(created); return EXIT.ok; }
  ctx.out(`${ctx.p.green('✔')} Created ${ctx.p.bold(created.id)}  “${created.name}” · ${durationDays} days${raw === undefined && extra ? ` (the verdict said ${extra} more days would detect +${Math.round((e.verdict.detectable?.targetLift ?? 0.5) * 100)} %)` : ''}`);
  ctx.out(`  ${created.status} · ${created.primaryMetric} · ${windowText(created.start, created.end)} · ${whenText(created, ctx.now)}`);
  if (created.plan) for (const line of planLines(created.plan, ctx.p)) ctx.out(line);
  return EXIT.ok;
});
