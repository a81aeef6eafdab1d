/**
 * One JSON POST with Node's own http/https (the digest function's chat webhook), through the proxy the
 * environment names (HTTPS_PROXY and NO_PROXY, read by proxy-from-env with https-proxy-agent for the tunnel,
 * as axios does). The digest sends nothing else over HTTP, and axios with its adapters was ~90 KB of its
 * bundle. No redirect is followed; an answer outside 2xx is an HttpStatusError naming only its status,
 * and no error message carries the URL (a webhook URL is a secret).
 */
/// <reference path="./proxy-from-env.d.ts" />
import http from 'node:http';
import https from 'node:https';
import createHttpsProxyAgent from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

/** A webhook that answered outside 2xx. */
export class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

export interface JsonPostOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
}

/** POSTs `body` as JSON to `url`; resolves with the status of a 2xx answer (its body is read and dropped). */
export function postJson(url: string, body: unknown, options: JsonPostOptions): Promise<{ status: number }> {
  const target = new URL(url);
  const proxy = getProxyForUrl(target);
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const send = target.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...options.headers },
      timeout: options.timeoutMs,
      // agent-base 6 predates @types/node 20's Agent type; it is an http.Agent at run time (axios hands it over the same way).
      ...(proxy && { agent: createHttpsProxyAgent(proxy) as unknown as http.Agent }),
    }, (res) => {
      res.resume();
      res.once('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ status });
        else reject(new HttpStatusError(status));
      });
      res.once('error', () => reject(new Error('the webhook\'s answer broke off')));
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`request failed (${err.code ?? err.message.replace(/https?:\/\/\S+/g, '<url>')})`)));
    req.end(payload);
  });
}
