/**
 * `verdict new` on a terminal, after the API rejected the request: asks again for exactly the fields the
 * API named (each issue said in words first) and changes only those in the body; every other answer is
 * kept. Each field of POST /experiments has its question here, so no rejection loses the other answers.
 */
import { EXPERIMENT_DESIGNS } from '../domain/experiment';
import type { MetricDefinition } from '../domain/metric-catalog';
import type { ApiClient } from './api-client';
import { daysProblem, issueInWords, startProblem, textProblem } from './answer-checks';
import { parseIce } from './command';
import { parseStart } from './experiment-input';
import type { Prompter } from './prompts';
import { errorMessage } from '../shared/errors';

/** The request body as `verdict new` builds it. */
export type CreateBody = Record<string, unknown> & { name: string; primaryMetric: string; start: string };

export interface ReaskContext {
  prompter: Prompter;
  api: Pick<ApiClient, 'get'>;
  now: Date;
  out(text: string): void;
}

type Asker = (body: CreateBody, c: ReaskContext) => Promise<void>;

const commaList = (answer: string) => answer.split(',').map((s) => s.trim()).filter(Boolean);
const percent = (answer: string) => Number(answer.replace(/%$/, '').trim());
const wholeNumber = (min: number, max: number, what: string) => (a: string) =>
  (/^\d+$/.test(a) && Number(a) >= min && Number(a) <= max ? undefined : `${what} is a whole number from ${min} to ${max} (got "${a}")`);
/** Sets `body[key][field]`, creating the object; an empty answer removes the field. */
function setNested(body: CreateBody, key: string, field: string, value: unknown): void {
  const inner = { ...(body[key] as Record<string, unknown> | undefined) };
  if (value === undefined) delete inner[field]; else inner[field] = value;
  body[key] = inner;
}
function setOptional(body: CreateBody, key: string, value: unknown): void {
  if (value === undefined) delete body[key]; else body[key] = value;
}

async function chooseMetric(c: ReaskContext, question: string): Promise<string> {
  const { items } = await c.api.get<{ items: MetricDefinition[] }>('/metrics');
  return c.prompter.choose(question, items.map((m) => ({ value: m.key, label: `${m.key.padEnd(34)} ${m.description} (${m.unit})` })));
}

const askStartAnswer = (c: ReaskContext, question: string, optional = false) =>
  c.prompter.ask(question, { optional, validate: (a) => startProblem(parseStart(a, c.now)) });

