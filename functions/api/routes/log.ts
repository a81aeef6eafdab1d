/** GET /log: the research log — every concluded experiment, newest first, as JSON, TSV or markdown. */
import * as z from 'zod';
import { researchLogMarkdown, researchLogRows, researchLogTsv } from '../../domain/research-log';
import { parseOrThrow } from '../../shared/errors';
import type { Route } from '../router';

export const LogQuerySchema = z.strictObject({
  format: z.enum(['json', 'tsv', 'md']).default('json').describe('json (default), tsv (spreadsheets; like autoresearch results.tsv) or md (a markdown table)'),
});

export const logRoutes: Route[] = [
  {
    method: 'GET',
    path: '/log',
    doc: {
      tag: 'Research log', summary: 'The research log',
      description: 'One row per concluded experiment, newest first: id, name, primary metric, window, baseline value, window value, effect with its 95 % interval, decision, reason and a one-line description (the hypothesis). TSV has a header row, plain numbers and lift as a fraction.',
      query: LogQuerySchema,
      success: { status: 200, description: 'JSON { items }, or text', contentTypes: ['application/json', 'text/tab-separated-values', 'text/markdown'] },
    },
    async handle(req, s) {
      const { format } = parseOrThrow(LogQuerySchema, req.query, 'query');
      const concluded = await s.experiments.listAll('concluded');
      const verdicts = await s.experiments.getVerdicts(concluded.map((e) => e.id));
      const rows = researchLogRows(concluded.map((experiment) => ({ experiment, verdict: verdicts.get(experiment.id) })));
      if (format === 'tsv') return { status: 200, body: researchLogTsv(rows), contentType: 'text/tab-separated-values; charset=utf-8' };
      if (format === 'md') return { status: 200, body: researchLogMarkdown(rows), contentType: 'text/markdown; charset=utf-8' };
      return { status: 200, body: { items: rows } };
    },
  },
];
