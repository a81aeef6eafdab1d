/**
 * One collection run: a source, a scheduled slot. Idempotent per slot (a slot already collected is not
 * collected again), honours pauses (rate limits, usage caps, the citation spend cap), never lets a
 * source failure escape as data, and always records a CollectionRun for GET /health.
 */
import { ObservationSchema, type Observation } from '../domain/observation';
import { sourceSettings, targetName, type AppConfig, type SourceName } from '../shared/app-config';
import { slotFor, startOfNextMonth } from '../shared/schedules';
import { roundUsd } from '../sources/citation-run';
import { BACKFILL_SOURCES, CITATION_SOURCES } from '../sources/collector-entries';
import { secretRedactor } from '../shared/redaction';
import { SourceError, type CollectResult, type CredentialsProvider, type Source, type SpendLedger } from '../sources/source';
import type { Credentials } from '../sources/source';
import type { ObservationStore } from '../store/observation-store';
import type { CollectionRun, RunStore } from '../store/run-store';

export interface CollectDeps {
  config: AppConfig;
  runs: RunStore;
  observations: ObservationStore;
  credentials: CredentialsProvider;
  /** Builds the adapter for a source's account (absent: the default account): see configForTarget. */
  buildSource: (name: SourceName, credentials: Credentials, account?: string) => Source;
  log: { info(message: string, extra?: Record<string, unknown>): void; warn(message: string, extra?: Record<string, unknown>): void };
  now?: () => Date;
}

/** Margin kept from the handler's remaining time so the run is always recorded. */
const RECORD_MARGIN_MS = 3_000;

type RunFields = Omit<CollectionRun, 'durationMs' | 'source' | 'account' | 'slot' | 'startedAt'>;

/**
 * Collects `source` (its configured `account`, or the default account) for the slot containing
 * `scheduledTime`. `budgetMs` is how long the caller may wait (the Lambda's remaining time); the source
 * gets that minus a margin. An account's observations are stamped with its name (its own series), and
 * its runs and pauses are its own.
 */
