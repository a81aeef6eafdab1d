/**
 * Routes of the randomized designs: today's assignments, the calendar feed of switchback schedules
 * (with its own read-only token), skipped days, the next post's arm and tagging a post with its arm.
 * Every change goes through a conditional write on the version read, like the other lifecycle routes.
 */
import * as z from '../../domain/zod-mini';
import { todaysAssignments } from '../../domain/assignments';
import { calendarFeed } from '../../domain/calendar-feed';
import { ExperimentRecordSchema, type Experiment } from '../../domain/experiment';
import { armOfDraw } from '../../domain/post-variants';
import { recordSkip } from '../../domain/switchback';
import { ConflictError, UnauthorizedError, ValidationError, parseOrThrow } from '../../shared/errors';
import { jsonBody, type ApiRequest } from '../http';
import type { Route } from '../router';
import type { ResolvedApiServices } from '../services';
import { loadExperiment } from '../experiment-changes';

const ID_PARAM = { id: 'Experiment id, e.g. exp_k3m9x2q7ab' };

export const SkipDaySchema = z.strictObject({
  date: z.described(z.iso.date(), 'The local date (YYYY-MM-DD, in the schedule\'s time zone) whose assignment was not followed'),
  reason: z.described(z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))), 'Why (kept with the day)'),
});

export const TagPostSchema = z.strictObject({
  arm: z.described(z.string().check(z.minLength(1), z.maxLength(24)), 'One of the experiment\'s arms'),
});

const PostIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a post id'));

export const CalendarQuerySchema = z.strictObject({
  token: z.described(z.string().check(z.minLength(1), z.maxLength(200)), 'The feed token from POST /calendar/token (not the API token)'),
});

const AssignmentSchema = z.object({
  experimentId: z.string(), name: z.string(), primaryMetric: z.string(), design: z.enum(['switchback', 'post_variants']),
  date: z.string(), arm: z.optional(z.enum(['treatment', 'control'])), washout: z.optional(z.boolean()), skipped: z.optional(z.boolean()),
  start: z.optional(z.string()), end: z.optional(z.string()), day: z.optional(z.number().check(z.int())), days: z.optional(z.number().check(z.int())), instruction: z.string(),
});
export const TodaySchema = z.object({ date: z.string(), timeZone: z.string(), assignments: z.array(AssignmentSchema) });

function requireDesign(e: Experiment, design: 'switchback' | 'post_variants'): void {
  if (e.design !== design) {
    throw new ConflictError(`${e.id} is a ${e.design ?? 'before_after'} experiment; this needs a ${design} one`, { design: e.design ?? 'before_after' });
  }
}

/** The calendar feed's URL for this request's host (the API's own origin). */
function feedUrl(req: ApiRequest, token: string): string {
  const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? 'localhost';
  const proto = req.headers['x-forwarded-proto'] ?? (/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host) ? 'http' : 'https');
  return `${proto}://${host}/calendar.ics?token=${encodeURIComponent(token)}`;
}

