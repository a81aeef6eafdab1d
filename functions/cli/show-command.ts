/**
 * `verdict show ID`: the experiment's summary, its interim readout while running or its verdict once
 * concluded, and a sparkline of the primary metric over baseline and window with the window marked.
 */
import type { Experiment } from '../domain/experiment';
import { iceProduct } from '../domain/experiment';
import type { InterimReadout, Verdict } from '../domain/verdict';
import { CONNECTION_HELP, defineCommand } from './command';
import { EXIT } from './exit-codes';
import type { EngineSummary } from '../domain/metrics/answer-agreement';
import { listChangeNote } from '../domain/scoring/summary';
import { decisionText, percentText, planLines, relativeTime, sparkline, spanMarker, statusText, valueText, whenText, windowText, type Palette } from './format';

export const SHOW_HELP = `Usage: verdict show ID [--json]

Shows an experiment: hypothesis, metric, window and decision rule; while running, the interim
readout (progress so far — not a verdict); once concluded, the verdict; and a sparkline of the
primary metric per day across the baseline and the window (marked).

  --json   { experiment, series } as JSON

${CONNECTION_HELP}

Example:
  verdict show exp_k3m9x2q7ab`;

/** One character per scheduled day: T treatment, c control, w washout, x skipped (weeks separated by spaces). */
export function assignmentStrip(schedule: readonly { date: string; arm: string; washout?: true }[], skipped: readonly string[]): string {
  return schedule.map((d, i) => `${i > 0 && i % 7 === 0 ? ' ' : ''}${skipped.includes(d.date) ? 'x' : d.washout ? 'w' : d.arm === 'treatment' ? 'T' : 'c'}`).join('');
}

type Shown = Experiment & { interim?: InterimReadout | null; verdict?: Verdict };
interface Series { unit: string; series: { date: string; value: number | null }[]; engines?: EngineSummary[] }

const DAY_MS = 86_400_000;

