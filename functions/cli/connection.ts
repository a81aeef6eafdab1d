/**
 * Where the CLI finds the API and its token, first match wins:
 *   1. --api URL / --token TOKEN
 *   2. VERDICT_API_URL / VERDICT_API_TOKEN
 *   3. the file `verdict login` writes: $VERDICT_CLI_CONFIG, else $XDG_CONFIG_HOME/verdict/config.json
 *      (default ~/.config/verdict/config.json), mode 0600
 *   4. the local runtime: the URL and token file a running `verdict start` (also --demo, --port) notes
 *      in $VERDICT_DATA_DIR/runtime.json (default ./.verdict); without a note http://127.0.0.1:$PORT
 *      (8787) with the token in $VERDICT_DATA_DIR/api-token
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readRuntimeNote } from '../local/runtime-file';

export interface SavedConnection { api: string; token: string }

/** The saved file's shape, checked by hand: zod would double every command's start-up time. */
function asSavedConnection(value: unknown): SavedConnection | undefined {
  const { api, token } = (value ?? {}) as Partial<Record<keyof SavedConnection, unknown>>;
  if (typeof api !== 'string' || typeof token !== 'string' || token.length === 0) return undefined;
  try {
    return /^https?:$/.test(new URL(api).protocol) ? { api, token } : undefined;
  } catch {
    return undefined;
  }
}

export interface Connection {
  api: string;
  token?: string;
  /** Where the URL came from, for messages ("is `verdict start` running?"). */
  origin: 'flag' | 'env' | 'config' | 'local';
}

export function configFilePath(env: NodeJS.ProcessEnv): string {
  if (env.VERDICT_CLI_CONFIG) return resolve(env.VERDICT_CLI_CONFIG);
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'verdict', 'config.json');
}

export function readSavedConnection(env: NodeJS.ProcessEnv): SavedConnection | undefined {
  const file = configFilePath(env);
  if (!existsSync(file)) return undefined;
  try {
    return asSavedConnection(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined; // unreadable or not JSON: as if not logged in (`verdict login` rewrites it)
  }
}

/** Writes the connection readable by the owner only (it holds the token). Returns the file path. */
export function saveConnection(connection: SavedConnection, env: NodeJS.ProcessEnv): string {
  const file = configFilePath(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export function resolveConnection(flags: { api?: string; token?: string }, env: NodeJS.ProcessEnv): Connection {
  const saved = readSavedConnection(env);
  const dataDir = resolve(env.VERDICT_DATA_DIR ?? '.verdict');
  const local = () => readRuntimeNote(dataDir);
  const localToken = () => {
    const note = local();
    const file = note ? note.tokenFile : join(dataDir, 'api-token');
    return file && existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  };
  const [api, origin]: [string, Connection['origin']] = flags.api ? [flags.api, 'flag']
    : env.VERDICT_API_URL ? [env.VERDICT_API_URL, 'env']
    : saved ? [saved.api, 'config']
    : [env.PORT ? `http://127.0.0.1:${env.PORT}` : local()?.url ?? 'http://127.0.0.1:8787', 'local'];
  const base = api.replace(/\/+$/, '');
  // A saved token goes only to the API it was saved for.
  const token = flags.token ?? env.VERDICT_API_TOKEN
    ?? (saved && saved.api.replace(/\/+$/, '') === base ? saved.token : undefined)
    ?? (origin === 'local' ? localToken() : undefined);
  return { api: base, ...(token && { token }), origin };
}
