/** `verdict new`: create a scheduled experiment — prompts on a terminal, flags otherwise. */
import type { Experiment } from '../domain/experiment';
import { ApiError } from './api-client';
import { backdateNotice, startProblem } from './answer-checks';
import { CONNECTION_HELP, defineCommand, str, UsageError } from './command';
import { EXIT } from './exit-codes';
import { DESCRIBE_HELP, DESCRIBE_OPTIONS, gatherDescribed, parseStart } from './experiment-input';
import { planLines, planNeedsConfirmation, whenText, windowText } from './format';
import type { StoredPlan } from '../domain/planning/stored-plan';
import { canReask, reaskRejected, type CreateBody } from './reask-rejected';

export const NEW_HELP = `Usage: verdict new [options]

Creates an experiment with a fixed window and one primary metric. On a terminal it asks for
anything you leave out (the metric is chosen from the catalog); in scripts give the flags.
For an idea without a date, use 'verdict backlog add' and let the loop start it.

${DESCRIBE_HELP}
  --start WHEN           now (default), today, tomorrow, YYYY-MM-DD or an ISO date-time
  --end DATE             instead of --days: the window's exclusive end
  --baseline-days N      compare against the N days before the start (default: the history there
                         is, up to 8 weeks, cut at another experiment or a level shift)
  --baseline-from DATE   instead of --baseline-days: the baseline runs from DATE to the start
  --yes                  create even when the plan warns (the window cannot detect +50 %, or an
                         experiment on the same metric overlaps it); on a terminal you are asked
  --backdate             allow a start before today (past days count as experiment days; a window
                         already over is judged at the scorer's next run); asked on a terminal
  --json                 print the created experiment as JSON

${CONNECTION_HELP}

Example:
  verdict new --name "Daily build-in-public thread" \\
    --hypothesis "A daily thread about what we shipped grows followers faster" \\
    --metric x.follower_growth_rate --start tomorrow --days 14 --min-lift 10`;

