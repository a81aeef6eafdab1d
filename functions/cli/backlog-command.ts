/**
 * `verdict backlog add|list|rank|start`: the ideas the loop starts from, highest ICE first, never
 * on a metric already under test.
 */
import type { Experiment } from '../domain/experiment';
import { CONNECTION_HELP, defineCommand, num, parseIce, str, UsageError, type Command } from './command';
import { EXIT } from './exit-codes';
import { DESCRIBE_HELP, DESCRIBE_OPTIONS, gatherDescribed, parseStart } from './experiment-input';
import { planLines, relativeTime, table, whenText, windowText } from './format';
import { createPrompter, isInteractive } from './prompts';
import { truncate } from './list-command';
import type { CliIo } from './io';
import { errorMessage } from '../shared/errors';

interface BacklogView {
  items: { rank: number; ice: number | null; startsNext: boolean; blockedBy?: { experimentId: string; name: string; metric: string; until?: string }; experiment: Experiment }[];
  loop: { running: number; target: number; state: string; message: string; nextRun: string | null };
}

export const BACKLOG_HELP = `Usage: verdict backlog <add|list|rank|start> [options]

The backlog holds ideas without a date. Whenever fewer experiments run than the target
(config loop.targetActive, default 3), the scheduler starts the highest-ICE item whose
primary metric is not already under test — start now, window = its duration.

  add             add an idea (prompts on a terminal, flags otherwise)
  list            the backlog in start order, and what holds items back
  rank [ID]       set an item's ICE score (--ice I,C,E); on a terminal without ID, walk the backlog
  start ID        start an item yourself now (or --start DATE to plan it)

Run 'verdict backlog <subcommand> --help' for its options.

Example:
  verdict backlog add --name "Reply guy week" --hypothesis "Replies bring follows" \
    --metric x.follower_growth_rate --ice 8,5,9
  verdict backlog list`;

const ADD_HELP = `Usage: verdict backlog add [options]

Adds an idea to the backlog. ICE = impact × confidence × ease (each 1–10) decides the order.

${DESCRIBE_HELP}
  --json                 print the backlog item as JSON

${CONNECTION_HELP}

Example:
  verdict backlog add --name "Lead magnet in the X bio" --metric newsletter.subscriber_growth_rate \\
    --hypothesis "Offering the checklist in the bio converts visitors" --ice 7,5,9 --days 21`;

const LIST_HELP = `Usage: verdict backlog list [--json]

The backlog in the order the scheduler starts it, with each item's ICE product, whether the next
run starts it, and which running experiment holds its metric.

${CONNECTION_HELP}

Example:
  verdict backlog list`;

const RANK_HELP = `Usage: verdict backlog rank ID --ice I,C,E [--json]
       verdict backlog rank            (on a terminal: asks for each item, Enter keeps)

Sets a backlog item's ICE score — impact, confidence and ease, each 1–10 — and shows its new rank.

${CONNECTION_HELP}

Example:
  verdict backlog rank exp_k3m9x2q7ab --ice 9,6,8`;

const START_HELP = `Usage: verdict backlog start ID [--start WHEN] [--json]

Starts a backlog item yourself instead of waiting for the loop: now by default, or planned for
WHEN (today, tomorrow, YYYY-MM-DD or an ISO date-time). The window is its planned duration.

${CONNECTION_HELP}

Example:
  verdict backlog start exp_k3m9x2q7ab`;

