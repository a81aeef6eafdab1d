/**
 * The authorizer across a token rotation (Secrets Manager faked at the SDK client boundary, time on a
 * fake clock): the new token works at once on a warm authorizer, the old one stops within
 * TOKEN_MAX_AGE_MS, and a flood of unknown tokens refetches the secret only as the bucket allows.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createAuthorizer } from '../../functions/handlers/authorizer';
import { SecretsManagerApiToken, TOKEN_MAX_AGE_MS, TOKEN_REFRESH_BURST, TOKEN_REFRESH_INTERVAL_MS } from '../../functions/shared/api-token';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:verdict/api-token-AbCdEf';
const OLD = 'old-token-0123456789abcdefghijklmnopqrstuvw';
const NEW = 'new-token-0123456789abcdefghijklmnopqrstuvw';

const sm = mockClient(SecretsManagerClient);
let secret: string;
beforeEach(() => {
  sm.reset();
  secret = OLD;
  sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).callsFake(async () => ({ SecretString: secret }));
});

function anAuthorizer(clock: { t: number }) {
  const quiet = { warn: () => {} };
  return createAuthorizer(new SecretsManagerApiToken(new SecretsManagerClient({ region: 'eu-west-1' }), SECRET_ARN, () => clock.t), { log: quiet });
}
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const fetches = () => sm.commandCalls(GetSecretValueCommand).length;

describe('token rotation', () => {
  it('accepts the new token on a warm authorizer at once, and then refuses the old one', async () => {
    const clock = { t: 0 };
    const authorize = anAuthorizer(clock);
    expect(await authorize(bearer(OLD))).toEqual({ isAuthorized: true });

    secret = NEW;
    clock.t += 1_000;

    expect(await authorize(bearer(NEW))).toEqual({ isAuthorized: true });
    expect(await authorize(bearer(OLD))).toEqual({ isAuthorized: false });
  });

  it('stops accepting the old token within TOKEN_MAX_AGE_MS even if nobody presents the new one', async () => {
    const clock = { t: 0 };
    const authorize = anAuthorizer(clock);
    await authorize(bearer(OLD));
    secret = NEW;

    clock.t += TOKEN_MAX_AGE_MS - 1;
    expect(await authorize(bearer(OLD))).toEqual({ isAuthorized: true });
    clock.t += 1;
    expect(await authorize(bearer(OLD))).toEqual({ isAuthorized: false });
  });
});

describe('a flood of unknown tokens', () => {
  it('refetches the secret a burst of times, then once per TOKEN_REFRESH_INTERVAL_MS', async () => {
    const clock = { t: 0 };
    const authorize = anAuthorizer(clock);
    await authorize(bearer(OLD));

    for (let i = 0; i < 100; i++) expect(await authorize(bearer(`guess-${i}-0123456789abcdefghijklmnop`))).toEqual({ isAuthorized: false });
    expect(fetches()).toBe(1 + TOKEN_REFRESH_BURST);

    clock.t += TOKEN_REFRESH_INTERVAL_MS;
    for (let i = 0; i < 100; i++) await authorize(bearer(`guess-${i}-0123456789abcdefghijklmnop`));
    // One refresh earned back, plus one re-read when the copy passed its max age (if the interval reached it).
    expect(fetches()).toBe(1 + TOKEN_REFRESH_BURST + 1 + (TOKEN_REFRESH_INTERVAL_MS >= TOKEN_MAX_AGE_MS ? 1 : 0));
  });

  it('denies (never throws) when the refetch fails, and denies missing or malformed headers', async () => {
    const clock = { t: 0 };
    const authorize = anAuthorizer(clock);
    await authorize(bearer(OLD));
    sm.on(GetSecretValueCommand).rejects(new Error('ThrottlingException'));

    expect(await authorize(bearer('guess-0123456789abcdefghijklmnopqrstuv'))).toEqual({ isAuthorized: false });
    expect(await authorize({ headers: {} })).toEqual({ isAuthorized: false });
    expect(await authorize({ headers: { authorization: `Basic ${OLD}` } })).toEqual({ isAuthorized: false });
    expect(await authorize(bearer(OLD))).toEqual({ isAuthorized: true });
  });
});
