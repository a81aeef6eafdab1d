/**
 * Commands of the randomized designs: `verdict today` (what to do today), `verdict skip ID DATE`
 * (a switchback day not followed), `verdict next-post ID` (draw the next post's arm), `verdict tag
 * POST_ID ARM` (link a post to its arm) and `verdict calendar` (the iCalendar feed URL).
 */
import type { TodaysAssignment, Today } from '../domain/assignments';
import type { Experiment } from '../domain/experiment';
import { CONNECTION_HELP, defineCommand, str, UsageError } from './command';
import { EXIT } from './exit-codes';
import { table } from './format';

export const TODAY_HELP = `Usage: verdict today [--json]

What to do today for every running randomized experiment: for a switchback, whether today is a
treatment day (do it) or a control day (don't), by the experiment's time zone; for post variants,
the reminder to draw each post's arm with 'verdict next-post'.

  --json   print { date, timeZone, assignments } as JSON

${CONNECTION_HELP}

Example:
  verdict today`;

function armText(a: TodaysAssignment, p: { green(s: string): string; yellow(s: string): string; dim(s: string): string }): string {
  if (a.design === 'post_variants') return 'draw per post';
  const arm = a.arm === 'treatment' ? p.green('DO IT') : p.yellow("DON'T");
  return `${arm}${a.washout ? p.dim(' (washout)') : ''}${a.skipped ? p.dim(' (skipped)') : ''}`;
}

export const todayCommand = defineCommand({ name: 'today', help: TODAY_HELP }, async (ctx) => {
  const today = await ctx.api.get<Today>('/today');
  if (ctx.json) { ctx.printJson(today); return EXIT.ok; }
  if (today.assignments.length === 0) {
    ctx.out(`${today.date}: no randomized experiment is running. Create one with 'verdict new --design switchback'.`);
    return EXIT.ok;
  }
  ctx.out(`${ctx.p.bold(today.date)} (${today.timeZone})`);
  ctx.out(table(['Today', 'Experiment', 'Day', 'What to do'], today.assignments.map((a) => [
    armText(a, ctx.p), `${a.name}\n${ctx.p.dim(a.experimentId)}`, a.day ? `${a.day}/${a.days}` : '', a.instruction,
  ]), ctx.p));
  return EXIT.ok;
});

export const SKIP_HELP = `Usage: verdict skip ID DATE [--reason TEXT] [--json]

Records that a switchback day's assignment was not followed (a treatment day without the tactic, or
a control day with it). The verdict still counts the day as assigned (intention-to-treat) and also
reports the effect without skipped days (per-protocol). DATE is YYYY-MM-DD, or today / yesterday.

  --reason TEXT   why (kept with the day)
  --json          print the updated experiment as JSON

${CONNECTION_HELP}

Example:
  verdict skip exp_k3m9x2q7ab 2026-12-08 --reason "travelling, no replies at noon"`;

function dateArg(raw: string, now: Date): string {
  if (raw === 'today') return now.toISOString().slice(0, 10);
  if (raw === 'yesterday') return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw new UsageError(`DATE must be YYYY-MM-DD, today or yesterday (got ${raw})`);
  return raw;
}

export const skipCommand = defineCommand({ name: 'skip', help: SKIP_HELP, positionals: ['ID', 'DATE'], options: { reason: { type: 'string' } } }, async (ctx) => {
  const [id, raw] = ctx.positionals;
  const date = dateArg(raw, ctx.now);
  const reason = str(ctx.values, 'reason');
  const updated = await ctx.api.post<Experiment>(`/experiments/${encodeURIComponent(id)}/skips`, { date, ...(reason && { reason }) });
  if (ctx.json) { ctx.printJson(updated); return EXIT.ok; }
  const skips = updated.switchback?.skips?.length ?? 0;
  ctx.out(`${ctx.p.green('✔')} Recorded ${date} of ${updated.id} as not followed (${skips} skipped day${skips === 1 ? '' : 's'} so far). The verdict counts it as assigned and also reports without it.`);
  return EXIT.ok;
});

