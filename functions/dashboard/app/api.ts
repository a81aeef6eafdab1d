/**
 * The dashboard's only way to data: the authenticated API, same origin, the token from session
 * storage as a Bearer header. Response shapes are read tolerantly — a field the API adds later must
 * not break the page, and a missing one shows as "—".
 */
import type { Experiment } from '../../domain/experiment';
import type { MetricDefinition } from '../../domain/metric-catalog';
import type { ResearchLogRow } from '../../domain/research-log';
import type { InterimReadout as DomainInterimReadout, Verdict as DomainVerdict } from '../../domain/verdict';

export type { Experiment, MetricDefinition };
export type { Today, TodaysAssignment } from '../../domain/assignments';
/** Verdicts and readouts name the unit of their values (newer APIs); older ones leave it to the catalog. */
export type Verdict = DomainVerdict & { unit?: string };
export type InterimReadout = DomainInterimReadout & { unit?: string };

/** GET /experiments/{id}: the experiment, with an interim readout while it runs (and lifecycle notes). */
export type ExperimentDetail = Experiment & { interim?: InterimReadout | null; startedBy?: 'user' | 'loop'; abandonReason?: string };

export interface DailyPoint { date: string; value: number | null }
export interface MetricSeries { metric: string; unit?: string; points: DailyPoint[] }

/** One row of GET /log?format=json. */
export type LogRow = ResearchLogRow;

export interface SourceHealth {
  source: string;
  lastRun: { slot?: string; startedAt?: string; outcome?: string; observations?: number; errorCode?: string; message?: string } | null;
  nextSlot?: string | null;
  pausedUntil?: string | null;
  pauseReason?: string | null;
  /** Recent failed runs, when the API reports them (a count or the runs themselves). */
  failures?: number | unknown[] | null;
  recentFailures?: number | unknown[] | null;
}

export interface Health {
  now?: string;
  sources: SourceHealth[];
  /** false: nothing runs on a schedule (local runtime with --no-schedule). */
  schedule?: { running: boolean };
  scorer?: { lastRun: { startedAt?: string; slot?: string; outcome?: string } | null; nextSlot?: string | null } | null;
  experiments?: { running: number; target: number } | null;
  loop?: { message?: string; state?: string } | null;
}

/** One idea of GET /backlog, in the order the loop starts them. */
export interface BacklogEntry {
  rank: number;
  /** impact × confidence × ease; null when unscored. */
  ice: number | null;
  startsNext?: boolean;
  blockedBy?: { experimentId: string; name: string; metric: string; until?: string };
  experiment: Experiment;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly requestId?: string) {
    super(message);
  }
}

export class UnauthorizedError extends ApiError {
  constructor() { super(401, 'unauthorized', 'The API did not accept the token'); }
}

/** `{ items: [...] }` or a bare array → the array. */
function itemsOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  const items = (body as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? (items as T[]) : [];
}

export class ApiClient {
  constructor(private readonly token: string, private readonly onUnauthorized: () => void = () => {}) {}

  private async request(path: string, accept: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(path, { headers: { authorization: `Bearer ${this.token}`, accept }, cache: 'no-store', credentials: 'omit' });
    } catch {
      throw new ApiError(0, 'network', 'Could not reach the API');
    }
    if (res.status === 401) {
      this.onUnauthorized();
      throw new UnauthorizedError();
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; requestId?: string } } | null;
      throw new ApiError(res.status, body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? `The API answered ${res.status}`, body?.error?.requestId);
    }
    return res;
  }

  async json<T>(path: string): Promise<T> {
    return (await (await this.request(path, 'application/json')).json()) as T;
  }

  async text(path: string): Promise<string> {
    return (await this.request(path, 'text/plain, */*')).text();
  }

  health(): Promise<Health> {
    return this.json<Health>('/health');
  }

  metrics(): Promise<MetricDefinition[]> {
    return this.json<unknown>('/metrics').then((b) => itemsOf<MetricDefinition>(b));
  }

  /** Every experiment (follows cursors, at most `maxPages` pages of 200). */
  async experiments(options: { status?: string; maxPages?: number } = {}): Promise<Experiment[]> {
    const out: Experiment[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < (options.maxPages ?? 5); page++) {
      const q = new URLSearchParams({ limit: '200' });
      if (options.status) q.set('status', options.status);
      if (cursor) q.set('cursor', cursor);
      const body = await this.json<{ items?: Experiment[]; nextCursor?: string }>(`/experiments?${q}`);
      out.push(...itemsOf<Experiment>(body));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return out;
  }

  async experiment(id: string): Promise<ExperimentDetail> {
    const body = await this.json<ExperimentDetail & { interimReadout?: InterimReadout; readout?: InterimReadout }>(`/experiments/${encodeURIComponent(id)}`);
    const interim = body.interim ?? body.interimReadout ?? body.readout ?? null;
    return { ...body, interim };
  }

  /** The experiment's verdict, or null while it has none (404). */
  async verdict(id: string): Promise<Verdict | null> {
    try {
      return await this.json<Verdict>(`/experiments/${encodeURIComponent(id)}/verdict`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  /** The metric's derived daily series over [from, to) (UTC dates, YYYY-MM-DD). */
  async series(metric: string, from: string, to: string): Promise<MetricSeries> {
    const body = await this.json<{ metric?: string; unit?: string; series?: DailyPoint[]; points?: DailyPoint[]; days?: DailyPoint[] } | DailyPoint[]>(
      `/metrics/${encodeURIComponent(metric)}?${new URLSearchParams({ from, to })}`,
    );
    if (Array.isArray(body)) return { metric, points: body };
    return { metric: body.metric ?? metric, unit: body.unit, points: body.series ?? body.points ?? body.days ?? [] };
  }

  /** The backlog ranked by ICE, with the loop's one-line status. */
  async backlog(): Promise<{ items: BacklogEntry[]; message?: string }> {
    const body = await this.json<{ items?: BacklogEntry[]; loop?: { message?: string } }>('/backlog');
    return { items: itemsOf<BacklogEntry>(body), message: body.loop?.message };
  }

  /** Today's assignments of the randomized experiments (switchback days, post draws). */
  today(): Promise<import('../../domain/assignments').Today> {
    return this.json('/today');
  }

  researchLog(): Promise<LogRow[]> {
    return this.json<unknown>('/log?format=json').then((b) => itemsOf<LogRow>(b));
  }

  researchLogTsv(): Promise<string> {
    return this.text('/log?format=tsv');
  }
}
