/**
 * Child process for the API bench: the real local runtime (in-memory dynalite, the API handler behind
 * the authorizer, port 0) with a planned and a running experiment. Prints one JSON line `{ url, token,
 * dynamoEndpoint, tableName, experimentId, runningExperimentId }` and serves until its stdin closes — so the bench's client load (autocannon)
 * does not share an event loop with the server it measures.
 */
import { startLocalRuntime } from '../../functions/local/runtime';
import { parseAppConfig } from '../../functions/shared/app-config';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const TOKEN = 'bench-token-0123456789abcdefghijklmnop';

async function main(): Promise<void> {
  delete process.env.VERDICT_API_TOKEN;
  const runtime = await startLocalRuntime({
    config: parseAppConfig({}), port: 0, schedule: false, env: { VERDICT_API_TOKEN: TOKEN }, log: { info: () => {}, warn: () => {} },
  });
  const create = async (start: string): Promise<string> => {
    const created = await fetch(`${runtime.url}/experiments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench experiment', hypothesis: 'A seeded experiment for read latency', primaryMetric: 'x.follower_growth_rate', start, durationDays: 14 }),
    });
    if (created.status !== 201) throw new Error(`seeding failed: ${created.status} ${await created.text()}`);
    return ((await created.json()) as { id: string }).id;
  };
  // A planned experiment (the plain read) and a running one (the read adds an interim readout).
  const experimentId = await create('2030-01-01T00:00:00Z');
  const runningExperimentId = await create(new Date(Date.now() - 3 * 86_400_000).toISOString());
  process.stdout.write(`${JSON.stringify({ url: runtime.url, token: TOKEN, dynamoEndpoint: runtime.dynamoEndpoint, tableName: runtime.tableName, experimentId, runningExperimentId })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => { void runtime.close().then(() => process.exit(0)); });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
