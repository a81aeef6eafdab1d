/** What API routes may use: stores, config and a clock — injected so tests and the local runtime pass their own. */
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../shared/app-config';
import type { ExperimentStore } from '../store/experiment-store';
import type { ObservationStore } from '../store/observation-store';
import type { RunStore } from '../store/run-store';

export interface ApiServices {
  experiments: ExperimentStore;
  observations: ObservationStore;
  runs: RunStore;
  config: AppConfig;
  now: () => Date;
  newId: () => string;
  log: {
    info(message: string, extra?: Record<string, unknown>): void;
    warn(message: string, extra?: Record<string, unknown>): void;
    error(message: string, extra?: Record<string, unknown>): void;
  };
}

/** Short, URL-safe experiment ids (`exp_` + 10 random base32 characters). */
export function newExperimentId(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return `exp_${[...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}
