/**
 * The whole loop on one machine, no AWS account: dynalite (persisted), the same table definition, the
 * same API handler behind the same authorizer, and the same jobs on the same schedule definitions.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { HttpEvent } from '../api/http';
import { COMPILED_ROUTES } from '../api/routes';
import { handler as apiHandler } from '../handlers/api';
import { handler as authorizerHandler } from '../handlers/authorizer';
import { handler as collectorHandler } from '../handlers/collector';
import { handler as mcpHandler } from '../handlers/mcp';
import { handler as digestHandler } from '../handlers/digest';
import { handler as scorerHandler } from '../handlers/scorer';
import { defaultCredentials, resetWiring, setApiCollector } from '../handlers/wiring';
import { inProcessCollector } from './in-process-collector';
import { setAppConfig, type AppConfig } from '../shared/app-config';
import { resetRuntimeEnv } from '../shared/runtime-env';
import { scheduledJobs, weeklyJobs, type JobDefinition } from '../shared/scheduled-jobs';
import { startDynalite, ensureTable } from './dynalite';
import { localApiToken } from './api-token-file';
import { startLocalHttpServer } from './http-server';
import { startLocalScheduler, type LocalScheduler } from './scheduler';

export const LOCAL_TABLE_NAME = 'verdict-local';

/** Whether the stack routes this request to the MCP function (Route.servedBy), as API Gateway would. */
function servedByMcp(event: HttpEvent): boolean {
  return COMPILED_ROUTES.some((r) => r.servedBy === 'mcp' && r.method === event.requestContext.http.method && r.pattern.test(event.rawPath));
}

export interface LocalRuntimeOptions {
  config: AppConfig;
  /** Where data and the generated token live; undefined = in memory (tests). */
  dataDir?: string;
  /** Where the generated token lives, if not in dataDir (the demo shares the real data's token). */
  tokenDir?: string;
  port?: number;
  /** Start the scheduler (default true). */
  schedule?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: { info(message: string): void; warn(message: string, extra?: Record<string, unknown>): void };
}

export interface LocalRuntime {
  url: string;
  token: string;
  tokenOrigin: 'env' | 'file' | 'generated';
  /** The file holding the token; undefined when it came from VERDICT_API_TOKEN or the tests' default. */
  tokenFile?: string;
  dynamoEndpoint: string;
  tableName: string;
  scheduler?: LocalScheduler;
  /** Sources enabled in the config but without credentials (skipped). */
  notConfigured: string[];
  /** Runs one job now, exactly as the scheduler would at `scheduledTime`. */
  runJob(job: JobDefinition, scheduledTime: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const env = options.env ?? process.env;
  const log = options.log ?? { info: (m: string) => console.log(m), warn: (m: string) => console.warn(m) };
  const envFile = join(process.cwd(), '.env');
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);

  const tokenDir = options.tokenDir ?? options.dataDir;
  const { token, origin } = tokenDir ? localApiToken(tokenDir, env) : { token: env.VERDICT_API_TOKEN ?? 'local-test-token-0123456789', origin: 'env' as const };
  const dynamo = await startDynalite({ path: options.dataDir ? join(options.dataDir, 'db') : undefined });
  await ensureTable(dynamo.endpoint, LOCAL_TABLE_NAME);

  Object.assign(process.env, {
    TABLE_NAME: LOCAL_TABLE_NAME,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    VERDICT_API_TOKEN: token,
    VERDICT_CONFIG: JSON.stringify(options.config),
  });
  delete process.env.SOURCE_SECRET_ARN;
  resetRuntimeEnv();
  resetWiring();
  setApiCollector(inProcessCollector(options.config));
  setAppConfig(options.config);

  const http = await startLocalHttpServer({ port: options.port ?? 8787, api: (e) => (servedByMcp(e) ? mcpHandler(e) : apiHandler(e)), authorize: authorizerHandler,
    // Public routes (the dashboard page and assets) skip the authorizer here exactly as the stack's routes do.
    isPublic: (method, path) => COMPILED_ROUTES.some((r) => r.public === true && (r.method === method || (method === 'HEAD' && r.method === 'GET')) && r.pattern.test(path)) });

  const runJob = (job: JobDefinition, scheduledTime: string): Promise<unknown> =>
    job.kind === 'collector' ? collectorHandler({ source: job.source, scheduledTime })
      : job.kind === 'digest' ? digestHandler({ scheduledTime })
      : scorerHandler({ scheduledTime });

  const credentials = defaultCredentials();
  const jobs: JobDefinition[] = [...weeklyJobs(options.config)];
  const notConfigured: string[] = [];
  for (const job of scheduledJobs(options.config)) {
    if (job.kind === 'collector' && !(await credentials.credentialsFor(job.source))) {
      notConfigured.push(job.source);
      log.info(`source ${job.source}: not configured (no credentials in env/.env) — skipped`);
      continue;
    }
    jobs.push(job);
  }
  const scheduler = options.schedule === false ? undefined : startLocalScheduler(jobs, async (job, at) => { await runJob(job, at); }, log);

  return {
    url: http.url,
    token,
    tokenOrigin: origin,
    ...(tokenDir && origin !== 'env' && { tokenFile: join(tokenDir, 'api-token') }),
    dynamoEndpoint: dynamo.endpoint,
    tableName: LOCAL_TABLE_NAME,
    scheduler,
    notConfigured,
    runJob,
    async close() {
      scheduler?.stop();
      await http.close();
      await dynamo.close();
    },
  };
}
