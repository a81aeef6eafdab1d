/**
 * POST /collect: run a collection now (the `verdict collect` command) for the slot containing the
 * current time — in AWS by invoking the source's collector function, locally in process. A slot already
 * collected is not read again (its run is returned with deliveries + 1).
 */
import * as z from '../../domain/zod-mini';
import { AccountNameSchema } from '../../domain/accounts';
import { enabledTargets, SOURCE_NAMES, targetName } from '../../shared/app-config';
import { parseOrThrow, ValidationError } from '../../shared/errors';
import { CollectionRunSchema } from '../response-schemas';
import { jsonBody } from '../http';
import type { Route } from '../router';

/** Time a source gets while the API (15 s Lambda timeout) waits for it (slow AI answer engines may be cut short: partial). */
export const COLLECT_BUDGET_MS = 12_000;

export const CollectBodySchema = z.strictObject({
  source: z.described(z.optional(z.enum(SOURCE_NAMES)), 'One source; default: every enabled source and account'),
  account: z.described(z.optional(AccountNameSchema), 'With source: one configured account of it (sources.<name>.accounts); default: all the source\'s enabled accounts'),
});

export const collectRoutes: Route[] = [
  {
    method: 'POST',
    path: '/collect',
    doc: {
      tag: 'Operations', summary: 'Collect now',
      description: `Runs one source (or every enabled one) for the current slot, as the schedule would, within ${COLLECT_BUDGET_MS / 1000} s. Each run's outcome (ok, partial, failed, rate_limited, usage_capped, paused, not_configured) is in the body; a failed source is still a 200.`,
      body: CollectBodySchema, success: { status: 200, description: '{ runs: CollectionRun[] }', schema: z.object({ runs: z.array(CollectionRunSchema) }) },
    },
    async handle(req, s) {
      const { source, account } = parseOrThrow(CollectBodySchema, jsonBody(req) ?? {}, 'collect request');
      if (account !== undefined && !source) throw new ValidationError('Invalid collect request: account needs a source', [{ path: 'account', message: 'name the source too' }]);
      const enabled = enabledTargets(s.config);
      const chosen = enabled.filter((t) => (!source || t.source === source) && (account === undefined || t.account === account));
      if (source && chosen.length === 0) {
        const what = account === undefined ? `Source ${source} is not enabled (set sources.${source}.enabled in the config)` : `Account ${account} of ${source} is not configured (sources.${source}.accounts.${account})`;
        throw new ValidationError(what, [{ path: account === undefined ? 'source' : 'account', message: `not enabled; enabled: ${enabled.map(targetName).join(', ') || 'none'}` }]);
      }
      const now = s.now().toISOString();
      const runs = await Promise.all(chosen.map((t) => s.collect(t.source, now, COLLECT_BUDGET_MS, t.account)));
      return { status: 200, body: { runs } };
    },
  },
];
