/**
 * Builds the body of a new experiment or backlog item from flags, asking for what is missing when the
 * terminal is interactive. The API validates the result with the same schemas; this only gathers it.
 */
import { MAX_WINDOW_DAYS, MIN_WINDOW_DAYS } from '../domain/experiment';
import type { MetricDefinition } from '../domain/metric-catalog';
import type { ApiClient } from './api-client';
import { list, num, parseIce, str, UsageError, type OptionValues } from './command';
import { daysProblem, textProblem } from './answer-checks';
import { createPrompter, isInteractive, type Prompter } from './prompts';
import type { CliIo } from './io';
import { errorMessage } from '../shared/errors';

/** Flags `verdict new` and `verdict backlog add` share. */
export const DESCRIBE_OPTIONS = {
  name: { type: 'string' },
  hypothesis: { type: 'string' },
  metric: { type: 'string' },
  days: { type: 'string' },
  'min-lift': { type: 'string' },
  confidence: { type: 'string' },
  channel: { type: 'string' },
  tag: { type: 'string', multiple: true },
  secondary: { type: 'string', multiple: true },
  ice: { type: 'string' },
  'no-input': { type: 'boolean' },
  design: { type: 'string' },
  'block-days': { type: 'string' },
  'washout-days': { type: 'string' },
  seed: { type: 'string' },
  'time-zone': { type: 'string' },
  arms: { type: 'string' },
  marker: { type: 'string' },
} as const;

export const DESCRIBE_HELP = `  --name TEXT            short name
  --hypothesis TEXT      what you expect to happen and why
  --metric KEY           primary metric from the catalog (see 'verdict metrics')
  --days N               window length, ${MIN_WINDOW_DAYS}–${MAX_WINDOW_DAYS} days (default 14)
  --min-lift PERCENT     keep only if the lift is at least this (default 0)
  --confidence PERCENT   probability of improvement required to keep (default 95)
  --channel TEXT         e.g. x, newsletter
  --tag TAG              repeatable (or comma-separated)
  --secondary KEY        secondary metric, repeatable
  --ice I,C,E            impact, confidence, ease, each 1–10
  --no-input             never prompt, even on a terminal
  --design KIND          before_after (default), switchback (random treatment/control days) or
                         post_variants (random arm per post)
  --block-days N         switchback: days per block (default 1, switch daily)
  --washout-days N       switchback: days after each switch left out (effects that linger)
  --time-zone TZ         switchback: IANA zone the days are counted in (default: the digest's)
  --seed N               seed of the random schedule or draws (default: random, stored)
  --arms A,B             post_variants: arm names, the first is the reference (e.g. raw,polished)
  --marker PREFIX        post_variants: marker prefix recognised in post text (default #v-)`;

export interface Described {
  name: string;
  hypothesis: string;
  primaryMetric: string;
  durationDays?: number;
  decision?: { minLift?: number; confidence?: number };
  channel?: string;
  tags?: string[];
  secondaryMetrics?: string[];
  iceScore?: { impact: number; confidence: number; ease: number };
  design?: 'before_after' | 'switchback' | 'post_variants';
  switchback?: { blockDays?: number; washoutDays?: number; seed?: number; timeZone?: string };
  postVariants?: { arms: string[]; markerPrefix?: string; seed?: number };
}

/** --design and its options → the request's design fields (the API validates them). */
function designFromFlags(values: OptionValues): Pick<Described, 'design' | 'switchback' | 'postVariants'> {
  const design = str(values, 'design');
  if (design === undefined) return {};
  if (design !== 'before_after' && design !== 'switchback' && design !== 'post_variants') {
    throw new UsageError(`--design must be before_after, switchback or post_variants (got ${design})`);
  }
  const seed = num(values, 'seed');
  if (design === 'switchback') {
    const blockDays = num(values, 'block-days');
    const washoutDays = num(values, 'washout-days');
    const timeZone = str(values, 'time-zone');
    return { design, switchback: { ...(blockDays !== undefined && { blockDays }), ...(washoutDays !== undefined && { washoutDays }), ...(seed !== undefined && { seed }), ...(timeZone && { timeZone }) } };
  }
  if (design === 'post_variants') {
    const arms = list(values, 'arms');
    if (!arms) throw new UsageError('--design post_variants needs --arms, e.g. --arms raw,polished');
    const markerPrefix = str(values, 'marker');
    return { design, postVariants: { arms, ...(markerPrefix && { markerPrefix }), ...(seed !== undefined && { seed }) } };
  }
  return { design };
}

/** "10" or "10%" → 0.1 (percent); values ≤ 1 for confidence are taken as fractions already. */
function percentFlag(values: OptionValues, name: string, kind: 'lift' | 'confidence'): number | undefined {
  const raw = str(values, name)?.replace(/%$/, '');
  if (raw === undefined) return undefined;
  const n = num({ [name]: raw }, name)!;
  return kind === 'confidence' && n <= 1 ? n : n / 100;
}

