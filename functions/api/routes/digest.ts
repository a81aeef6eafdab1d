/**
 * GET /digest?week=YYYY-Www: the weekly digest as the Friday job would send it — JSON (sections,
 * markdown and plain text), or ?format=md / ?format=text for the rendering alone. Building it sends nothing.
 */
import * as z from '../../domain/zod-mini';
import { DigestSchema } from '../../domain/digest';
import { currentDigestWeek, digestPeriod, isIsoWeek } from '../../domain/digest-calendar';
import { ValidationError, parseOrThrow } from '../../shared/errors';
import { digestForWeek, digestSchedule } from '../../jobs/weekly-digest';
import type { Route } from '../router';

export const DigestQuerySchema = z.strictObject({
  week: z.described(z.optional(z.string().check(z.refine(isIsoWeek, 'must be an ISO week like 2026-W46'))), 'ISO week (YYYY-Www) in the digest time zone; default: the week whose digest is next (so far)'),
  format: z.described(z._default(z.enum(['json', 'md', 'text']), 'json'), 'json (default: sections, markdown and text), md or text'),
});

export const digestRoutes: Route[] = [
  {
    method: 'GET',
    path: '/digest',
    doc: {
      tag: 'Digest', summary: 'The weekly digest',
      description: 'Verdicts reached in the week (the seven days up to its digest time, e.g. Friday 16:00 in the configured time zone), running experiments with days left and interim readouts, the top of the backlog, source health problems, and a nudge when fewer experiments run than the target. Running experiments, backlog and sources are as of now.',
      query: DigestQuerySchema,
      success: { status: 200, description: 'The digest', schema: DigestSchema, contentTypes: ['application/json', 'text/markdown', 'text/plain'] },
    },
    async handle(req, s) {
      const q = parseOrThrow(DigestQuerySchema, req.query, 'query');
      const now = s.now();
      const schedule = digestSchedule(s.config);
      const week = q.week ?? currentDigestWeek(now, schedule);
      if (digestPeriod(week, schedule).start > now.toISOString()) {
        throw new ValidationError(`Invalid query: week ${week} has not started yet`, [{ path: 'week', message: 'is in the future' }]);
      }
      const digest = await digestForWeek(week, now, s);
      if (q.format === 'md') return { status: 200, body: digest.markdown, contentType: 'text/markdown; charset=utf-8' };
      if (q.format === 'text') return { status: 200, body: digest.text, contentType: 'text/plain; charset=utf-8' };
      return { status: 200, body: digest };
    },
  },
];