export const newCommand = defineCommand({
  name: 'new',
  help: NEW_HELP,
  options: {
    ...DESCRIBE_OPTIONS, start: { type: 'string' }, end: { type: 'string' }, backdate: { type: 'boolean' },
    'baseline-days': { type: 'string' }, 'baseline-from': { type: 'string' }, yes: { type: 'boolean' },
  },
}, async (ctx) => {
  const end = str(ctx.values, 'end');
  if (end && str(ctx.values, 'days')) throw new UsageError('Give --days or --end, not both');
  const { described, prompter } = await gatherDescribed(ctx.values, ctx.io, ctx.api, { askIce: false });
  try {
    const askStart = (question: string) => prompter!.ask(question, { default: 'now', validate: (a) => startProblem(parseStart(a, ctx.now)) });
    let startRaw = str(ctx.values, 'start');
    if (prompter && startRaw === undefined) startRaw = await askStart('Start (now, today, tomorrow or YYYY-MM-DD)');
    const { durationDays, ...rest } = described;
    const body: CreateBody = { ...rest, start: parseStart(startRaw, ctx.now), ...(end ? { end: parseStart(end, ctx.now) } : { durationDays: durationDays ?? 14 }) };
    const badStart = startProblem(body.start) ?? (end ? startProblem(String(body.end)) : undefined);
    if (badStart) throw new UsageError(badStart.replace(/^"/, end && !startProblem(body.start) ? '--end "' : '--start "'));
    // A start in the past credits past days to the experiment (or has it judged at once): say so first.
    const windowEnd = () => String(body.end ?? new Date(Date.parse(body.start) + Number(body.durationDays) * 86_400_000).toISOString());
    const notice = backdateNotice(body.start, windowEnd(), ctx.now);
    if (notice && !ctx.values.backdate) {
      if (!prompter) throw new UsageError(`${notice} Pass --backdate to create it anyway.`);
      ctx.out(notice);
      if (!(await prompter.confirm('Create it with this past start?', false))) {
        ctx.out('Nothing created. Give a start of today or later, or answer yes to backdate it.');
        return EXIT.ok;
      }
    }
    const baselineDays = str(ctx.values, 'baseline-days');
    const baselineFrom = str(ctx.values, 'baseline-from');
    if (baselineDays && baselineFrom) throw new UsageError('Give --baseline-days or --baseline-from, not both');
    if (baselineDays !== undefined) {
      const n = Number(baselineDays);
      if (!Number.isInteger(n) || n < 7 || n > 365) throw new UsageError(`--baseline-days "${baselineDays}": give whole days, 7 to 365`);
      body.baseline = { start: new Date(Date.parse(body.start) - n * 86_400_000).toISOString(), end: body.start };
    }
    if (baselineFrom !== undefined) body.baseline = { start: parseStart(baselineFrom, ctx.now), end: body.start };
    // The plan first: what this window can detect on this account, and what would stop it telling.
    let plan: StoredPlan | undefined;
    // Randomized designs compare arms inside the window: the before/after plan does not describe them.
    const randomized = body.design === 'switchback' || body.design === 'post_variants';
    if (!randomized && (!ctx.json || !ctx.values.yes)) {
      try {
        plan = await ctx.api.post<StoredPlan>('/experiments/plan', body);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) plan = undefined; // an older API without planning
        else if (!(err instanceof ApiError && err.status === 400)) throw err; // a bad body is reported by the create below
      }
    }
    if (plan && !ctx.json) for (const line of planLines(plan, ctx.p)) ctx.out(line);
    if (plan && !prompter && planNeedsConfirmation(plan) && !ctx.values.yes) {
      throw new UsageError(planRefusal(plan));
    }
    if (prompter && !(await prompter.confirm(`Create "${body.name}" on ${body.primaryMetric}${plan && planNeedsConfirmation(plan) ? ' anyway' : ''}?`, true))) {
      ctx.out('Nothing created.');
      return EXIT.ok;
    }
    let created: Experiment | undefined;
    for (let attempt = 0; !created; attempt++) {
      try {
        created = await ctx.api.post<Experiment>('/experiments', body);
      } catch (err) {
        // On a terminal the rejected fields are asked again, in words; every other answer is kept.
        const issues = err instanceof ApiError && err.status === 400 ? (err.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [] : [];
        if (!prompter || attempt >= 3 || !canReask(issues)) throw err;
        await reaskRejected(issues, body, { prompter, api: ctx.api, now: ctx.now, out: ctx.out });
      }
    }
    if (ctx.json) { ctx.printJson(created); return EXIT.ok; }
    const { p } = ctx;
    ctx.out(`${p.green('✔')} Created ${p.bold(created.id)}  “${created.name}”`);
    ctx.out(`  ${created.status} · ${created.primaryMetric} · ${windowText(created.start, created.end)} · ${whenText(created, ctx.now)}`);
    if (created.design === 'switchback' && created.switchback) {
      const t = created.switchback.schedule.filter((d) => d.arm === 'treatment').length;
      const balanced = created.switchback.balancedAgainst?.map((b) => b.experimentId) ?? [];
      const drawn = balanced.length ? `drawn at random, half on each arm of ${balanced.join(' and ')} (same metric)` : 'drawn at random';
      ctx.out(`  switchback · seed ${created.switchback.seed} · ${t} treatment and ${created.switchback.schedule.length - t} control days, ${drawn} · 'verdict today' says what to do each day`);
    }
    if (created.design === 'post_variants' && created.postVariants) {
      ctx.out(`  post variants · arms ${created.postVariants.arms.join(' / ')} · before each post: verdict next-post ${created.id}`);
    }
    ctx.out(p.dim(`  Next: verdict show ${created.id}`));
    return EXIT.ok;
  } finally {
    prompter?.close();
  }
});

/**
 * Why a script's `verdict new` created nothing, and what would change that: --days N when a window the
 * CLI accepts (≤ 42 days) reaches 80 % power, else only --yes (no --days value would help).
 */
export function planRefusal(plan: Pick<StoredPlan, 'warnings' | 'windowForTarget'>): string {
  const head = `The plan warns (${plan.warnings.map((w) => w.code).join(', ')}); nothing created. Pass --yes to create it anyway`;
  if (!plan.warnings.some((w) => w.code === 'underpowered')) return `${head}, or move --start.`;
  return plan.windowForTarget !== null && plan.windowForTarget <= 42
    ? `${head}, or give --days ${plan.windowForTarget}.`
    : `${head}: no window of up to 42 days reaches 80 % power here.`;
}
