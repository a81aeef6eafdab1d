/**
 * The experiment's items in the table model (see entities.ts): the experiment, its current verdict, each
 * recorded verdict and its research-log row — their type tags, index attributes and full domain schemas.
 * Apart from entities.ts only so that stores that never read them (a collector's) do not load these schemas.
 */
import { ExperimentRecordSchema, iceProduct, type Experiment } from '../domain/experiment';
import type { ExperimentStatus } from '../domain/experiment-status';
import type { ResearchLogRow } from '../domain/research-log';
import type { Verdict } from '../domain/verdict';
import { ResearchLogRowSchema, VerdictSchema } from '../domain/verdict-schema';
import type { Entity } from './entities';

/** gsi1's partition of the experiments in one status (lists by status, the scorer's due list, the backlog). */
export function statusPartition(status: ExperimentStatus): string {
  return `STATUS#${status}`;
}
/** gsi2's partition of every experiment (GET /experiments without a status), by creation. */
export const ALL_EXPERIMENTS_PARTITION = 'EXPERIMENTS';
/** gsi2's partition of the current verdicts, by scoredAt (the digest's "verdicts this week"). */
export const VERDICTS_PARTITION = 'VERDICTS';
/** gsi1's partition of the research log's rows. */
export const LOG_PARTITION = 'LOG';

/**
 * The backlog's gsi1 sort key: its start order — ICE product high to low (`R<1000 − product>`; unscored
 * last as R9999), then oldest first.
 */
export function backlogRankKey(e: Pick<Experiment, 'iceScore' | 'createdAt' | 'id'>): string {
  const ice = iceProduct(e.iceScore);
  return `R${ice === undefined ? '9999' : String(1000 - ice).padStart(4, '0')}#${e.createdAt}#${e.id}`;
}

/** An experiment (EXP#<id> / EXPERIMENT): on gsi1 by status (backlog in start order, others by end), on gsi2 by creation. */
export const experimentEntity: Entity<Experiment> = {
  type: 'experiment',
  schema: ExperimentRecordSchema,
  indexes: (e) => ({
    gsi1pk: statusPartition(e.status),
    gsi1sk: e.status === 'backlog' ? backlogRankKey(e) : `${e.end ?? e.createdAt}#${e.id}`,
    gsi2pk: ALL_EXPERIMENTS_PARTITION,
    gsi2sk: `${e.createdAt}#${e.id}`,
  }),
};

/** The current verdict (EXP#<id> / VERDICT), on gsi2 under VERDICTS by scoredAt. */
export const currentVerdictEntity: Entity<Verdict> = {
  type: 'verdict',
  schema: VerdictSchema,
  indexes: (v) => ({ gsi2pk: VERDICTS_PARTITION, gsi2sk: `${v.scoredAt}#${v.experimentId}` }),
};
/** Each verdict recorded (EXP#<id> / VERDICT#<scoredAt>): the rescore history. */
export const verdictHistoryEntity: Entity<Verdict> = { type: 'verdict', schema: VerdictSchema };

/** Log order as a sort key: researchLogRows' order (concluded, then window end, then id — all descending). */
export function logSortKey(row: Pick<ResearchLogRow, 'concludedAt' | 'window' | 'id'>): string {
  return `${row.concludedAt}#${row.window.end}#${row.id}`;
}

/** A research-log row (EXP#<id> / LOGROW), on gsi1 under LOG in log order. */
export const logRowEntity: Entity<ResearchLogRow> = {
  type: 'logrow',
  schema: ResearchLogRowSchema,
  indexes: (row) => ({ gsi1pk: LOG_PARTITION, gsi1sk: logSortKey(row) }),
};
