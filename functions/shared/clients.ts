/**
 * The DynamoDB DocumentClient the stores use. Composition roots create one per cold start: in Lambda
 * with the SDK's defaults (region, credentials and any AWS_ENDPOINT_URL_DYNAMODB from the environment),
 * locally pointed at dynalite.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A DocumentClient for `endpoint` (dynalite) or, without one, the function's own region. */
export function createDocumentClient(endpoint?: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    endpoint
      ? { endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 4 }
      : { maxAttempts: 4 },
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
