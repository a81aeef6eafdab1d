/**
 * The authorizer across a token rotation (Secrets Manager faked at the SDK client boundary, Date faked,
 * since Powertools' cache reads Date.now): the new token works at once on a warm authorizer, the old one
 * stops once the copy is older than TOKEN_MAX_AGE_MS, and a flood of unknown tokens refetches the secret
 * only as the bucket allows.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createAuthorizer } from '../../functions/handlers/authorizer';
import { SecretsManagerApiToken, TOKEN_MAX_AGE_MS, TOKEN_REFRESH_BURST, TOKEN_REFRESH_INTERVAL_MS } from '../../functions/shared/api-token';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:verdict/api-token-AbCdEf';
const OLD = 'old-token-0123456789abcdefghijklmnopqrstuvw';
const NEW = 'new-token-0123456789abcdefghijklmnopqrstuvw';

const sm = mockClient(SecretsManagerClient);
// Time moves only when a test moves it: Date is faked; timers and ticks stay real.
const REAL = ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] as const;
let secret: string;
beforeEach(() => {
  sm.reset();
  jest.useFakeTimers({ doNotFake: [...REAL], now: 1_000 });
  secret = OLD;
  sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).callsFake(async () => ({ SecretString: secret }));
});
afterEach(() => jest.useRealTimers());
const advance = (ms: number) => jest.setSystemTime(Date.now() + ms);

function anAuthorizer() {
  const quiet = { warn: () => {} };
  return createAuthorizer(new SecretsManagerApiToken(new SecretsManagerClient({ region: 'eu-west-1' }), SECRET_ARN), { log: quiet });
}
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const fetches = () => sm.commandCalls(GetSecretValueCommand).length;

describe('token rotation', () => {
  it('accepts the new token on a warm authorizer at once, and then refuses the old one', async () => {
    const authorize = anAuthorizer();
    expect(await authorize(bearer(OLD))).toEqual({ isAuthorized: true });

    secret = NEW;
    advance(1_000);

    expect(await authorize(bearer(NEW))).toEqual({ isAuthorized: true });
    expect(await authorize(bearer(OLD))).toEqual({ isAuthorized: false });
  });

  it('stops accepting the old token once the copy is older than TOKEN_MAX_AGE_MS, even if nobody presents the new one', async () => {
    const authorize = anAuthorizer();
    await authorize(bearer(OLD));
    secret = NEW;

    // Powertools keeps a value through its last millisecond.
    advance(TOKEN_MAX_AGE_MS);
    expect(await authorize(bearer(OLD))).toEqual({ isAuthorized: true });
    advance(1);
    expect(await authorize(bearer(OLD))).toEqual({ isAuthorized: false });
  });
});

describe('a flood of unknown tokens', () => {
  it('refetches the secret a burst of times, then once per TOKEN_REFRESH_INTERVAL_MS', async () => {
    const authorize = anAuthorizer();
    await authorize(bearer(OLD));

    for (let i = 0; i < 100; i++) expect(await authorize(bearer(`guess-${i}-0123456789abcdefghijklmnop`))).toEqual({ isAuthorized: false });
    expect(fetches()).toBe(1 + TOKEN_REFRESH_BURST);

    advance(TOKEN_REFRESH_INTERVAL_MS + 1);
    for (let i = 0; i < 100; i++) await authorize(bearer(`guess-${i}-0123456789abcdefghijklmnop`));
    // One refresh earned back, plus one re-read when the copy passed its max age (if the interval reached it).
    expect(fetches()).toBe(1 + TOKEN_REFRESH_BURST + 1 + (TOKEN_REFRESH_INTERVAL_MS >= TOKEN_MAX_AGE_MS ? 1 : 0));
  });

  it('denies (never throws) when the refetch fails, and denies missing or malformed headers', async () => {
    const authorize = anAuthorizer();
    await authorize(bearer(OLD));
    sm.on(GetSecretValueCommand).rejects(new Error('ThrottlingException'));

    expect(await authorize(bearer('guess-0123456789abcdefghijklmnopqrstuv'))).toEqual({ isAuthorized: false });
    expect(await authorize({ headers: {} })).toEqual({ isAuthorized: false });
    expect(await authorize({ headers: { authorization: `Basic ${OLD}` } })).toEqual({ isAuthorized: false });
    expect(await authorize(bearer(OLD))).toEqual({ isAuthorized: true });
  });
});
