/** `verdict abandon ID`: stop an experiment; the record stays and it is never scored. */
import type { Experiment } from '../domain/experiment';
import { CONNECTION_HELP, defineCommand, str } from './command';
import { EXIT } from './exit-codes';
import { createPrompter, isInteractive } from './prompts';

export const ABANDON_HELP = `Usage: verdict abandon ID [--reason TEXT] [--yes] [--json]

Abandons a backlog, planned or running experiment: it keeps its record (status abandoned), is never
scored, and frees its slot so the loop can start the next backlog item. Once a window has ended the
verdict is due, so it can no longer be abandoned. On a terminal it asks for confirmation.

  --reason TEXT   why (kept with the record)
  --yes           do not ask
  --json          print the abandoned experiment as JSON

${CONNECTION_HELP}

Example:
  verdict abandon exp_k3m9x2q7ab --reason "the account was suspended" --yes`;

export const abandonCommand = defineCommand({
  name: 'abandon', help: ABANDON_HELP, positionals: ['ID'], options: { reason: { type: 'string' }, yes: { type: 'boolean', short: 'y' } },
}, async (ctx) => {
  const id = ctx.positionals[0];
  if (isInteractive(ctx.io) && !ctx.values.yes && !ctx.json) {
    const e = await ctx.api.get<Experiment>(`/experiments/${encodeURIComponent(id)}`);
    const prompter = createPrompter(ctx.io);
    try {
      if (!(await prompter.confirm(`Abandon ${e.id} “${e.name}” (${e.status})? It will never be scored.`))) { ctx.out('Nothing changed.'); return EXIT.ok; }
    } finally {
      prompter.close();
    }
  }
  const reason = str(ctx.values, 'reason');
  const abandoned = await ctx.api.post<Experiment>(`/experiments/${encodeURIComponent(id)}/abandon`, reason ? { reason } : {});
  if (ctx.json) { ctx.printJson(abandoned); return EXIT.ok; }
  ctx.out(`${ctx.p.green('✔')} Abandoned ${abandoned.id} “${abandoned.name}”. The record stays; it will not be scored.`);
  return EXIT.ok;
});
