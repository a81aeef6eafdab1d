/** The local API token: VERDICT_API_TOKEN if set, else generated once and kept in the data directory (0600). */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function localApiToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): { token: string; origin: 'env' | 'file' | 'generated' } {
  if (env.VERDICT_API_TOKEN) return { token: env.VERDICT_API_TOKEN, origin: 'env' };
  const file = join(dataDir, 'api-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), origin: 'file' };
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, origin: 'generated' };
}
