/**
 * The whole loop on one machine, no AWS account: dynalite (persisted), the same table definition, the
 * same API handlers behind the same authorizer (each route passed to the handler of the function the
 * route table names, as API Gateway does), and the same jobs on the same schedule definitions.
 */
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { HttpEvent, HttpResult } from '../api/http';
import { dispatch } from '../api/router';
import type { ServingFunction } from '../api/route-table';
import { COMPILED_ROUTES } from '../api/routes';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import axios from 'axios';
import { newExperimentId, type ApiServices } from '../api/services';
import { createExperimentsHandler } from '../handlers/api-experiments';
import { createImportsHandler } from '../handlers/api-imports';
import { createPlansHandler } from '../handlers/api-plans';
import { createReadoutsHandler } from '../handlers/api-readouts';
import { createReadsHandler } from '../handlers/api-reads';
import { createAuthorizer } from '../handlers/authorizer';
import { createCollector } from '../handlers/collector';
import { createDashboardHandler } from '../handlers/dashboard';
import { createDigest, digestWebhookUrl } from '../handlers/digest';
import { createScorer } from '../handlers/scorer';
import { fixedApiToken } from '../shared/api-token';
import { configForTarget, targetName, type AppConfig } from '../shared/app-config';
import { createDocumentClient } from '../shared/clients';
import { EnvCredentials } from '../sources/credentials';
import { readinessFromCredentials } from '../jobs/collector-readiness';
import { eventBridgePublisher, loggingPublisher } from '../shared/events';
import { log as appLog } from '../shared/logger';
import { createAnySource } from '../sources/all-sources';
import { FeedTokenStore } from '../store/feed-token-store';
import { IdempotencyStore } from '../store/idempotency-store';
import { createStores, type Stores } from '../store/stores';
import { scheduledJobs, weeklyJobs, type JobDefinition } from '../shared/scheduled-jobs';
import { lockDataDir } from './data-dir-lock';
import { startDynalite, ensureTable } from './dynalite';
import { localApiToken } from './api-token-file';
import { startLocalHttpServer } from './http-server';
import { startLocalScheduler, type LocalScheduler } from './scheduler';

export const LOCAL_TABLE_NAME = 'verdict-local';

/**
 * The function the stack routes this request to (the route table's servedBy for the route matching its
 * method and path; HEAD as GET), as API Gateway would; undefined when no route matches.
 */
