/**
 * The DynamoDB DocumentClient the stores use. Composition roots create one per cold start: in Lambda
 * with the SDK's defaults (region, credentials and any AWS_ENDPOINT_URL_DYNAMODB from the environment),
 * locally pointed at dynalite.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The region local emulators are addressed in: dynalite ignores it, moto (the second DynamoDB the tests
 * run on) only answers real region names.
 */
export const LOCAL_REGION = 'us-east-1';

/** A DocumentClient for `endpoint` (dynalite) or, without one, the function's own region. */
export function createDocumentClient(endpoint?: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    endpoint
      ? { endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 4 }
      : { maxAttempts: 4 },
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * An SDK client made on its first `send`, its package required only then: a cold start whose first
 * request publishes or invokes nothing never loads @aws-sdk/client-eventbridge or client-lambda
 * (each is tens of milliseconds of CPU to require). `create` requires the package itself, with
 * `require` (not `import()`: Node's ES module resolution would not find the runtime's SDK the way the
 * bundle's own requires do).
 */
export function lazySdkClient<C extends { send(command: never): Promise<unknown> }>(create: () => C): Pick<C, 'send'> {
  let client: C | undefined;
  const send = (command: never) => (client ??= create()).send(command);
  return { send: send as C['send'] };
}
