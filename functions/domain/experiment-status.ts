/**
 * The experiment statuses, apart from experiment.ts's schemas so the CLI's list command can check
 * --status without loading zod (it is most of a CLI start's cost).
 */
export const EXPERIMENT_STATUSES = ['backlog', 'planned', 'running', 'concluded', 'abandoned'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];
