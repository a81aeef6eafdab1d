/**
 * POST /collect: run a collection now (the `verdict collect` command) for the slot containing the
 * current time — in AWS by invoking the source's collector function, locally in process. A slot already
 * collected is not read again (its run is returned with deliveries + 1).
 */
import * as z from 'zod';
import { SOURCE_NAMES } from '../../shared/app-config';
import { parseOrThrow, ValidationError } from '../../shared/errors';
import { CollectionRunSchema } from '../response-schemas';
import { jsonBody } from '../http';
import type { Route } from '../router';

/** Time a source gets while the API (15 s Lambda timeout) waits for it (slow AI answer engines may be cut short: partial). */
export const COLLECT_BUDGET_MS = 12_000;

export const CollectBodySchema = z.strictObject({
  source: z.enum(SOURCE_NAMES).optional().describe('One source; default: every enabled source'),
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
      const { source } = parseOrThrow(CollectBodySchema, jsonBody(req) ?? {}, 'collect request');
      const enabled = SOURCE_NAMES.filter((n) => s.config.sources[n].enabled);
      if (source && !enabled.includes(source)) {
        throw new ValidationError(`Source ${source} is not enabled (set sources.${source}.enabled in the config)`, [{ path: 'source', message: `not enabled; enabled: ${enabled.join(', ') || 'none'}` }]);
      }
      const now = s.now().toISOString();
      const runs = await Promise.all((source ? [source] : enabled).map((name) => s.collect(name, now, COLLECT_BUDGET_MS)));
      return { status: 200, body: { runs } };
    },
  },
];