export const randomizedRoutes: Route[] = [
  {
    method: 'GET',
    path: '/today',
    doc: {
      tag: 'Randomized designs', summary: 'Today\'s assignments',
      description: 'For every running switchback: treatment or control today (by its own time zone), washout and skip marks; for every running post-variant experiment: the reminder to draw each post\'s arm.',
      success: { status: 200, description: 'Today\'s date and assignments', schema: TodaySchema },
    },
    async handle(_req, s) {
      return { status: 200, body: todaysAssignments(await s.experiments.listLive(), s.now(), s.config.digest.timeZone) };
    },
  },
  {
    method: 'POST',
    path: '/calendar/token',
    doc: {
      tag: 'Randomized designs', summary: 'Create the calendar feed\'s token (revoking the previous one)',
      description: 'Returns a read-only token that opens only GET /calendar.ics, and the feed URL to subscribe to in a calendar app. It is not the API token; creating a new one revokes the old feed URL.',
      success: { status: 201, description: '{ token, url }', schema: z.object({ token: z.string(), url: z.string() }) },
    },
    async handle(req, s) {
      const token = await s.feedTokens.rotate(s.now());
      return { status: 201, body: { token, url: feedUrl(req, token) } };
    },
  },
  {
    method: 'GET',
    path: '/calendar.ics',
    doc: {
      tag: 'Randomized designs', summary: 'The switchback schedules as an iCalendar feed',
      description: 'One all-day event per scheduled day of every planned or running switchback: treatment or control. Subscribe to the URL from POST /calendar/token. Needs `token` (the feed token), not the API token.',
      query: CalendarQuerySchema,
      success: { status: 200, description: 'text/calendar (RFC 5545)', contentTypes: ['text/calendar'] },
      errors: { 401: 'unauthorized: the feed token is missing, wrong or revoked (one answer for all three)' },
    },
    async handle(req, s) {
      const q = CalendarQuerySchema.safeParse(req.query);
      // One answer for a missing, wrong or revoked token, so the feed reveals nothing about which.
      if (!q.success || !(await s.feedTokens.verify(q.data.token))) {
        throw new UnauthorizedError('A valid calendar feed token is required (POST /calendar/token)');
      }
      return {
        status: 200,
        body: calendarFeed(await s.experiments.listLive(), s.now()),
        contentType: 'text/calendar; charset=utf-8',
        headers: { 'cache-control': 'private, max-age=900', 'referrer-policy': 'no-referrer' },
      };
    },
  },
  {
    method: 'POST',
    path: '/experiments/{id}/skips',
    doc: {
      tag: 'Randomized designs', summary: 'Record that a switchback day\'s assignment was not followed',
      description: 'The decision stays intention-to-treat (the day counts as assigned); the verdict also reports the effect without skipped days (per-protocol). Recording a date again replaces its reason.',
      params: ID_PARAM, body: SkipDaySchema, success: { status: 200, description: 'The experiment with the skip recorded', schema: ExperimentRecordSchema },
      errors: { 404: 'No such experiment', 409: 'Not a switchback, not running or concluded, or the experiment changed meanwhile' },
    },
    async handle(req, s) {
      const input = parseOrThrow(SkipDaySchema, jsonBody(req), 'skip');
      const current = await loadExperiment(req, s);
      requireDesign(current, 'switchback');
      if (current.status !== 'running' && current.status !== 'concluded') {
        throw new ConflictError(`Cannot record a skip on ${current.id}: it is ${current.status}; skips are recorded on days that have begun`, { status: current.status });
      }
      const out = recordSkip(current.switchback!, input.date, input.reason, s.now());
      if (!out.ok) throw new ValidationError(`Invalid skip: date: ${out.message}`, [{ path: 'date', message: out.message }]);
      const next: Experiment = { ...current, switchback: out.design, updatedAt: s.now().toISOString() };
      return { status: 200, body: await s.experiments.replace(next, current) };
    },
  },
  {
    method: 'POST',
    path: '/experiments/{id}/next-post',
    doc: {
      tag: 'Randomized designs', summary: 'Draw the arm of the next post',
      description: 'Balanced random draw (shuffled blocks holding each arm twice) from the stored seed. Add the returned marker to the post, or tag the post afterwards with POST /experiments/{id}/posts/{postId}/arm.',
      params: ID_PARAM,
      success: { status: 200, description: '{ arm, draw, marker }', schema: z.object({ arm: z.string(), draw: z.number().check(z.int()), marker: z.string() }) },
      errors: { 404: 'No such experiment', 409: 'Not a running post-variant experiment, or a concurrent draw won (draw again)' },
    },
    async handle(req, s) {
      const current = await loadExperiment(req, s);
      requireDesign(current, 'post_variants');
      if (current.status !== 'running' && current.status !== 'planned') {
        throw new ConflictError(`Cannot draw for ${current.id}: it is ${current.status}`, { status: current.status });
      }
      const design = current.postVariants!;
      const arm = armOfDraw(design, design.draws);
      await s.experiments.replace({ ...current, postVariants: { ...design, draws: design.draws + 1 }, updatedAt: s.now().toISOString() }, current);
      return { status: 200, body: { arm, draw: design.draws + 1, marker: `${design.markerPrefix}${arm}` } };
    },
  },
  {
    method: 'POST',
    path: '/experiments/{id}/posts/{postId}/arm',
    doc: {
      tag: 'Randomized designs', summary: 'Tag a post with its arm',
      description: 'For posts published without the marker: links the post (X post id) to one of the experiment\'s arms; a tag wins over a marker.',
      params: { ...ID_PARAM, postId: 'The post\'s id on X' }, body: TagPostSchema,
      success: { status: 200, description: 'The experiment with the tag', schema: ExperimentRecordSchema },
      errors: { 404: 'No such experiment', 409: 'Not a post-variant experiment, or already concluded' },
    },
    async handle(req, s) {
      const input = parseOrThrow(TagPostSchema, jsonBody(req), 'tag');
      const postId = parseOrThrow(PostIdSchema, req.params.postId, 'post id');
      const current = await loadExperiment(req, s);
      requireDesign(current, 'post_variants');
      if (current.status !== 'running' && current.status !== 'planned') {
        throw new ConflictError(`Cannot tag posts of ${current.id}: it is ${current.status}`, { status: current.status });
      }
      const design = current.postVariants!;
      if (!design.arms.includes(input.arm)) {
        throw new ValidationError(`Invalid tag: arm: not an arm of ${current.id} (${design.arms.join(', ')})`, [{ path: 'arm', message: `one of ${design.arms.join(', ')}` }]);
      }
      const next: Experiment = { ...current, postVariants: { ...design, taggedPosts: { ...design.taggedPosts, [postId]: input.arm } }, updatedAt: s.now().toISOString() };
      return { status: 200, body: await s.experiments.replace(next, current) };
    },
  },
];

