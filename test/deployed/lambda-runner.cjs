/**
 * One Lambda execution environment, as the Node.js runtime runs it: loads the bundle (path in argv),
 * then calls `handler(event, context)` for each invocation the harness sends over IPC and answers with
 * the result or the error (errorType, errorMessage) — the way Lambda reports a function error.
 * Started with exactly the function's environment; the harness passes nothing else through it.
 */
'use strict';

const [bundle, functionName, timeoutSeconds, memorySize] = process.argv.slice(2);
let mod;
let initError;
try {
  mod = require(bundle);
} catch (err) {
  initError = err;
}

process.on('message', async (message) => {
  const { id, event } = message;
  if (initError) {
    process.send({ id, ok: false, error: { errorType: initError.name, errorMessage: initError.message, phase: 'init' } });
    return;
  }
  const deadline = Date.now() + Number(timeoutSeconds) * 1000;
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${functionName}`,
    memoryLimitInMB: memorySize,
    awsRequestId: id,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'harness',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await mod.handler(event, context);
    process.send({ id, ok: true, result: result === undefined ? null : result });
  } catch (err) {
    process.send({ id, ok: false, error: { errorType: (err && err.name) || 'Error', errorMessage: (err && err.message) || String(err) } });
  }
});

process.send({ ready: true });
