/** Starts the real local runtime (in-memory dynalite, port 0, no scheduler) and a tiny HTTP client for it. */
import { parseAppConfig, type AppConfig } from '../../functions/shared/app-config';
import { startLocalRuntime, type LocalRuntime } from '../../functions/local/runtime';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

export const TEST_TOKEN = 'test-token-abcdefghijklmnopqrstuvwxyz';

/** The runtime on `config`, reading its token and credentials from `options.env` only (never the shell's). */
export async function startTestRuntime(config: unknown = {}, options: { env?: Record<string, string>; eventBusName?: string } = {}): Promise<LocalRuntime> {
  return startLocalRuntime({
    config: parseAppConfig(config) as AppConfig,
    port: 0,
    schedule: false,
    env: { ...options.env, VERDICT_API_TOKEN: TEST_TOKEN },
    ...(options.eventBusName && { eventBusName: options.eventBusName }),
    log: { info: () => {}, warn: () => {} },
  });
}

export interface TestResponse { status: number; headers: Headers; body: any; text: string }

/** Calls the runtime's API with the token (unless `token: null`). */
export async function call(runtime: Pick<LocalRuntime, 'url'>, method: string, path: string, options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? TEST_TOKEN}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined && { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await res.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body, text };
}