export async function collectSlot(source: SourceName, scheduledTime: string, budgetMs: number, deps: CollectDeps, account?: string): Promise<CollectionRun> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const target = targetName({ source, account });
  const settings = sourceSettings(deps.config, source, account);
  const slot = slotFor(scheduledTime, { everyMinutes: (settings ?? deps.config.sources[source]).everyMinutes }).toISOString();
  const base = { source, ...(account !== undefined && { account }), slot, startedAt: started.toISOString(), observations: 0 };

  const previous = await deps.runs.getRun(source, slot, account);
  if (previous && (previous.outcome === 'ok' || previous.outcome === 'not_configured')) {
    // Duplicate or late re-delivery of a finished slot: no second upstream read, one observation per slot.
    const again = { ...previous, deliveries: (previous.deliveries ?? 1) + 1 };
    await deps.runs.recordRun(again);
    return again;
  }
  // A retried slot overwrites its run item: carry the money earlier attempts spent, so its record shows it.
  const earlierCostUsd = previous?.costUsd ?? 0;
  let ledger: ReturnType<typeof spendLedger> | undefined;
  const finish = async (run: RunFields) => {
    // Spend the adapter did not settle through the ledger (a failure's reported cost) joins the counter too.
    if (ledger) await ledger.settleRest(run.costUsd ?? 0);
    const costUsd = earlierCostUsd + (run.costUsd ?? 0);
    const { costUsd: _ignored, ...rest } = run;
    void _ignored;
    const record: CollectionRun = { ...base, ...rest, ...(costUsd > 0 && { costUsd: roundUsd(costUsd) }), durationMs: now().getTime() - started.getTime() };
    await deps.runs.recordRun(record);
    return record;
  };

  if (!settings) {
    deps.log.warn(`source ${target} not configured: no such account in sources.${source}.accounts`, { source, account });
    return finish({ outcome: 'not_configured', observations: 0, message: `no account ${account} in sources.${source}.accounts` });
  }

  const state = await deps.runs.getSourceState(source, account);
  if (state?.pausedUntil && state.pausedUntil > started.toISOString()) {
    return finish({ outcome: 'paused', observations: 0, resetAt: state.pausedUntil, message: `paused (${state.pauseReason}) until ${state.pausedUntil}` });
  }

  const credentials = await deps.credentials.credentialsFor(source, account);
  if (!credentials) {
    deps.log.info(`source ${target} not configured: skipped`, { source, account });
    return finish({ outcome: 'not_configured', observations: 0, message: 'no credentials configured' });
  }

  let spendBudgetUsd: number | undefined;
  if (CITATION_SOURCES.includes(source)) {
    const cap = deps.config.citations.monthlySpendCapUsd;
    const spent = await deps.runs.citationSpendUsd(started, () => deps.runs.monthToDateCostUsd(CITATION_SOURCES, started));
    if (spent >= cap) {
      const resetAt = startOfNextMonth(started);
      await deps.runs.putSourceState({ source, ...(account !== undefined && { account }), pausedUntil: resetAt, pauseReason: 'usage_capped', updatedAt: now().toISOString() });
      deps.log.warn(`source ${target} skipped: monthly citation spend cap reached`, { source, spentUsd: spent, capUsd: cap });
      return finish({
        outcome: 'usage_capped', observations: 0, errorCode: 'usage_capped', resetAt,
        message: `monthly citation spend cap reached ($${spent.toFixed(2)} of $${cap.toFixed(2)}); paused until ${resetAt}`,
      });
    }
    spendBudgetUsd = roundUsd(cap - spent);
    ledger = spendLedger(deps.runs, started, cap);
  }

  // Sources that backfill history read it all on a first run, and only recent days after a successful one.
  const lastSuccessfulSlot = BACKFILL_SOURCES.includes(source)
    ? (await deps.runs.recentRuns(source, 30, account)).find((r) => r.outcome === 'ok' && r.slot < slot)?.slot
    : undefined;

  // The budget is wall-clock time, whatever clock `now` injects.
  const deadline = Date.now() + Math.max(1_000, budgetMs - RECORD_MARGIN_MS);
  try {
    const adapter = deps.buildSource(source, credentials, account);
    const result = await withDeadline(adapter.collect({
      slot, deadline, log: deps.log, ...(spendBudgetUsd !== undefined && { spendBudgetUsd }), ...(ledger && { spend: ledger }),
      ...(lastSuccessfulSlot && { lastSuccessfulSlot }),
    }), deadline - Date.now());
    const valid = validateObservations(account === undefined ? result.observations : result.observations.map((o) => ({ ...o, accountName: account })), target);
    const written = await deps.observations.putMany(valid);
    if (result.pause) await pauseSource(source, account, result.pause, deps, now);
    return finish({
      outcome: result.partial ? 'partial' : 'ok',
      observations: written,
      ...(result.requests !== undefined && { requests: result.requests }),
      ...(result.costUsd !== undefined && { costUsd: result.costUsd }),
      ...(result.partial && { message: partialMessage(result) }),
      ...(result.pause && { resetAt: result.pause.until }),
    });
  } catch (err) {
    if (!(err instanceof SourceError)) throw err; // store or programming errors: let the invocation fail and retry
    const paused = err.code === 'rate_limited' || err.code === 'usage_capped';
    if (paused && err.extra.resetAt) await pauseSource(source, account, { reason: err.code as 'rate_limited' | 'usage_capped', until: err.extra.resetAt }, deps, now);
    // Adapters redact what their HTTP client sees; this catches any library or adapter message that quotes a credential.
    const message = secretRedactor({ values: Object.values(credentials) })(err.message);
    deps.log.warn(`source ${target} failed`, { source, account, slot, errorCode: err.code, message });
    return finish({
      outcome: paused ? (err.code as 'rate_limited' | 'usage_capped') : 'failed',
      observations: 0,
      errorCode: err.code,
      message,
      ...(err.extra.resetAt && { resetAt: err.extra.resetAt }),
      ...(err.extra.costUsd !== undefined && { costUsd: err.extra.costUsd }),
    });
  }
}

/**
 * The month's spend counter as the adapter sees it (reserve before a paid call, settle after), keeping
 * what this run settled so `settleRest` can add any cost the adapter reported without settling it.
 */
function spendLedger(runs: RunStore, month: Date, capUsd: number): SpendLedger & { settleRest(runCostUsd: number): Promise<void> } {
  let settledUsd = 0;
  return {
    reserve: (usd) => runs.reserveCitationSpend(month, usd, capUsd),
    async settle(reservedUsd, spentUsd) {
      settledUsd += spentUsd;
      await runs.addCitationSpend(month, spentUsd - reservedUsd);
    },
    async settleRest(runCostUsd) {
      const rest = roundUsd(runCostUsd - settledUsd);
      settledUsd += rest;
      if (rest > 0) await runs.addCitationSpend(month, rest);
    },
  };
}

async function pauseSource(source: SourceName, account: string | undefined, pause: NonNullable<CollectResult['pause']>, deps: CollectDeps, now: () => Date): Promise<void> {
  await deps.runs.putSourceState({ source, ...(account !== undefined && { account }), pausedUntil: pause.until, pauseReason: pause.reason, updatedAt: now().toISOString() });
}

function partialMessage(result: CollectResult): string {
  const base = 'page walk cut short; data is incomplete';
  return result.pause ? `${base} (${result.pause.reason} until ${result.pause.until})` : base;
}

/** Re-validates what an adapter produced: a mapping bug must not become data. */
function validateObservations(observations: readonly Observation[], source: string): Observation[] {
  return observations.map((o, i) => {
    const parsed = ObservationSchema.safeParse(o);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SourceError('schema_mismatch', `${source} produced an invalid observation #${i}: ${issue.path.join('.')}: ${issue.message}`);
    }
    return parsed.data;
  });
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SourceError('timeout', `source did not finish within its ${Math.round(ms)} ms budget`)), Math.max(0, ms));
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
