/** The digest webhook URL comes from `digest.webhookUrl` in the source-credentials secret, never logged. */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { resetDigestHandler, secretWebhookUrl } from '../../../functions/handlers/digest';
import { logger } from '../../../functions/shared/logger';

const client = new SecretsManagerClient({ region: 'eu-west-1' });
const secrets = mockClient(client);

beforeAll(() => { logger.setLogLevel('SILENT'); });
beforeEach(() => {
  secrets.reset();
  resetDigestHandler();
});

function secretHolding(value: unknown): void {
  secrets.on(GetSecretValueCommand).resolves({ SecretString: typeof value === 'string' ? value : JSON.stringify(value) });
}

describe('secretWebhookUrl', () => {
  it('reads digest.webhookUrl next to the sources\' credentials', async () => {
    secretHolding({ x: { appKey: 'k' }, digest: { webhookUrl: 'https://hooks.slack.com/services/T0/B0/abc' } });
    expect(await secretWebhookUrl(client, 'arn:secret')).toBe('https://hooks.slack.com/services/T0/B0/abc');
  });

  it.each([
    ['no digest entry', { x: { appKey: 'k' } }],
    ['a plain-http URL', { digest: { webhookUrl: 'http://hooks.example.com/x' } }],
    ['not a URL', { digest: { webhookUrl: 'hooks.slack.com' } }],
    ['a secret that is not JSON', 'not json {'],
  ])('means no webhook for %s', async (_case, value) => {
    secretHolding(value);
    expect(await secretWebhookUrl(client, 'arn:secret')).toBeUndefined();
  });

  it('reads the secret at most once per cache period', async () => {
    secretHolding({ digest: { webhookUrl: 'https://discord.com/api/webhooks/1/a' } });
    let t = 0;

    await secretWebhookUrl(client, 'arn:secret', () => t);
    t += 60_000;
    await secretWebhookUrl(client, 'arn:secret', () => t);
    t += 5 * 60_000;
    await secretWebhookUrl(client, 'arn:secret', () => t);

    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});
