/** The three stores every job and the API share, on one DocumentClient and one table. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ExperimentStore } from './experiment-store';
import { ObservationStore } from './observation-store';
import { RunStore } from './run-store';

export interface Stores { experiments: ExperimentStore; observations: ObservationStore; runs: RunStore }

export function createStores(db: DynamoDBDocumentClient, tableName: string): Stores {
  return {
    experiments: new ExperimentStore(db, tableName),
    observations: new ObservationStore(db, tableName),
    runs: new RunStore(db, tableName),
  };
}
