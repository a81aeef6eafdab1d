/** `verdict collect [SOURCE[@ACCOUNT]]`: run a collection now, as the schedule would for the current slot. */
import type { CollectionRun } from '../store/run-store';
import { CONNECTION_HELP, defineCommand } from './command';
import { EXIT } from './exit-codes';
import { relativeTime, table } from './format';

export const COLLECT_HELP = `Usage: verdict collect [SOURCE[@ACCOUNT]] [--json]

Collects metrics now for the current slot: one source (all its accounts), one account of it
(x@acme: sources.x.accounts.acme), or every enabled one. A slot that was
already collected is not read again. Exits 1 when a source failed (rate limits and missing
credentials are reported, not failures).

  SOURCE   x, bluesky, beehiiv, kit, buttondown, mailchimp, perplexity, openai, gemini, claude,
           stripe, lemonsqueezy, polar, plausible, umami
  --json   { runs } as JSON

${CONNECTION_HELP}

Example:
  verdict collect x`;

const OUTCOME_HINT: Partial<Record<CollectionRun['outcome'], string>> = {
  not_configured: "no credentials: 'verdict secrets set SOURCE' (AWS) or .env (local)",
  rate_limited: 'paused until the provider resets the limit',
  usage_capped: 'monthly spend cap reached',
};

export const collectCommand = defineCommand({ name: 'collect', help: COLLECT_HELP, positionals: ['SOURCE?'] }, async (ctx) => {
  const [source, account] = (ctx.positionals[0] ?? '').split('@');
  const { runs } = await ctx.api.post<{ runs: CollectionRun[] }>('/collect', source ? { source, ...(account !== undefined && { account }) } : {});
  const failed = runs.some((r) => r.outcome === 'failed');
  if (ctx.json) { ctx.printJson({ runs }); return failed ? EXIT.failed : EXIT.ok; }
  const { p } = ctx;
  const outcome = (r: CollectionRun) => (r.outcome === 'ok' ? p.green('ok') : r.outcome === 'failed' ? p.red('failed') : p.yellow(r.outcome));
  ctx.out(table(['Source', 'Outcome', 'Observations', 'Slot', 'Note'], runs.map((r) => [
    r.account ? `${r.source}@${r.account}` : r.source, outcome(r), String(r.observations), `${r.slot.slice(0, 16).replace('T', ' ')}Z`,
    [r.deliveries && r.deliveries > 1 ? `slot already collected ${relativeTime(r.startedAt, ctx.now)}` : '', OUTCOME_HINT[r.outcome] ?? r.message ?? '', r.resetAt ? `until ${relativeTime(r.resetAt, ctx.now)}` : '']
      .filter(Boolean).join('; '),
  ]), p));
  return failed ? EXIT.failed : EXIT.ok;
});
