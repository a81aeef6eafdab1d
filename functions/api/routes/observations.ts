/** POST /observations: backfill (CSV import). All-or-nothing: every observation is validated before any is written. */
import * as z from '../../domain/zod-mini';
import { ObservationSchema } from '../../domain/observation';
import { parseOrThrow } from '../../shared/errors';
import { jsonBody } from '../http';
import type { Route } from '../router';

export const MAX_OBSERVATIONS_PER_REQUEST = 500;

const ImportBodySchema = z.strictObject({ observations: z.array(ObservationSchema).check(z.minLength(1), z.maxLength(MAX_OBSERVATIONS_PER_REQUEST)) });

export const observationRoutes: Route[] = [
  {
    method: 'POST',
    path: '/observations',
    doc: {
      tag: 'Metrics', summary: 'Import observations (backfill)',
      description: `All-or-nothing: every observation is validated before any is written; at most ${MAX_OBSERVATIONS_PER_REQUEST} per request. Times are stored in one canonical spelling (UTC, milliseconds), and writing the same fact twice (or one instant spelled two ways) stores it once.`,
      body: ImportBodySchema,
      success: {
        status: 200, description: '{ received, written, duplicates, new, alreadyStored }',
        schema: z.object({
          received: z.described(z.number().check(z.int()), 'Observations in the request'),
          written: z.described(z.number().check(z.int()), 'Distinct observations stored (each replaces any stored one with the same metric, instant and identity)'),
          duplicates: z.described(z.number().check(z.int()), 'received − written: observations that repeated another one of the request'),
          new: z.described(z.number().check(z.int()), 'Of the written: observations not stored before'),
          alreadyStored: z.described(z.number().check(z.int()), 'Of the written: observations stored before (an import given again), replaced by the same fact'),
        }),
      },
    },
    async handle(req, s) {
      const { observations } = parseOrThrow(ImportBodySchema, jsonBody(req), 'observations');
      const alreadyStored = await s.observations.countStored(observations);
      const written = await s.observations.putMany(observations);
      return { status: 200, body: { received: observations.length, written, duplicates: observations.length - written, new: Math.max(0, written - alreadyStored), alreadyStored } };
    },
  },
];
