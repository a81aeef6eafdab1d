/** A CollectContext for calling adapters directly, recording what they log. */
import type { CollectContext } from '../../functions/sources/source';

export interface RecordingContext extends CollectContext {
  warnings: { message: string; extra?: Record<string, unknown> }[];
  infos: { message: string; extra?: Record<string, unknown> }[];
}

export function aCollectContext(overrides: Partial<CollectContext> = {}): RecordingContext {
  const warnings: RecordingContext['warnings'] = [];
  const infos: RecordingContext['infos'] = [];
  return {
    slot: '2026-03-05T06:00:00.000Z',
    deadline: Date.now() + 20_000,
    log: { info: (message, extra) => { infos.push({ message, extra }); }, warn: (message, extra) => { warnings.push({ message, extra }); } },
    ...overrides,
    warnings,
    infos,
  };
}

/** Runs `work` and returns the SourceError (or other error) it rejects with; fails if it resolves. */
export async function failureOf(work: Promise<unknown>): Promise<Error & { code?: string; extra?: Record<string, unknown> }> {
  try {
    await work;
  } catch (err) {
    return err as Error & { code?: string; extra?: Record<string, unknown> };
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Ids of the rich observations (x.post, newsletter.send) of `metric`, in order. */
export function idsOf(observations: readonly { metric: string }[], metric: 'x.post' | 'newsletter.send'): string[] {
  return observations.filter((o) => o.metric === metric).map((o) => (o as unknown as { id: string }).id);
}
