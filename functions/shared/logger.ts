/**
 * The process-wide structured logger (Powertools), JSON in Lambda, readable locally (POWERTOOLS_DEV).
 *
 * Created on the first message, not at import: the Powertools package loads node:crypto and opens a
 * Console on stdout as it starts (~2–3 ms CPU of a cold start, measured on the MCP bundle), which an event
 * that logs nothing — an MCP tools/list, a dashboard page — need not pay. The context, keys and level
 * given before then are applied when it is created, as Powertools would have them.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

let instance: Logger | undefined;
const pending: { context?: Context; invocations: number; keys: Record<string, unknown>; level?: LogLevel } = { invocations: 0, keys: {} };

function powertools(): Logger {
  if (instance) return instance;
  // A require, not an import: esbuild then runs the package's module body on this first call only. Through a module
  // of our own, an ES module, so esbuild still bundles the package's ES module build and tree-shakes it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Logger: PowertoolsLogger } = require('./powertools-logger') as typeof import('./powertools-logger');
  const created = new PowertoolsLogger({ serviceName: 'verdict' });
  if (pending.level !== undefined) created.setLogLevel(pending.level);
  if (pending.context) {
    created.addContext(pending.context);
    // Powertools marks the first context it is given as the cold start; when earlier invocations logged nothing,
    // this one is not: given again, the context carries cold_start false.
    if (pending.invocations > 1) created.addContext(pending.context);
  }
  if (Object.keys(pending.keys).length > 0) created.appendKeys(pending.keys);
  instance = created;
  return created;
}

/** What handlers and tests use of the Powertools logger; the rest of its API stays behind it. */
export const logger = {
  /** The Lambda context for this invocation's messages (request id, function name, cold start). */
  addContext(context: Context): void {
    if (instance) instance.addContext(context);
    else { pending.context = context; pending.invocations++; }
  },
  /** Keys every later message carries (e.g. a collector's source). */
  appendKeys(keys: Record<string, unknown>): void {
    if (instance) instance.appendKeys(keys);
    else Object.assign(pending.keys, keys);
  },
  setLogLevel(level: LogLevel): void {
    if (instance) instance.setLogLevel(level);
    else pending.level = level;
  },
  info: (message: string, extra: Record<string, unknown> = {}): void => powertools().info(message, extra),
  warn: (message: string, extra: Record<string, unknown> = {}): void => powertools().warn(message, extra),
  error: (message: string, extra: Record<string, unknown> = {}): void => powertools().error(message, extra),
};

/** The narrow logging interface collaborators receive. */
export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const log: Log = logger;
