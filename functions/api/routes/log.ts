/**
 * GET /log: the research log — one row per concluded experiment, newest first, as JSON, TSV or markdown,
 * a page at a time from the compact rows written with each verdict (one Query per page, whatever the size
 * of the log; the largest page stays far below Lambda's 6 MB response limit).
 */
import * as z from '../../domain/zod-mini';
import { researchLogMarkdown, researchLogTsv } from '../../domain/research-log';
import { LOG_PAGE_DEFAULT, LOG_PAGE_MAX } from '../../store/research-log-store';
import { ResearchLogRowSchema } from '../../domain/verdict-schema';
import { parseOrThrow } from '../../shared/errors';
import type { Route } from '../router';

export const LogQuerySchema = z.strictObject({
  format: z.described(z._default(z.enum(['json', 'tsv', 'md']), 'json'), 'json (default), tsv (spreadsheets; like autoresearch results.tsv) or md (a markdown table)'),
  limit: z.described(z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(LOG_PAGE_MAX))), `Rows per page (default ${LOG_PAGE_DEFAULT}, at most ${LOG_PAGE_MAX})`),
  cursor: z.described(z.optional(z.string().check(z.minLength(1), z.maxLength(2000))), 'nextCursor from the previous page (JSON body, or the x-next-cursor header of TSV and markdown)'),
});

export const logRoutes: Route[] = [
  {
    method: 'GET',
    path: '/log',
    doc: {
      tag: 'Research log', summary: 'The research log',
      description: `One row per concluded experiment, newest first: id, name, primary metric, window, baseline value, window value, effect with its 95 % interval, decision, reason and a one-line description (the hypothesis). TSV has a header row, plain numbers and lift as a fraction. Paged: at most ${LOG_PAGE_MAX} rows (default ${LOG_PAGE_DEFAULT}); the next page's cursor is \`nextCursor\` in JSON and the \`x-next-cursor\` header in every format (absent on the last page).`,
      query: LogQuerySchema,
      success: { status: 200, description: 'JSON { items, nextCursor? }, or text', schema: z.object({ items: z.array(ResearchLogRowSchema), nextCursor: z.described(z.optional(z.string()), 'Pass back as cursor for the next page (absent on the last page)') }), contentTypes: ['application/json', 'text/tab-separated-values', 'text/markdown'] },
    },
    async handle(req, s) {
      const { format, limit, cursor } = parseOrThrow(LogQuerySchema, req.query, 'query');
      const page = await s.experiments.researchLog.page({ limit, cursor });
      const rows = page.items;
      const headers = page.nextCursor ? { 'x-next-cursor': page.nextCursor } : undefined;
      if (format === 'tsv') return { status: 200, body: researchLogTsv(rows), contentType: 'text/tab-separated-values; charset=utf-8', headers };
      if (format === 'md') return { status: 200, body: researchLogMarkdown(rows), contentType: 'text/markdown; charset=utf-8', headers };
      return { status: 200, body: { items: rows, ...(page.nextCursor && { nextCursor: page.nextCursor }) }, headers };
    },
  },
];