export function describedFromFlags(values: OptionValues): Partial<Described> {
  const minLift = percentFlag(values, 'min-lift', 'lift');
  const confidence = percentFlag(values, 'confidence', 'confidence');
  const ice = str(values, 'ice');
  return {
    ...(str(values, 'name') && { name: str(values, 'name') }),
    ...(str(values, 'hypothesis') && { hypothesis: str(values, 'hypothesis') }),
    ...(str(values, 'metric') && { primaryMetric: str(values, 'metric') }),
    ...(num(values, 'days') !== undefined && { durationDays: num(values, 'days') }),
    ...((minLift !== undefined || confidence !== undefined) && { decision: { ...(minLift !== undefined && { minLift }), ...(confidence !== undefined && { confidence }) } }),
    ...(str(values, 'channel') && { channel: str(values, 'channel') }),
    ...(list(values, 'tag') && { tags: list(values, 'tag') }),
    ...(list(values, 'secondary') && { secondaryMetrics: list(values, 'secondary') }),
    ...(ice && { iceScore: parseIce(ice) }),
    ...designFromFlags(values),
  };
}

export interface Gathered { described: Described; prompter?: Prompter }

/**
 * Flags first; on an interactive terminal (unless --no-input) asks for everything not given, choosing
 * the metric from the catalog. Otherwise a missing name, hypothesis or metric is a usage error.
 */
export async function gatherDescribed(values: OptionValues, io: CliIo, api: ApiClient, options: { askIce: boolean }): Promise<Gathered> {
  const given = describedFromFlags(values);
  const missing = (['name', 'hypothesis', 'primaryMetric'] as const).filter((k) => !given[k]);
  if (!isInteractive(io) || values['no-input']) {
    if (missing.length > 0) {
      throw new UsageError(`Missing ${missing.map((k) => `--${k === 'primaryMetric' ? 'metric' : k}`).join(', ')} (or run it on a terminal to be asked)`);
    }
    return { described: given as Described };
  }
  const prompter = createPrompter(io);
  const name = given.name ?? await prompter.ask('Name', { validate: (a) => textProblem('The name', a, 200) });
  const hypothesis = given.hypothesis ?? await prompter.ask('Hypothesis (what you expect, and why)', { validate: (a) => textProblem('The hypothesis', a, 2000) });
  let primaryMetric = given.primaryMetric;
  if (!primaryMetric) {
    const { items } = await api.get<{ items: (MetricDefinition & { accounts?: string[] })[] }>('/metrics');
    // Each configured account's keys (x.follower_growth_rate@acme) follow the default account's.
    const choices = items.flatMap((m) => [m.key, ...(m.accounts ?? []).map((a) => `${m.key}@${a}`)].map((key) => ({ value: key, label: `${key.padEnd(34)} ${m.description} (${m.unit})` })));
    primaryMetric = await prompter.choose('Primary metric:', choices);
  }
  const days = given.durationDays ?? Number(await prompter.ask(`Window in days (${MIN_WINDOW_DAYS}–${MAX_WINDOW_DAYS})`, {
    default: '14', validate: daysProblem,
  }));
  const decision = given.decision ?? {
    minLift: Number(await prompter.ask('Keep only if the lift is at least (%)', { default: '0', validate: (a) => (Number.isFinite(Number(a.replace(/%$/, ''))) && Number(a.replace(/%$/, '')) >= 0 ? undefined : `The minimum lift is a percentage of 0 or more, e.g. 10 for +10 % (got "${a}")`) }).then((a) => a.replace(/%$/, ''))) / 100,
    confidence: Number(await prompter.ask('…with a probability of improvement of at least (%)', { default: '95', validate: (a) => (Number(a.replace(/%$/, '')) >= 50 && Number(a.replace(/%$/, '')) <= 99.9 ? undefined : `The required probability is a percentage from 50 to 99.9, e.g. 95 (got "${a}")`) }).then((a) => a.replace(/%$/, ''))) / 100,
  };
  let iceScore = given.iceScore;
  if (!iceScore && options.askIce) {
    const raw = await prompter.ask('ICE score as impact,confidence,ease (1–10 each; Enter to skip)', {
      optional: true, validate: (a) => { try { parseIce(a); return undefined; } catch (e) { return errorMessage(e); } },
    });
    if (raw) iceScore = parseIce(raw);
  }
  return { described: { ...given, name, hypothesis, primaryMetric, durationDays: days, decision, ...(iceScore && { iceScore }) }, prompter };
}

/** --start: now | today | tomorrow | YYYY-MM-DD | ISO date-time. */
export function parseStart(raw: string | undefined, now: Date): string {
  if (raw === undefined || raw === 'now') return now.toISOString();
  const today = now.toISOString().slice(0, 10);
  if (raw === 'today') return today;
  if (raw === 'tomorrow') return new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10);
  return raw;
}