const add = defineCommand({ name: 'backlog add', help: ADD_HELP, options: { ...DESCRIBE_OPTIONS } }, async (ctx) => {
  const { described, prompter } = await gatherDescribed(ctx.values, ctx.io, ctx.api, { askIce: true });
  prompter?.close();
  const item = await ctx.api.post<Experiment>('/backlog', described);
  if (ctx.json) { ctx.printJson(item); return EXIT.ok; }
  const view = await ctx.api.get<BacklogView>('/backlog');
  const mine = view.items.find((i) => i.experiment.id === item.id);
  ctx.out(`${ctx.p.green('✔')} Added ${ctx.p.bold(item.id)}  “${item.name}” to the backlog${mine ? ` at #${mine.rank} of ${view.items.length}${mine.ice === null ? ' (no ICE score: ranked last)' : ` (ICE ${mine.ice})`}` : ''}.`);
  ctx.out(ctx.p.dim(`  ${view.loop.message}`));
  if (item.plan) for (const line of planLines(item.plan, ctx.p)) ctx.out(line);
  return EXIT.ok;
});

const listBacklog = defineCommand({ name: 'backlog list', help: LIST_HELP }, async (ctx) => {
  const view = await ctx.api.get<BacklogView>('/backlog');
  if (ctx.json) { ctx.printJson(view); return EXIT.ok; }
  if (view.items.length === 0) ctx.out("The backlog is empty. Add ideas with 'verdict backlog add'.");
  else {
    ctx.out(table(['#', 'ID', 'Name', 'Metric', 'ICE', 'Days', 'Next scheduler run'], view.items.map((i) => [
      String(i.rank), i.experiment.id, truncate(i.experiment.name, 36), i.experiment.primaryMetric, i.ice === null ? '—' : String(i.ice), String(i.experiment.durationDays),
      i.startsNext ? ctx.p.green('starts')
        : i.blockedBy ? `waits: ${i.blockedBy.metric} under test by ${i.blockedBy.experimentId}${i.blockedBy.until ? ` (ends ${relativeTime(i.blockedBy.until, ctx.now)})` : ''}`
        : 'waits for a free slot',
    ]), ctx.p));
  }
  // nextRun is null under --no-schedule: no run is coming, so none is promised.
  const msg = view.loop.nextRun === null ? `${view.loop.message} Nothing runs on a schedule (started with --no-schedule).` : `${view.loop.message} Next run ${relativeTime(view.loop.nextRun, ctx.now)}.`;
  ctx.out(view.loop.state === 'backlog_empty' || view.loop.state === 'blocked' ? ctx.p.yellow(msg) : ctx.p.dim(msg));
  return EXIT.ok;
});

const rank = defineCommand({
  name: 'backlog rank', help: RANK_HELP, positionals: ['ID?'], options: { ice: { type: 'string' }, impact: { type: 'string' }, confidence: { type: 'string' }, ease: { type: 'string' } },
}, async (ctx) => {
  const id = ctx.positionals[0];
  const ice = str(ctx.values, 'ice');
  const parts = ['impact', 'confidence', 'ease'].map((k) => num(ctx.values, k));
  const given = ice ? parseIce(ice) : parts.every((n) => n !== undefined) ? parseIce(parts.join(',')) : undefined;
  if (id) {
    if (!given) throw new UsageError('Give the score: --ice I,C,E (or --impact, --confidence and --ease)');
    const updated = await ctx.api.patch<Experiment>(`/experiments/${encodeURIComponent(id)}`, { iceScore: given });
    const view = await ctx.api.get<BacklogView>('/backlog');
    if (ctx.json) { ctx.printJson(view); return EXIT.ok; }
    const mine = view.items.find((i) => i.experiment.id === updated.id);
    ctx.out(`${ctx.p.green('✔')} ${updated.id} “${updated.name}”: ICE ${given.impact * given.confidence * given.ease}${mine ? `, now #${mine.rank} of ${view.items.length}` : ''}.`);
    return EXIT.ok;
  }
  if (!isInteractive(ctx.io)) throw new UsageError('Give an ID and --ice I,C,E (or run it on a terminal to rank the whole backlog)');
  const view = await ctx.api.get<BacklogView>('/backlog');
  const prompter = createPrompter(ctx.io);
  try {
    for (const item of view.items) {
      const e = item.experiment;
      const current = e.iceScore ? `${e.iceScore.impact},${e.iceScore.confidence},${e.iceScore.ease}` : '';
      const answer = await prompter.ask(`#${item.rank} ${e.name} (${e.primaryMetric}) ICE`, {
        default: current || undefined, optional: true, validate: (a) => { try { parseIce(a); return undefined; } catch (err) { return errorMessage(err); } },
      });
      if (answer && answer !== current) await ctx.api.patch(`/experiments/${e.id}`, { iceScore: parseIce(answer) });
    }
  } finally {
    prompter.close();
  }
  return listBacklog(['--api', ctx.connection.api, ...(ctx.connection.token ? ['--token', ctx.connection.token] : [])], ctx.io);
});

const start = defineCommand({ name: 'backlog start', help: START_HELP, positionals: ['ID'], options: { start: { type: 'string' } } }, async (ctx) => {
  const when = str(ctx.values, 'start');
  const started = await ctx.api.post<Experiment>(`/experiments/${encodeURIComponent(ctx.positionals[0])}/start`, when ? { start: parseStart(when, ctx.now) } : {});
  if (ctx.json) { ctx.printJson(started); return EXIT.ok; }
  ctx.out(`${ctx.p.green('✔')} ${started.id} “${started.name}” is ${started.status}: ${windowText(started.start, started.end)}, ${whenText(started, ctx.now)}.`);
  if (started.plan) for (const line of planLines(started.plan, ctx.p)) ctx.out(line);
  return EXIT.ok;
});

const SUBCOMMANDS: Record<string, Command> = { add, list: listBacklog, rank, start };

export async function backlogCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') { io.stdout.write(`${BACKLOG_HELP}\n`); return sub ? EXIT.ok : EXIT.usage; }
  const command = SUBCOMMANDS[sub];
  if (!command) { io.stderr.write(`verdict: unknown backlog subcommand: ${sub}\n\n${BACKLOG_HELP}\n`); return EXIT.usage; }
  return command(rest, io);
}
