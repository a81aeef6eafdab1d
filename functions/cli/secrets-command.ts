/**
 * `verdict secrets set <source> --from-env`: copies one source's credential fields from env vars (the
 * names in functions/sources/credential-fields.ts CREDENTIAL_ENV) into the deployed stack's source-credentials
 * secret, merging with what is already there (GetSecretValue → PutSecretValue). Other sources' entries
 * are kept. Only field names are ever printed — never a value, not even in errors.
 */
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseArgs } from 'node:util';
import { ACCOUNT_NAME_PATTERN } from '../domain/accounts';
import { CREDENTIAL_ENV, credentialEnvFor, PUBLIC_SOURCES, SECRET_ENTRIES, secretEntryKey, type SecretEntry } from '../sources/credential-fields';
import type { CliIo } from './io';
import { errorMessage } from '../shared/errors';

export const SECRETS_HELP = `Usage: verdict secrets set <source> --from-env [--account NAME] [--secret-id ID]

Stores <source>'s credentials in the stack's source-credentials secret (AWS Secrets Manager),
reading each field from its environment variable (or .env loaded into the shell). Fields already
in the secret and other sources' entries are kept; values are never printed.

  <source>          one of ${SECRET_ENTRIES.join(', ')} (digest: the weekly digest's chat webhook)
  --from-env        read the values from the environment variables listed below
  --account NAME    a configured account of the source (sources.<source>.accounts.NAME): its own
                    variables, the names below with __NAME appended (X_APP_KEY__ACME), stored
                    as the secret's entry "<source>@NAME"
  --json            print { stored, secretId, fields } (field names only, never values)
  --secret-id ID    the secret's name or ARN (default: $VERDICT_SOURCE_SECRET); the stack output
                    SourceCredentialsSecretName names it

Environment variables per source:
${SECRET_ENTRIES.filter((s) => !PUBLIC_SOURCES.includes(s)).map((s) => `  ${s.padEnd(12)} ${Object.values(CREDENTIAL_ENV[s]).join(', ')}`).join('\n')}

Example:
  export VERDICT_SOURCE_SECRET=$(aws cloudformation describe-stacks --stack-name Verdict \\
    --query "Stacks[0].Outputs[?OutputKey=='SourceCredentialsSecretName'].OutputValue" --output text)
  X_APP_KEY=... X_APP_SECRET=... X_ACCESS_TOKEN=... X_ACCESS_SECRET=... verdict secrets set x --from-env
  X_APP_KEY__ACME=... X_APP_SECRET__ACME=... X_ACCESS_TOKEN__ACME=... X_ACCESS_SECRET__ACME=... verdict secrets set x --account acme --from-env`;

type Io = Pick<CliIo, 'stdout' | 'stderr' | 'env'>;

/** Runs `verdict secrets …`; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function secretsCommand(argv: string[], io: Io, client?: SecretsManagerClient): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'from-env': { type: 'boolean', default: false }, account: { type: 'string' }, 'secret-id': { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    return usage(io, errorMessage(err));
  }
  const { values, positionals } = parsed;
  if (values.help) { io.stdout.write(`${SECRETS_HELP}\n`); return 0; }
  const [action, source, ...extra] = positionals;
  if (action !== 'set') return usage(io, action ? `Unknown action: ${action}` : 'Missing action');
  if (extra.length > 0) return usage(io, `Unexpected argument: ${extra[0]}`);
  if (!isSecretEntry(source)) return usage(io, source ? `Unknown source: ${source}` : 'Missing source');
  if (PUBLIC_SOURCES.includes(source)) { io.stderr.write(`${source} reads public data and needs no credentials.\n`); return 2; }
  const account = values.account;
  if (account !== undefined && (!ACCOUNT_NAME_PATTERN.test(account) || source === 'digest')) return usage(io, source === 'digest' ? 'digest has no accounts' : `Invalid account name: ${account} (1–32 lower-case letters, digits, - or _)`);
  if (!values['from-env']) return usage(io, '--from-env is required (values are read from environment variables, never from arguments)');
  const secretId = values['secret-id'] ?? io.env.VERDICT_SOURCE_SECRET;
  if (!secretId) return usage(io, 'No secret: pass --secret-id or set VERDICT_SOURCE_SECRET (stack output SourceCredentialsSecretName)');

  const entry = secretEntryKey(source, account);
  const fields = fieldsFromEnv(source, account, io.env);
  if (Object.keys(fields).length === 0) {
    io.stderr.write(`None of ${entry}'s variables is set: ${Object.values(credentialEnvFor(source, account)).join(', ')}\n`);
    return 1;
  }

  const secrets = client ?? new SecretsManagerClient({});
  try {
    const current = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
    const all = parseSecretJson(current.SecretString);
    if (!all) {
      io.stderr.write(`The secret ${secretId} does not hold a JSON object; not changed. Reset it with: aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string '{}'\n`);
      return 1;
    }
    const existing = all[entry];
    const merged = { ...all, [entry]: { ...(isRecord(existing) ? existing : {}), ...fields } };
    await secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(merged) }));
  } catch (err) {
    // AWS errors name the problem (AccessDenied, ResourceNotFound); they never carry the secret's value.
    const e = err as { name?: string; message?: string };
    io.stderr.write(`Could not update ${secretId}: ${e.name ?? 'Error'}: ${e.message ?? ''}\n`);
    return 1;
  }
  io.stdout.write(values.json
    ? `${JSON.stringify({ stored: entry, secretId, fields: Object.keys(fields) })}\n`
    : `Stored ${entry} credentials in ${secretId}: ${Object.keys(fields).join(', ')}. Collectors pick them up within 5 minutes.\n`);
  return 0;
}

/** `{ field: value }` for each of the source's variables that is set and non-empty. */
function fieldsFromEnv(source: SecretEntry, account: string | undefined, env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(credentialEnvFor(source, account)).flatMap(([field, name]) => {
    const value = env[name]?.trim();
    return value ? [[field, value]] : [];
  }));
}

/** The secret's JSON object; an empty secret counts as `{}`; anything else is undefined. */
function parseSecretJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSecretEntry(s: string | undefined): s is SecretEntry {
  return (SECRET_ENTRIES as readonly string[]).includes(s ?? '');
}

function usage(io: Io, problem: string): number {
  io.stderr.write(`${problem}\n\n${SECRETS_HELP}\n`);
  return 2;
}