/** One question per request field (the first segment of an issue's path, or two for nested options). */
const ASKERS: Record<string, Asker> = {
  name: async (b, c) => { b.name = await c.prompter.ask('Name', { validate: (a) => textProblem('The name', a, 200) }); },
  hypothesis: async (b, c) => { b.hypothesis = await c.prompter.ask('Hypothesis (what you expect, and why)', { validate: (a) => textProblem('The hypothesis', a, 2000) }); },
  primaryMetric: async (b, c) => { b.primaryMetric = await chooseMetric(c, 'Primary metric:'); },
  start: async (b, c) => { b.start = parseStart(await askStartAnswer(c, 'Start (now, today, tomorrow or YYYY-MM-DD)'), c.now); },
  durationDays: async (b, c) => { delete b.end; b.durationDays = Number(await c.prompter.ask('Window in days', { default: '14', validate: daysProblem })); },
  // A rejected end is asked as a number of days: the window's length is what was wrong.
  end: async (b, c) => { delete b.end; b.durationDays = Number(await c.prompter.ask('Window in days (instead of the end date)', { default: '14', validate: daysProblem })); },
  'decision.minLift': async (b, c) => {
    const a = await c.prompter.ask('Keep only if the lift is at least (%)', { default: '0', validate: (x) => (Number.isFinite(percent(x)) && percent(x) >= 0 ? undefined : `The minimum lift is a percentage of 0 or more, e.g. 10 for +10 % (got "${x}")`) });
    setNested(b, 'decision', 'minLift', percent(a) / 100);
  },
  'decision.confidence': async (b, c) => {
    const a = await c.prompter.ask('…with a probability of improvement of at least (%)', { default: '95', validate: (x) => (percent(x) >= 50 && percent(x) <= 99.9 ? undefined : `The required probability is a percentage from 50 to 99.9, e.g. 95 (got "${x}")`) });
    setNested(b, 'decision', 'confidence', percent(a) / 100);
  },
  baseline: async (b, c) => {
    const a = await askStartAnswer(c, 'Baseline from (YYYY-MM-DD; Enter for the default, the history before the start)', true);
    setOptional(b, 'baseline', a ? { start: parseStart(a, c.now), end: b.start } : undefined);
  },
  channel: async (b, c) => {
    setOptional(b, 'channel', (await c.prompter.ask('Channel, e.g. x or newsletter (Enter for none)', { optional: true, validate: (a) => textProblem('The channel', a, 100) })) || undefined);
  },
  tags: async (b, c) => {
    const a = await c.prompter.ask('Tags, comma-separated (Enter for none)', { optional: true, validate: (x) => commaList(x).length > 20 ? 'At most 20 tags' : commaList(x).find((t) => t.length > 50) ? 'A tag is at most 50 characters' : undefined });
    setOptional(b, 'tags', commaList(a).length > 0 ? commaList(a) : undefined);
  },
  secondaryMetrics: async (b, c) => {
    const { items } = await c.api.get<{ items: MetricDefinition[] }>('/metrics');
    const known = new Set(items.map((m) => m.key));
    c.out(`  Catalog: ${items.map((m) => m.key).join(', ')}`);
    const a = await c.prompter.ask('Secondary metrics, comma-separated (Enter for none)', { optional: true, validate: (x) => { const bad = commaList(x).filter((k) => !known.has(k.replace(/[:@].*$/, ''))); return bad.length > 0 ? `Not in the catalog: ${bad.join(', ')}` : undefined; } });
    setOptional(b, 'secondaryMetrics', commaList(a).length > 0 ? commaList(a) : undefined);
  },
  iceScore: async (b, c) => {
    const a = await c.prompter.ask('ICE score as impact,confidence,ease (1–10 each; Enter to skip)', { optional: true, validate: (x) => { try { parseIce(x); return undefined; } catch (e) { return errorMessage(e); } } });
    setOptional(b, 'iceScore', a ? parseIce(a) : undefined);
  },
  design: async (b, c) => {
    b.design = await c.prompter.choose('Design:', EXPERIMENT_DESIGNS.map((d) => ({ value: d, label: d })));
    if (b.design !== 'switchback') delete b.switchback;
    if (b.design !== 'post_variants') delete b.postVariants;
  },
  'switchback.blockDays': async (b, c) => { setNested(b, 'switchback', 'blockDays', Number(await c.prompter.ask('Switchback: days per block (1–7)', { default: '1', validate: wholeNumber(1, 7, 'A block') }))); },
  'switchback.washoutDays': async (b, c) => { setNested(b, 'switchback', 'washoutDays', Number(await c.prompter.ask('Switchback: washout days after each switch (0–6, fewer than the block)', { default: '0', validate: wholeNumber(0, 6, 'The washout') }))); },
  'switchback.seed': async (b, c) => { const a = await c.prompter.ask('Seed of the random schedule (Enter for a random one)', { optional: true, validate: (x) => wholeNumber(1, 2_147_483_647, 'The seed')(x) }); setNested(b, 'switchback', 'seed', a ? Number(a) : undefined); },
  'switchback.timeZone': async (b, c) => { const a = await c.prompter.ask('Switchback: time zone, e.g. Europe/Berlin (Enter for the digest\'s)', { optional: true }); setNested(b, 'switchback', 'timeZone', a || undefined); },
  'postVariants.arms': async (b, c) => { setNested(b, 'postVariants', 'arms', commaList(await c.prompter.ask('Post variants: arm names, comma-separated, the reference first (e.g. raw,polished)'))); },
  'postVariants.markerPrefix': async (b, c) => { const a = await c.prompter.ask('Post variants: marker prefix (Enter for #v-)', { optional: true }); setNested(b, 'postVariants', 'markerPrefix', a || undefined); },
  'postVariants.seed': async (b, c) => { const a = await c.prompter.ask('Seed of the arm draws (Enter for a random one)', { optional: true, validate: (x) => wholeNumber(1, 2_147_483_647, 'The seed')(x) }); setNested(b, 'postVariants', 'seed', a ? Number(a) : undefined); },
};

/** Which question answers an issue at `path` ("tags.3" → tags, "decision.minLift", "switchback" → design). */
export function askerKey(path: string): string | undefined {
  const [head, second] = path.split('.');
  if (second !== undefined && ASKERS[`${head}.${second}`]) return `${head}.${second}`;
  if (head === 'decision') return second === undefined ? 'decision.minLift' : undefined;
  // "switchback options need design: switchback": the design is what to ask.
  if ((head === 'switchback' || head === 'postVariants') && second === undefined) return head === 'postVariants' ? 'postVariants.arms' : 'design';
  return ASKERS[head] ? head : undefined;
}

/**
 * Whether every issue can be asked again. When one cannot (an issue without a field), nothing is
 * asked: the caller reports the rejection as it is.
 */
export function canReask(issues: readonly { path: string }[]): boolean {
  return issues.length > 0 && issues.every((i) => askerKey(i.path) !== undefined);
}

/** Says each issue in words and asks its field again (each field once), changing only those in `body`. */
export async function reaskRejected(issues: readonly { path: string; message: string }[], body: CreateBody, c: ReaskContext): Promise<void> {
  const asked = new Set<string>();
  for (const issue of issues) {
    c.out(`  ${issueInWords(issue)}.`);
    const key = askerKey(issue.path)!;
    if (asked.has(key)) continue;
    asked.add(key);
    await ASKERS[key](body, c);
  }
}
