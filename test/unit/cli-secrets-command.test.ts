/**
 * `verdict secrets set <source> --from-env` against a mocked Secrets Manager client (the one thing that
 * cannot run here): merges into the existing JSON, keeps other sources, never prints a value.
 */
import { GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { secretsCommand } from '../../functions/cli/secrets-command';

const SECRET_ID = 'Verdict-SourceCredentials-abc123';
const X_ENV = {
  X_APP_KEY: 'app-key-value-1111',
  X_APP_SECRET: 'app-secret-value-2222',
  X_ACCESS_TOKEN: 'access-token-value-3333',
  X_ACCESS_SECRET: 'access-secret-value-4444',
};

function aTerminal(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

function aSecretsManager(secretString: string | undefined = '{}') {
  const client = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const mock = mockClient(client);
  mock.on(GetSecretValueCommand).resolves({ SecretString: secretString });
  mock.on(PutSecretValueCommand).resolves({});
  return { client, mock, stored: () => JSON.parse(mock.commandCalls(PutSecretValueCommand)[0].args[0].input.SecretString ?? 'null') as unknown };
}

const allValues = (env: Record<string, string>) => Object.values(env);

describe('verdict secrets set', () => {
  it('writes the source\'s fields from env vars into the secret named by VERDICT_SOURCE_SECRET', async () => {
    const sm = aSecretsManager('{}');
    const term = aTerminal({ ...X_ENV, VERDICT_SOURCE_SECRET: SECRET_ID });

    const code = await secretsCommand(['set', 'x', '--from-env'], term.io, sm.client);

    expect(code).toBe(0);
    expect(sm.mock.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: SECRET_ID });
    expect(sm.mock.commandCalls(PutSecretValueCommand)[0].args[0].input.SecretId).toBe(SECRET_ID);
    expect(sm.stored()).toEqual({
      x: { appKey: X_ENV.X_APP_KEY, appSecret: X_ENV.X_APP_SECRET, accessToken: X_ENV.X_ACCESS_TOKEN, accessSecret: X_ENV.X_ACCESS_SECRET },
    });
  });

  it('stores an account\'s own variables (X_APP_KEY__ACME) as its entry x@acme, keeping the default account\'s', async () => {
    const sm = aSecretsManager(JSON.stringify({ x: { appKey: 'default-kept' } }));
    const acmeEnv = Object.fromEntries(Object.entries(X_ENV).map(([k, v]) => [`${k}__ACME`, `acme-${v}`]));
    const term = aTerminal({ ...X_ENV, ...acmeEnv, VERDICT_SOURCE_SECRET: SECRET_ID });

    const code = await secretsCommand(['set', 'x', '--account', 'acme', '--from-env'], term.io, sm.client);
    const bad = await secretsCommand(['set', 'x', '--account', 'Acme Co', '--from-env'], aTerminal({ VERDICT_SOURCE_SECRET: SECRET_ID }).io, sm.client);

    expect(code).toBe(0);
    expect(sm.stored()).toEqual({
      x: { appKey: 'default-kept' },
      'x@acme': { appKey: acmeEnv.X_APP_KEY__ACME, appSecret: acmeEnv.X_APP_SECRET__ACME, accessToken: acmeEnv.X_ACCESS_TOKEN__ACME, accessSecret: acmeEnv.X_ACCESS_SECRET__ACME },
    });
    expect(term.stdout()).toContain('Stored x@acme credentials');
    for (const v of allValues(acmeEnv)) expect(term.stdout()).not.toContain(v);
    expect(bad).toBe(2);
  });

  it('stores the weekly digest\'s chat webhook as the digest entry, beside the sources', async () => {
    const sm = aSecretsManager(JSON.stringify({ x: { appKey: 'kept' } }));
    const term = aTerminal({ VERDICT_DIGEST_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/abc', VERDICT_SOURCE_SECRET: SECRET_ID });

    const code = await secretsCommand(['set', 'digest', '--from-env'], term.io, sm.client);

    expect(code).toBe(0);
    expect(sm.stored()).toEqual({ x: { appKey: 'kept' }, digest: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/abc' } });
    expect(term.stdout()).not.toContain('hooks.slack.com');
  });

  it('keeps other sources and the source\'s fields not being replaced', async () => {
    const sm = aSecretsManager(JSON.stringify({ beehiiv: { apiKey: 'bh-kept' }, x: { oauth2UserToken: 'o2-kept', appKey: 'old-key' } }));
    const term = aTerminal({ X_APP_KEY: 'new-key', VERDICT_SOURCE_SECRET: SECRET_ID });

    const code = await secretsCommand(['set', 'x', '--from-env'], term.io, sm.client);

    expect(code).toBe(0);
    expect(sm.stored()).toEqual({ beehiiv: { apiKey: 'bh-kept' }, x: { oauth2UserToken: 'o2-kept', appKey: 'new-key' } });
  });

  it('prints the field names it stored and never a value', async () => {
    const sm = aSecretsManager(JSON.stringify({ openai: { apiKey: 'sk-existing-value-9999' } }));
    const term = aTerminal({ ...X_ENV, VERDICT_SOURCE_SECRET: SECRET_ID });

    await secretsCommand(['set', 'x', '--from-env'], term.io, sm.client);

    const printed = term.stdout() + term.stderr();
    expect(printed).toContain('appKey, appSecret, accessToken, accessSecret');
    for (const value of [...allValues(X_ENV), 'sk-existing-value-9999']) expect(printed).not.toContain(value);
  });

  it('takes the secret from --secret-id over the environment', async () => {
    const sm = aSecretsManager();
    const term = aTerminal({ KIT_API_KEY: 'kit-value', VERDICT_SOURCE_SECRET: 'from-env' });

    const code = await secretsCommand(['set', 'kit', '--from-env', '--secret-id', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:other'], term.io, sm.client);

    expect(code).toBe(0);
    expect(sm.mock.commandCalls(PutSecretValueCommand)[0].args[0].input.SecretId).toBe('arn:aws:secretsmanager:eu-west-1:123456789012:secret:other');
    expect(sm.stored()).toEqual({ kit: { apiKey: 'kit-value' } });
  });

  it('treats an empty secret string as an empty object', async () => {
    const sm = aSecretsManager('');
    const term = aTerminal({ OPENAI_API_KEY: 'openai-value', VERDICT_SOURCE_SECRET: SECRET_ID });

    expect(await secretsCommand(['set', 'openai', '--from-env'], term.io, sm.client)).toBe(0);
    expect(sm.stored()).toEqual({ openai: { apiKey: 'openai-value' } });
  });

  it('fails without writing when none of the source\'s variables is set, naming the variables', async () => {
    const sm = aSecretsManager();
    const term = aTerminal({ VERDICT_SOURCE_SECRET: SECRET_ID, X_APP_KEY: '   ' });

    const code = await secretsCommand(['set', 'x', '--from-env'], term.io, sm.client);

    expect(code).toBe(1);
    expect(term.stderr()).toContain('X_APP_KEY, X_APP_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET, X_OAUTH2_USER_TOKEN');
    expect(sm.mock.calls()).toHaveLength(0);
  });

  it('refuses to overwrite a secret that is not a JSON object, without echoing it', async () => {
    const sm = aSecretsManager('plain-text-secret-value');
    const term = aTerminal({ ...X_ENV, VERDICT_SOURCE_SECRET: SECRET_ID });

    const code = await secretsCommand(['set', 'x', '--from-env'], term.io, sm.client);

    expect(code).toBe(1);
    expect(sm.mock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(term.stderr()).toContain('does not hold a JSON object');
    expect(term.stderr()).not.toContain('plain-text-secret-value');
  });

  it('reports an AWS error by name and exits 1', async () => {
    const sm = aSecretsManager();
    sm.mock.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'Secrets Manager can\'t find the specified secret.', $metadata: {} }));
    const term = aTerminal({ ...X_ENV, VERDICT_SOURCE_SECRET: SECRET_ID });

    const code = await secretsCommand(['set', 'x', '--from-env'], term.io, sm.client);

    expect(code).toBe(1);
    expect(term.stderr()).toContain(`Could not update ${SECRET_ID}: ResourceNotFoundException`);
    expect(sm.mock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it.each([
    [['set', 'x'], '--from-env is required'],
    [['set', 'myspace', '--from-env'], 'Unknown source: myspace'],
    [['get', 'x', '--from-env'], 'Unknown action: get'],
    [['set', 'x', '--from-env', '--value', 'abc'], "Unknown option '--value'"],
    [['set', 'bluesky', '--from-env'], 'bluesky reads public data'],
  ])('rejects %j with usage exit code 2', async (argv, message) => {
    const sm = aSecretsManager();
    const term = aTerminal({ ...X_ENV, VERDICT_SOURCE_SECRET: SECRET_ID });

    const code = await secretsCommand(argv, term.io, sm.client);

    expect(code).toBe(2);
    expect(term.stderr()).toContain(message);
    expect(sm.mock.calls()).toHaveLength(0);
  });

  it('asks for a secret id when neither --secret-id nor VERDICT_SOURCE_SECRET is given', async () => {
    const sm = aSecretsManager();
    const term = aTerminal({ ...X_ENV });

    expect(await secretsCommand(['set', 'x', '--from-env'], term.io, sm.client)).toBe(2);
    expect(term.stderr()).toContain('VERDICT_SOURCE_SECRET');
    expect(sm.mock.calls()).toHaveLength(0);
  });

  it('prints help with every source\'s variables', async () => {
    const term = aTerminal();

    expect(await secretsCommand(['--help'], term.io)).toBe(0);
    expect(term.stdout()).toContain('verdict secrets set <source> --from-env');
    expect(term.stdout()).toContain('PERPLEXITY_API_KEY');
  });
});
