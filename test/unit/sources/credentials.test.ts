/**
 * Source credentials: one Secrets Manager secret in AWS (faked at the SDK client boundary with
 * aws-sdk-client-mock), cached at most 5 minutes, never echoed; env vars locally.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { CREDENTIALS_CACHE_MS, EnvCredentials, SecretsManagerCredentials } from '../../../functions/sources/credentials';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:verdict/sources-AbCdEf';
const SECRET = {
  x: { appKey: 'x-app-key', appSecret: 'x-app-secret-value', accessToken: 'x-token', accessSecret: 'x-access-secret-value' },
  beehiiv: { apiKey: 'bh-super-secret' },
  kit: {},
  openai: { apiKey: 'sk-live-1', ignoredNumber: 42 },
};

const sm = mockClient(SecretsManagerClient);
// Time moves only when a test moves it: Date is faked (Powertools' cache reads Date.now); timers and ticks stay real.
const REAL = ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] as const;
beforeEach(() => {
  sm.reset();
  jest.useFakeTimers({ doNotFake: [...REAL], now: 1_000 });
});
afterEach(() => jest.useRealTimers());
const advance = (ms: number) => jest.setSystemTime(Date.now() + ms);

function provider() {
  return new SecretsManagerCredentials(new SecretsManagerClient({ region: 'eu-west-1' }), SECRET_ARN);
}

describe('SecretsManagerCredentials', () => {
  it('reads one source’s fields from the shared JSON secret', async () => {
    sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify(SECRET) });

    const creds = await provider().credentialsFor('beehiiv');

    expect(creds).toEqual({ apiKey: 'bh-super-secret' });
  });

  it('treats a missing or empty entry as not configured, and public sources as needing nothing', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(SECRET) });
    const p = provider();

    expect(await p.credentialsFor('kit')).toBeUndefined();
    expect(await p.credentialsFor('mailchimp')).toBeUndefined();
    expect(await p.credentialsFor('bluesky')).toEqual({});
  });

  it('keeps only string fields', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(SECRET) });

    expect(await provider().credentialsFor('openai')).toEqual({ apiKey: 'sk-live-1' });
  });

  it('fetches the secret at most once per 5 minutes, then again', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(SECRET) });
    const p = provider();

    await p.credentialsFor('x');
    advance(CREDENTIALS_CACHE_MS - 1);
    await p.credentialsFor('beehiiv');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    advance(2); // just past 5 minutes (Powertools keeps a value through its last millisecond)
    await p.credentialsFor('x');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(CREDENTIALS_CACHE_MS).toBeLessThanOrEqual(5 * 60_000);
  });

  it('shares one fetch between concurrent callers', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(SECRET) });
    const p = provider();

    await Promise.all([p.credentialsFor('x'), p.credentialsFor('beehiiv'), p.credentialsFor('openai')]);

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('picks up a rotated secret after the cache expires', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ beehiiv: { apiKey: 'old' } }) })
      .resolves({ SecretString: JSON.stringify({ beehiiv: { apiKey: 'new' } }) });
    const p = provider();

    expect(await p.credentialsFor('beehiiv')).toEqual({ apiKey: 'old' });
    advance(CREDENTIALS_CACHE_MS + 1);
    expect(await p.credentialsFor('beehiiv')).toEqual({ apiKey: 'new' });
  });

  it('never echoes the secret when it is not valid JSON, and never logs it', async () => {
    const broken = '{"x": {"appSecret": "x-app-secret-value"';
    sm.on(GetSecretValueCommand).resolves({ SecretString: broken });
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => jest.spyOn(console, m).mockImplementation(() => {}));
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

    let message = '';
    try {
      await provider().credentialsFor('x');
    } catch (err) {
      message = `${(err as Error).message} ${(err as Error).stack ?? ''}`;
    }

    expect(message).toContain('not valid JSON');
    expect(message).not.toContain('x-app-secret-value');
    for (const spy of [...spies, stdout]) expect(spy).not.toHaveBeenCalled();
    for (const spy of [...spies, stdout]) spy.mockRestore();
  });

  it('does not cache a failed fetch', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('AccessDeniedException')).resolves({ SecretString: JSON.stringify(SECRET) });
    const p = provider();

    await expect(p.credentialsFor('x')).rejects.toThrow('AccessDeniedException');
    expect(await p.credentialsFor('beehiiv')).toEqual({ apiKey: 'bh-super-secret' });
  });

  it('hands out copies, so a caller cannot change the cached credentials', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(SECRET) });
    const p = provider();

    const first = await p.credentialsFor('beehiiv');
    if (first) first.apiKey = 'tampered';

    expect(await p.credentialsFor('beehiiv')).toEqual({ apiKey: 'bh-super-secret' });
  });
});

describe('EnvCredentials', () => {
  it('maps each source’s env vars to its credential fields', async () => {
    const env = { X_APP_KEY: 'k', X_APP_SECRET: 's', X_ACCESS_TOKEN: 't', X_ACCESS_SECRET: 'a', MAILCHIMP_API_KEY: 'abc-us21' };
    const p = new EnvCredentials(env);

    expect(await p.credentialsFor('x')).toEqual({ appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'a' });
    expect(await p.credentialsFor('mailchimp')).toEqual({ apiKey: 'abc-us21' });
    expect(await p.credentialsFor('kit')).toBeUndefined();
    expect(await p.credentialsFor('bluesky')).toEqual({});
  });
});

describe('credentials per account', () => {
  it('reads a configured account\'s own entry (x@acme) and never falls back to the default account\'s', async () => {
    sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify({ ...SECRET, 'x@acme': { appKey: 'acme-key' } }) });
    const p = provider();

    expect(await p.credentialsFor('x', 'acme')).toEqual({ appKey: 'acme-key' });
    expect(await p.credentialsFor('beehiiv', 'brand2')).toBeUndefined();
    expect((await p.credentialsFor('x'))?.appKey).toBe('x-app-key');
  });

  it('reads an account\'s env vars with its suffix (SHOP_EU for shop-eu), each account apart', async () => {
    const p = new EnvCredentials({ BEEHIIV_API_KEY: 'default', BEEHIIV_API_KEY__SHOP_EU: 'eu' });

    expect(await p.credentialsFor('beehiiv', 'shop-eu')).toEqual({ apiKey: 'eu' });
    expect(await p.credentialsFor('beehiiv')).toEqual({ apiKey: 'default' });
    expect(await p.credentialsFor('beehiiv', 'other')).toBeUndefined();
  });
});