export const NEXT_POST_HELP = `Usage: verdict next-post ID [--json]

Draws the arm of your next post for a post-variant experiment, at random and balanced across arms.
Write the post in that style and add the marker it prints (e.g. #v-raw) anywhere in the text, or tag
the post afterwards with 'verdict tag POST_ID ARM'.

  --json   print { arm, draw, marker } as JSON

${CONNECTION_HELP}

Example:
  verdict next-post exp_k3m9x2q7ab`;

export const nextPostCommand = defineCommand({ name: 'next-post', help: NEXT_POST_HELP, positionals: ['ID'] }, async (ctx) => {
  const drawn = await ctx.api.post<{ arm: string; draw: number; marker: string }>(`/experiments/${encodeURIComponent(ctx.positionals[0])}/next-post`, {});
  if (ctx.json) { ctx.printJson(drawn); return EXIT.ok; }
  ctx.out(`Next post (#${drawn.draw}): ${ctx.p.bold(drawn.arm)} — add ${ctx.p.cyan(drawn.marker)} to its text, or run 'verdict tag POST_ID ${drawn.arm}' after posting.`);
  return EXIT.ok;
});

export const TAG_HELP = `Usage: verdict tag POST_ID ARM [--experiment ID] [--json]

Links a post you published without the marker to its arm. Without --experiment, the running
post-variant experiment that has an arm of that name is used (it must be the only one).

  --experiment ID   the post-variant experiment
  --json            print the updated experiment as JSON

${CONNECTION_HELP}

Example:
  verdict tag 1866123456789012345 polished`;

export const tagCommand = defineCommand({ name: 'tag', help: TAG_HELP, positionals: ['POST_ID', 'ARM'], options: { experiment: { type: 'string' } } }, async (ctx) => {
  const [postId, arm] = ctx.positionals;
  let id = str(ctx.values, 'experiment');
  if (!id) {
    const { items } = await ctx.api.get<{ items: Experiment[] }>('/experiments?status=running&limit=200');
    const candidates = items.filter((e) => e.design === 'post_variants' && e.postVariants?.arms.includes(arm));
    if (candidates.length !== 1) {
      throw new UsageError(candidates.length === 0
        ? `No running post-variant experiment has an arm "${arm}"`
        : `Several running post-variant experiments have an arm "${arm}" (${candidates.map((c) => c.id).join(', ')}): pass --experiment ID`);
    }
    id = candidates[0].id;
  }
  const updated = await ctx.api.post<Experiment>(`/experiments/${encodeURIComponent(id)}/posts/${encodeURIComponent(postId)}/arm`, { arm });
  if (ctx.json) { ctx.printJson(updated); return EXIT.ok; }
  ctx.out(`${ctx.p.green('✔')} Post ${postId} is in arm ${ctx.p.bold(arm)} of ${updated.id} “${updated.name}”.`);
  return EXIT.ok;
});

export const CALENDAR_HELP = `Usage: verdict calendar [--json]

Creates the read-only calendar feed token and prints the feed URL: subscribe to it in Google
Calendar, Apple Calendar or Outlook to see every switchback day (do it / don't) as an all-day
event. The token opens only the feed; running the command again revokes the previous URL.

  --json   print { token, url } as JSON

${CONNECTION_HELP}

Example:
  verdict calendar`;

export const calendarCommand = defineCommand({ name: 'calendar', help: CALENDAR_HELP }, async (ctx) => {
  const feed = await ctx.api.post<{ token: string; url: string }>('/calendar/token', {});
  if (ctx.json) { ctx.printJson(feed); return EXIT.ok; }
  ctx.out(`${ctx.p.green('✔')} Calendar feed (read-only; running this again revokes it):\n  ${feed.url}`);
  return EXIT.ok;
});
