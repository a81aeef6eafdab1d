/**
 * "Collect now" in AWS: the API invokes the source's own collector function (synchronously) instead of
 * running adapters itself — so the internet-facing API function holds no third-party credentials and
 * bundles no adapters. COLLECTOR_FUNCTIONS maps each enabled source to its function name.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SourceName } from './app-config';
import type { CollectionRun } from '../domain/collection-run';

export function collectorInvoker(client: Pick<LambdaClient, 'send'>, functions: Partial<Record<SourceName, string>>) {
  return async (source: SourceName, scheduledTime: string, budgetMs: number, account?: string): Promise<CollectionRun> => {
    const functionName = functions[source];
    if (!functionName) throw new Error(`No collector function for ${source}`);
    // Required on the first collect-now, not at the API's cold start (see lazySdkClient).
    const { InvokeCommand } = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
    const out = await client.send(new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: Buffer.from(JSON.stringify({ source, scheduledTime, budgetMs, ...(account !== undefined && { account }) })),
    }));
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    // A function error's payload is the error; keep it out of the response (it is in the collector's log).
    if (out.FunctionError) throw new Error(`The ${source} collector failed (${out.FunctionError}); see its log`);
    return JSON.parse(text) as CollectionRun;
  };
}
