/** Collect-now in AWS: the API invokes the source's collector function; its failures never leak their payload. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { collectorInvoker } from '../../functions/shared/collector-invoker';

const lambda = mockClient(LambdaClient);
beforeEach(() => lambda.reset());

const RUN = { source: 'x', slot: '2026-11-20T06:00:00.000Z', outcome: 'ok', observations: 2, durationMs: 120, startedAt: '2026-11-20T06:03:00.000Z' };

describe('collectorInvoker', () => {
  it('invokes the source\'s collector synchronously with the scheduled time and returns its run', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: Buffer.from(JSON.stringify(RUN)) as never });

    const run = await collectorInvoker(new LambdaClient({ region: 'eu-west-1' }), { x: 'verdict-collector-x' })('x', '2026-11-20T06:03:00.000Z', 12_000);

    expect(run).toEqual(RUN);
    const input = lambda.commandCalls(InvokeCommand)[0].args[0].input;
    expect(input).toMatchObject({ FunctionName: 'verdict-collector-x', InvocationType: 'RequestResponse' });
    expect(JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8'))).toEqual({ source: 'x', scheduledTime: '2026-11-20T06:03:00.000Z', budgetMs: 12_000 });
  });

  it('turns a function error into a generic failure, without the error payload', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from('{"errorMessage":"secret detail"}') as never });

    const failure = collectorInvoker(new LambdaClient({ region: 'eu-west-1' }), { x: 'verdict-collector-x' })('x', '2026-11-20T06:03:00.000Z', 12_000);

    await expect(failure).rejects.toThrow('The x collector failed (Unhandled); see its log');
    await expect(failure).rejects.not.toThrow(/secret detail/);
  });

  it('refuses a source without a collector function', async () => {
    await expect(collectorInvoker(new LambdaClient({ region: 'eu-west-1' }), {})('bluesky', '2026-11-20T06:03:00.000Z', 12_000)).rejects.toThrow(/No collector function for bluesky/);
  });
});
