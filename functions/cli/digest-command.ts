/**
 * `verdict digest`: prints the weekly digest — the same one the Friday job sends — from the API
 * (GET /digest): plain text by default, markdown or JSON on request. Printing sends nothing.
 */
import { CONNECTION_HELP, defineCommand, str, UsageError } from './command';
import { EXIT } from './exit-codes';

export const DIGEST_HELP = `Usage: verdict digest [--week YYYY-Www] [--markdown | --json]

Prints the weekly digest: verdicts reached in the week with their plain-language summaries, running
experiments with days left and interim readouts, the top three of the backlog, source health
problems, and a nudge when fewer experiments run than the target. Nothing is sent.

A week's digest covers the seven days up to its digest time (config digest.day/hour/timeZone,
default Friday 16:00): by default the digest in progress, from the last one up to now.

  --week YYYY-Www  an ISO week in the digest's time zone, e.g. 2026-W46
  --markdown       markdown instead of plain text (the plain text is what the email carries)
  --json           the digest as JSON: sections, counts, markdown and text

${CONNECTION_HELP}

Example:
  verdict digest --week 2026-W46`;

export const digestCommand = defineCommand({
  name: 'digest', help: DIGEST_HELP, options: { week: { type: 'string' }, markdown: { type: 'boolean' } },
}, async (ctx) => {
  if (ctx.json && ctx.values.markdown) throw new UsageError('Give --markdown or --json, not both');
  const week = str(ctx.values, 'week');
  const query = week ? `&week=${encodeURIComponent(week)}` : '';
  if (ctx.json) {
    ctx.printJson(await ctx.api.get(`/digest?format=json${query}`));
  } else {
    ctx.io.stdout.write(await ctx.api.getText(`/digest?format=${ctx.values.markdown ? 'md' : 'text'}${query}`));
  }
  return EXIT.ok;
});
