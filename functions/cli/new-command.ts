/** `verdict new`: create a scheduled experiment — prompts on a terminal, flags otherwise. */
import type { Experiment } from '../domain/experiment';
import { CONNECTION_HELP, defineCommand, str, UsageError } from './command';
import { EXIT } from './exit-codes';
import { DESCRIBE_HELP, DESCRIBE_OPTIONS, gatherDescribed, parseStart } from './experiment-input';
import { whenText, windowText } from './format';

export const NEW_HELP = `Usage: verdict new [options]

Creates an experiment with a fixed window and one primary metric. On a terminal it asks for
anything you leave out (the metric is chosen from the catalog); in scripts give the flags.
For an idea without a date, use 'verdict backlog add' and let the loop start it.

${DESCRIBE_HELP}
  --start WHEN           now (default), today, tomorrow, YYYY-MM-DD or an ISO date-time
  --end DATE             instead of --days: the window's exclusive end
  --json                 print the created experiment as JSON

${CONNECTION_HELP}

Example:
  verdict new --name "Daily build-in-public thread" \\
    --hypothesis "A daily thread about what we shipped grows followers faster" \\
    --metric x.follower_growth_rate --start tomorrow --days 14 --min-lift 10`;

export const newCommand = defineCommand({
  name: 'new',
  help: NEW_HELP,
  options: { ...DESCRIBE_OPTIONS, start: { type: 'string' }, end: { type: 'string' } },
}, async (ctx) => {
  const end = str(ctx.values, 'end');
  if (end && str(ctx.values, 'days')) throw new UsageError('Give --days or --end, not both');
  const { described, prompter } = await gatherDescribed(ctx.values, ctx.io, ctx.api, { askIce: false });
  try {
    let startRaw = str(ctx.values, 'start');
    if (prompter && startRaw === undefined) startRaw = await prompter.ask('Start (now, today, tomorrow or YYYY-MM-DD)', { default: 'now' });
    const { durationDays, ...rest } = described;
    const body = { ...rest, start: parseStart(startRaw, ctx.now), ...(end ? { end: parseStart(end, ctx.now) } : { durationDays: durationDays ?? 14 }) };
    if (prompter && !(await prompter.confirm(`Create "${body.name}" on ${body.primaryMetric}?`, true))) {
      ctx.out('Nothing created.');
      return EXIT.ok;
    }
    const created = await ctx.api.post<Experiment>('/experiments', body);
    if (ctx.json) { ctx.printJson(created); return EXIT.ok; }
    const { p } = ctx;
    ctx.out(`${p.green('✔')} Created ${p.bold(created.id)}  “${created.name}”`);
    ctx.out(`  ${created.status} · ${created.primaryMetric} · ${windowText(created.start, created.end)} · ${whenText(created, ctx.now)}`);
    ctx.out(p.dim(`  Next: verdict show ${created.id}`));
    return EXIT.ok;
  } finally {
    prompter?.close();
  }
});
