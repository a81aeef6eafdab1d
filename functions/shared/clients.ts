/**
 * AWS SDK clients, created once per process at module scope and injected into the store and adapters.
 * DYNAMODB_ENDPOINT points the DynamoDB client at the local runtime's dynalite.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A DocumentClient for `endpoint` (dynalite) or the Lambda's region. */
export function createDocumentClient(endpoint?: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    endpoint
      ? { endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 4 }
      : { maxAttempts: 4 },
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

let documentClient: DynamoDBDocumentClient | undefined;
/** The process-wide DocumentClient (created on first use so tests can set DYNAMODB_ENDPOINT first). */
export function defaultDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= createDocumentClient(process.env.DYNAMODB_ENDPOINT);
  return documentClient;
}