function servingFunctionOf(event: HttpEvent): ServingFunction | undefined {
  const method = event.requestContext.http.method;
  return COMPILED_ROUTES.find((r) => (r.method === method || (method === 'HEAD' && r.method === 'GET')) && r.pattern.test(event.rawPath))?.servedBy;
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
  /**
   * Tell /health that nothing runs on a schedule (verdict start --no-schedule). Tests leave the scheduler
   * off without saying so, to read the slots a deployed stack would report.
   */
  reportScheduleOff?: boolean;
  /** What the runtime reads the API token and source credentials from; default: process.env over ./.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Publish Verdict events to this EventBridge bus (with the SDK's default client) instead of only
   * logging them — for tests that watch the events at the client boundary.
   */
  eventBusName?: string;
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
  /** The stores every handler of this runtime uses (seeding, tests). */
  stores: Stores;
  scheduler?: LocalScheduler;
  /** Sources enabled in the config but without credentials (skipped). */
  notConfigured: string[];
  /** Runs one job now, exactly as the scheduler would at `scheduledTime`. */
  runJob(job: JobDefinition, scheduledTime: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const env = options.env ?? withEnvFile(process.env, join(process.cwd(), '.env'));
  const log = options.log ?? { info: (m: string) => console.log(m), warn: (m: string) => console.warn(m) };

  const tokenDir = options.tokenDir ?? options.dataDir;
  const { token, origin } = tokenDir ? localApiToken(tokenDir, env) : { token: env.VERDICT_API_TOKEN ?? 'local-test-token-0123456789', origin: 'env' as const };
  // One runtime per data directory, private to its user (see data-dir-lock.ts); in memory: nothing to hold.
  const lock = options.dataDir ? lockDataDir(options.dataDir) : undefined;
  let dynamo: Awaited<ReturnType<typeof startDynalite>>;
  try {
    dynamo = await startDynalite({ path: options.dataDir ? join(options.dataDir, 'db') : undefined });
  } catch (err) {
    lock?.release();
    throw err;
  }
  await ensureTable(dynamo.endpoint, LOCAL_TABLE_NAME);

  // The runtime composes its handlers itself, as each Lambda's composition root does from its environment.
  const db = createDocumentClient(dynamo.endpoint);
  const stores = createStores(db, LOCAL_TABLE_NAME);
  await stores.experiments.backfillResearchLog(); // data from a version without log rows: once, then one GetItem
  await stores.experiments.backfillBacklogOrder();
  await stores.observations.dailyRollups.backfillOnce(); // snapshots from a version without daily roll-ups: once, then one GetItem
  const { config } = options;
  // Source credentials from the environment (with .env), read when a job runs.
  const credentials = new EnvCredentials(env);
  const events = options.eventBusName ? eventBridgePublisher(options.eventBusName, new EventBridgeClient({}), appLog) : loggingPublisher(appLog);
  const collector = createCollector({
    config, ...stores, credentials, log: appLog,
    buildSource: (name, sourceCredentials, account) => createAnySource(name, sourceCredentials, { config: configForTarget(config, { source: name, account }) }),
  });
  const services: ApiServices = {
    ...stores, config, now: () => new Date(), newId: newExperimentId, log: appLog,
    ...(options.reportScheduleOff && { schedulesRun: false }),
    idempotency: new IdempotencyStore(db, LOCAL_TABLE_NAME),
    feedTokens: new FeedTokenStore(db, LOCAL_TABLE_NAME),
    events,
    // Collect-now runs the collection in this process, where in AWS the API invokes the collector function.
    collect: (source, scheduledTime, budgetMs, account) => collector({ source, scheduledTime, budgetMs, ...(account !== undefined && { account }) }),
    // A plan knows whether a source's credentials are set here (a skipped collector records no run to tell it).
    collectorReadiness: readinessFromCredentials(credentials),
  };
  // One handler per function behind the HTTP API, composed from the same services.
  const handlers: Record<ServingFunction, (event: HttpEvent) => Promise<HttpResult>> = {
    'api-experiments': createExperimentsHandler(services),
    'api-plans': createPlansHandler(services),
    'api-readouts': createReadoutsHandler(services),
    'api-reads': createReadsHandler(services),
    'api-imports': createImportsHandler(services),
    // POST /mcp and GET /openapi.json with every route in this process (in AWS the MCP function calls the API over HTTPS).
    mcp: (event) => dispatch(event, COMPILED_ROUTES, services),
    dashboard: createDashboardHandler(appLog),
  };
  // No route for the method and path: answered over every route, so the client gets the router's 404 or 405 (with the allowed methods).
  const serve = (event: HttpEvent) => {
    const fn = servingFunctionOf(event);
    return fn ? handlers[fn](event) : dispatch(event, COMPILED_ROUTES, services);
  };
  const scorerHandler = createScorer({ ...stores, config, events, log: appLog });
  const digestHandler = createDigest({
    ...stores, config, log: appLog, table: { db, name: LOCAL_TABLE_NAME },
    webhookUrl: () => digestWebhookUrl(credentials), http: axios,
  });

  const http = await startLocalHttpServer({ port: options.port ?? 8787, api: serve, authorize: createAuthorizer(fixedApiToken(token)),
    // Public routes (the dashboard page and assets) skip the authorizer here exactly as the stack's routes do.
    isPublic: (method, path) => COMPILED_ROUTES.some((r) => r.public === true && (r.method === method || (method === 'HEAD' && r.method === 'GET')) && r.pattern.test(path)) });

  const runJob = (job: JobDefinition, scheduledTime: string): Promise<unknown> =>
    job.kind === 'collector' ? collector({ source: job.source, ...(job.account !== undefined && { account: job.account }), scheduledTime })
      : job.kind === 'digest' ? digestHandler({ scheduledTime })
      : scorerHandler({ scheduledTime });

  const jobs: JobDefinition[] = [...weeklyJobs(options.config)];
  const notConfigured: string[] = [];
  for (const job of scheduledJobs(options.config)) {
    if (job.kind === 'collector' && !(await credentials.credentialsFor(job.source, job.account))) {
      const name = targetName(job);
      notConfigured.push(name);
      log.info(`source ${name}: not configured (no credentials in env/.env) — skipped`);
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
    stores,
    scheduler,
    notConfigured,
    runJob,
    async close() {
      scheduler?.stop();
      await http.close();
      db.destroy();
      await dynamo.close();
      lock?.release();
    },
  };
}

/** `env` with the variables of the .env file at `file` it does not set itself (the shell wins). */
function withEnvFile(env: NodeJS.ProcessEnv, file: string): NodeJS.ProcessEnv {
  return existsSync(file) ? { ...parseEnv(readFileSync(file, 'utf8')), ...env } : env;
}
