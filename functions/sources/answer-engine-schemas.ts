/**
 * Response shapes shared by the Responses-style answer-engine APIs (Perplexity's Agent API and
 * OpenAI's Responses API): an `output[]` of typed items. Item and content types we do not use
 * (reasoning, tool calls…) are tolerated; the ones we read are validated strictly enough that drift
 * names the field.
 */
import * as z from '../domain/zod-mini';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Replaces items whose `type` is not in `known` by `{ type: 'other' }` before a discriminated union. */
export function tolerantItems<const T extends readonly string[]>(known: T) {
  const set = new Set<string>(known);
  return (item: unknown) => (isObject(item) && typeof item.type === 'string' && set.has(item.type) ? item : { type: 'other' });
}

const UrlAnnotationSchema = z.looseObject({ type: z.optional(z.string()), url: z.optional(z.string()) });

const ContentPartSchema = z.pipe(z.transform(tolerantItems(['output_text'] as const)), z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('output_text'), text: z.string(), annotations: z._default(z.array(UrlAnnotationSchema), []) }),
    z.object({ type: z.literal('other') }),
  ]));

export const MessageItemSchema = z.looseObject({
  type: z.literal('message'),
  content: z.array(ContentPartSchema),
});

export type MessageItem = z.output<typeof MessageItemSchema>;

/** All output_text of the message items, and their URL annotations in order of appearance. */
export function readMessages(items: readonly { type: string }[]): { text: string; citedUrls: string[]; messages: number } {
  const texts: string[] = [];
  const citedUrls: string[] = [];
  let messages = 0;
  for (const item of items) {
    if (item.type !== 'message') continue;
    messages++;
    for (const part of (item as MessageItem).content) {
      if (part.type !== 'output_text') continue;
      const p = part as { text: string; annotations: { url?: string }[] };
      texts.push(p.text);
      for (const a of p.annotations) if (a.url) citedUrls.push(a.url);
    }
  }
  return { text: texts.join('\n'), citedUrls, messages };
}