export const showCommand = defineCommand({ name: 'show', help: SHOW_HELP, positionals: ['ID'] }, async (ctx) => {
  const id = ctx.positionals[0];
  const e = await ctx.api.get<Shown>(`/experiments/${encodeURIComponent(id)}`);
  const readout = e.verdict ?? e.interim ?? undefined;
  const range = chartRange(e, readout, ctx.now);
  const series = range ? await ctx.api.get<Series>(`/metrics/${encodeURIComponent(e.primaryMetric)}?from=${range.from}&to=${range.to}`) : undefined;
  if (ctx.json) { ctx.printJson({ experiment: e, ...(series && { series }) }); return EXIT.ok; }

  const { p } = ctx;
  const row = (label: string, value: string) => ctx.out(`  ${p.dim(label.padEnd(11))} ${value}`);
  ctx.out(`${p.bold(e.name)}  ${p.dim(e.id)}  ${statusText(e.status, p)}`);
  row('Hypothesis', e.hypothesis);
  row('Metric', `${e.primaryMetric}${series ? ` (${series.unit})` : ''}${e.secondaryMetrics?.length ? p.dim(`  secondary: ${e.secondaryMetrics.join(', ')}`) : ''}`);
  row('Window', e.start ? `${windowText(e.start, e.end)} (${e.durationDays} days) · ${whenText(e, ctx.now)}` : `${e.durationDays} days once started · ${whenText(e, ctx.now)}`);
  const needed = `${(e.decision.confidence * 100).toFixed(1).replace(/\.0$/, '')} %`;
  row('Decision', e.decision.minLift > 0 ? `keep if the lift is ≥ ${percentText(e.decision.minLift)}, with ≥ ${needed} probability` : `keep if better than expected, with ≥ ${needed} probability of improvement`);
  if (e.iceScore) row('ICE', `${iceProduct(e.iceScore)} (impact ${e.iceScore.impact}, confidence ${e.iceScore.confidence}, ease ${e.iceScore.ease})`);
  if (e.channel || e.tags?.length) row('Labels', [e.channel && `channel ${e.channel}`, e.tags?.length && `tags ${e.tags.join(', ')}`].filter(Boolean).join(' · '));
  if (e.design === 'switchback' && e.switchback) {
    const sb = e.switchback;
    const localToday = new Intl.DateTimeFormat('en-CA', { timeZone: sb.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ctx.now);
    const today = sb.schedule.find((d) => d.date === localToday);
    row('Design', `switchback · ${sb.blockDays === 1 ? 'daily' : `blocks of ${sb.blockDays} days`}${sb.washoutDays ? ` · ${sb.washoutDays} washout day${sb.washoutDays === 1 ? '' : 's'} after a switch` : ''} · seed ${sb.seed} · ${sb.timeZone}`);
    row('Schedule', `${assignmentStrip(sb.schedule, sb.skips?.map((k) => k.date) ?? [])}  ${p.dim('T treatment · c control · w washout · x skipped')}`);
    if (today) row('Today', today.arm === 'treatment' ? p.green('treatment day: do it') : p.yellow('control day: do not do it'));
  }
  if (e.design === 'post_variants' && e.postVariants) {
    row('Design', `post variants · arms ${e.postVariants.arms.join(' / ')} (reference ${e.postVariants.arms[0]}) · marker ${e.postVariants.markerPrefix}ARM · ${e.postVariants.draws} drawn`);
  }
  if (e.startedBy === 'loop') row('Started', `by the loop from the backlog ${e.start ? relativeTime(e.start, ctx.now) : ''}`);
  if (e.status === 'abandoned') row('Abandoned', `${e.abandonedAt ? relativeTime(e.abandonedAt, ctx.now) : ''}${e.abandonReason ? ` — ${e.abandonReason}` : ''}`);

  // The plan stored at create: before a verdict what to expect, after it what was expected.
  if (e.plan && e.design !== 'switchback' && e.design !== 'post_variants') { ctx.out(''); for (const line of planLines(e.plan, p)) ctx.out(line); }
  if (e.verdict) printVerdict(e.verdict, ctx.out, p);
  else if (e.interim) printInterim(e.interim, ctx.out, p);
  else if (e.status === 'running') ctx.out(`\n${p.dim('Interim readout not available yet (too little data so far).')}`);

  if (series && range) {
    ctx.out('');
    const values = series.series.map((d) => d.value);
    const startIdx = series.series.findIndex((d) => d.date >= range.windowStart.slice(0, 10));
    const endIdx = series.series.findIndex((d) => d.date >= range.windowEnd.slice(0, 10));
    ctx.out(`  ${p.dim(`${e.primaryMetric} per day, ${series.series[0]?.date} → ${series.series[series.series.length - 1]?.date}`)}`);
    ctx.out(`  ${colourWindow(sparkline(values), startIdx, endIdx < 0 ? values.length : endIdx, p)}`);
    if (startIdx >= 0) ctx.out(`  ${spanMarker(values.length, startIdx, endIdx < 0 ? values.length : endIdx)}`);
    const today = ctx.now.toISOString().slice(0, 10);
    const past = series.series.filter((d) => d.date < today);
    const present = values.filter((v): v is number => v !== null);
    const gaps = past.filter((d) => d.value === null).length;
    // The same count as "ends in N days": whole days from now to the window's end.
    const toGo = e.end ? (e.interim?.daysLeft ?? Math.max(0, Math.ceil((Date.parse(e.end) - ctx.now.getTime()) / DAY_MS))) : 0;
    if (present.length > 0) {
      ctx.out(`  ${p.dim([`min ${valueText(Math.min(...present), series.unit)}`, `max ${valueText(Math.max(...present), series.unit)}`, gaps && `${gaps} day(s) without data`, toGo && e.status === 'running' && `${toGo} day(s) to go`].filter(Boolean).join(' · '))}`);
    }
  }
  if (series?.engines?.length) {
    ctx.out('');
    ctx.out(`  ${p.dim('Per engine over the chart (repeats: answers to the same prompt in the same run that agree)')}`);
    for (const line of engineLines(series.engines)) ctx.out(`  ${line}`);
  }
  if (e.learnings) { ctx.out(''); row('Learnings', e.learnings); }
  return EXIT.ok;
});

/** One line per answer engine: its rates and how often repeated answers agree — the GEO noise floor. */
export function engineLines(engines: readonly EngineSummary[]): string[] {
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const width = Math.max(...engines.map((g) => g.engine.length));
  return engines.map((g) => [
    g.engine.padEnd(width), `cited ${pct(g.citationRate)}`, `named ${pct(g.mentionRate)}`, `${g.answers} answers`,
    g.citedAgreement === null ? 'repeats: none (citations.repetitions ≥ 2 measures agreement)' : `repeats agree ${pct(g.citedAgreement)} on cited, ${pct(g.mentionedAgreement ?? 0)} on named (${g.repeatedGroups} groups)`,
  ].join(' · '));
}

/** Baseline start → window end (future days of a running window show blank), from the readout's periods or the default baseline. */
function chartRange(e: Shown, readout: Verdict | InterimReadout | undefined, now: Date): { from: string; to: string; windowStart: string; windowEnd: string } | undefined {
  if (!e.start || !e.end || Date.parse(e.start) > now.getTime()) return undefined;
  const weeks = Math.max(1, Math.ceil(e.durationDays / 7));
  const from = readout?.periods.baseline.start ?? e.baseline?.start ?? new Date(Date.parse(e.start) - weeks * 7 * DAY_MS).toISOString();
  return { from, to: e.end, windowStart: e.start, windowEnd: e.end };
}

function colourWindow(line: string, from: number, to: number, p: Palette): string {
  const chars = [...line];
  return `${p.dim(chars.slice(0, Math.max(0, from)).join(''))}${p.cyan(chars.slice(Math.max(0, from), to).join(''))}${chars.slice(to).join('')}`;
}

function effectLine(r: Pick<Verdict, 'windowValue' | 'expectedValue' | 'effect' | 'unit' | 'probabilityOfImprovement'>): string {
  const interval = r.effect.relativeInterval ? ` (95 %: ${percentText(r.effect.relativeInterval.lower)} to ${percentText(r.effect.relativeInterval.upper)})` : '';
  const lift = r.effect.relative !== null ? `, ${percentText(r.effect.relative)}${interval}` : '';
  const prob = r.probabilityOfImprovement !== null ? ` · P(improvement) ${(r.probabilityOfImprovement * 100).toFixed(0)} %` : '';
  return `window ${valueText(r.windowValue, r.unit)} vs expected ${valueText(r.expectedValue, r.unit)}${lift}${prob}`;
}

function printVerdict(v: Verdict, out: (s: string) => void, p: Palette): void {
  out('');
  const outcome = v.outcome === 'inconclusive' ? ` ${p.yellow(p.bold('INCONCLUSIVE'))}` : v.outcome === 'no_effect' ? ` ${p.bold('NO EFFECT')}` : '';
  out(`  ${p.bold('Verdict')}    ${decisionText(v.decision, p)}${outcome} ${p.dim(`(${v.reason.replace(/_/g, ' ')}, scored ${v.scoredAt.slice(0, 10)})`)}`);
  out(`  ${' '.repeat(11)} ${effectLine(v)}`);
  if (v.listChange) out(`  ${' '.repeat(11)} ${p.yellow('!')} ${listChangeNote(v.listChange, v.expectedValue, v.metric)}`);
  out(`  ${' '.repeat(11)} ${v.summary}`);
  for (const w of v.warnings) out(`  ${' '.repeat(11)} ${p.yellow('!')} ${w.message}`);
}

function printInterim(r: InterimReadout, out: (s: string) => void, p: Palette): void {
  out('');
  // Too little data is not a leaning either way (the API sends leaning null): say so, never "leaning DISCARD".
  const leaning = r.leaning === null ? 'no leaning yet (too few measured days)' : `leaning ${r.leaning.toUpperCase()}`;
  out(`  ${p.bold('Interim')}    ${p.yellow('not a verdict')} · day ${r.daysElapsed} of ${r.daysElapsed + r.daysLeft} · ${leaning}`);
  if (r.leaning !== null && r.expectedValue !== null) out(`  ${' '.repeat(11)} ${effectLine(r)}`);
  if (r.leaning !== null && r.listChange) out(`  ${' '.repeat(11)} ${p.yellow('!')} ${listChangeNote(r.listChange, r.expectedValue, r.metric)}`);
  out(`  ${' '.repeat(11)} ${r.summary}`);
}
