/**
 * The process-wide logger is created on its first message (so an event that logs nothing never loads
 * Powertools): what handlers gave it before then — the Lambda context, keys, a level — is on that first
 * message as if the logger had existed all along, cold start included.
 */
import type { Context } from 'aws-lambda';

type LoggerModule = typeof import('../../functions/shared/logger');

const context = (requestId: string): Context => ({
  awsRequestId: requestId, functionName: 'verdict-fn', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:verdict-fn',
  memoryLimitInMB: '256', logGroupName: '/aws/lambda/verdict-fn', logStreamName: 's', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 1000, done: () => {}, fail: () => {}, succeed: () => {},
});

/** A fresh copy of the logger module (its instance not yet created) and the JSON lines it writes. */
function freshLogger(): { module: LoggerModule; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array) => { written.push(String(chunk)); return true; };
  jest.spyOn(process.stdout, 'write').mockImplementation(capture); // INFO
  jest.spyOn(process.stderr, 'write').mockImplementation(capture); // WARN, ERROR
  let module!: LoggerModule;
  jest.isolateModules(() => { module = jest.requireActual('../../functions/shared/logger'); });
  return { module, lines: () => written.join('').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

// Lambda names how an environment started; Powertools reports a cold start only for an on-demand one.
const initType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
beforeEach(() => { process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand'; });
afterEach(() => {
  jest.restoreAllMocks();
  if (initType === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = initType;
});

describe('the process-wide logger', () => {
  it('does not load Powertools until something is logged', () => {
    let loads = 0;
    let module!: LoggerModule;
    jest.isolateModules(() => {
      jest.doMock('@aws-lambda-powertools/logger', () => { loads++; return jest.requireActual('@aws-lambda-powertools/logger'); });
      module = jest.requireActual('../../functions/shared/logger');
    });
    module.logger.addContext(context('req-1'));
    module.logger.appendKeys({ source: 'beehiiv' });
    module.logger.setLogLevel('INFO');
    expect(loads).toBe(0);

    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    module.log.info('collected');
    module.log.info('again');
    expect(loads).toBe(1);
  });

  it('puts the context, keys and level given before the first message on it, as the cold start', () => {
    const { module, lines } = freshLogger();
    module.logger.setLogLevel('INFO');
    module.logger.addContext(context('req-1'));
    module.logger.appendKeys({ source: 'beehiiv' });
    module.log.info('collected', { observations: 3 });

    expect(lines()).toEqual([expect.objectContaining({ level: 'INFO', message: 'collected', observations: 3, source: 'beehiiv', function_request_id: 'req-1', cold_start: true })]);
  });

  it('says the first message of a later invocation is not the cold start', () => {
    const { module, lines } = freshLogger();
    module.logger.setLogLevel('INFO');
    module.logger.addContext(context('req-1')); // an invocation that logged nothing
    module.logger.addContext(context('req-2'));
    module.log.warn('slow source');
    module.logger.addContext(context('req-3'));
    module.log.error('failed');

    expect(lines()).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'slow source', function_request_id: 'req-2', cold_start: false }),
      expect.objectContaining({ level: 'ERROR', message: 'failed', function_request_id: 'req-3', cold_start: false }),
    ]);
  });

  it('writes nothing at the level tests run with (SILENT), created or not', () => {
    const { module, lines } = freshLogger();
    module.log.error('quiet');
    expect(lines()).toEqual([]);
  });
});
