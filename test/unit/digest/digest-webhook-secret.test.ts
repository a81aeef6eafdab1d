/** The digest webhook URL is `digest.webhookUrl` in the credentials secret (env locally), never logged. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { digestWebhookUrl } from '../../../functions/handlers/digest';
import { EnvCredentials, SecretsManagerCredentials } from '../../../functions/sources/credentials';

const client = new SecretsManagerClient({ region: 'eu-west-1' });
const secrets = mockClient(client);
beforeEach(() => secrets.reset());

function secretHolding(value: unknown): SecretsManagerCredentials {
  secrets.on(GetSecretValueCommand).resolves({ SecretString: typeof value === 'string' ? value : JSON.stringify(value) });
  return new SecretsManagerCredentials(client, 'arn:secret');
}

describe('digestWebhookUrl', () => {
  it('reads digest.webhookUrl next to the sources\' credentials', async () => {
    const credentials = secretHolding({ x: { appKey: 'k' }, digest: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/abc' } });
    expect(await digestWebhookUrl(credentials)).toBe('https://hooks.slack.com/services/T0/B0/abc');
  });

  it.each([
    ['no digest entry', { x: { appKey: 'k' } }],
    ['a plain-http URL to another host', { digest: { webhookUrl: 'http://hooks.example.com/x' } }],
    ['not a URL', { digest: { webhookUrl: 'hooks.slack.com' } }],
  ])('means no webhook for %s', async (_case, value) => {
    expect(await digestWebhookUrl(secretHolding(value))).toBeUndefined();
  });

  it('reads VERDICT_DIGEST_WEBHOOK_URL locally, where a loopback test hook may be plain http', async () => {
    expect(await digestWebhookUrl(new EnvCredentials({ VERDICT_DIGEST_WEBHOOK_URL: 'http://127.0.0.1:9000/hooks/weekly' }))).toBe('http://127.0.0.1:9000/hooks/weekly');
    expect(await digestWebhookUrl(new EnvCredentials({}))).toBeUndefined();
  });
});
