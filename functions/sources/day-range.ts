import type { CollectContext } from './source';

export const DAY_MS = 86_400_000;

/**
 * The complete UTC days a source of daily totals reads this run, [from, to) in epoch ms: `backfillDays`
 * on its first run; afterwards back to its last successful run and at least `revisitDays` (providers
 * correct recent days late: refunds, bot filtering), never more than `backfillDays`.
 */
export function daysToRead(ctx: Pick<CollectContext, 'slot' | 'lastSuccessfulSlot'>, backfillDays: number, revisitDays: number): { from: number; to: number } {
  const to = Math.floor(Date.parse(ctx.slot) / DAY_MS) * DAY_MS;
  const days = ctx.lastSuccessfulSlot
    ? Math.min(backfillDays, Math.max(revisitDays, Math.ceil((to - Date.parse(ctx.lastSuccessfulSlot)) / DAY_MS) + 1))
    : backfillDays;
  return { from: to - days * DAY_MS, to };
}
