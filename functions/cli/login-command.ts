/** `verdict login`: check an API URL and token, then save them for the other commands. */
import { text } from 'node:stream/consumers';
import { createApiClient } from './api-client';
import { defineCommand, str, UsageError } from './command';
import { saveConnection } from './connection';
import { EXIT } from './exit-codes';
import { createPrompter, isInteractive } from './prompts';

export const LOGIN_HELP = `Usage: verdict login [--api URL] [--token TOKEN]

Checks the URL and token against the API (GET /health), then saves both — readable by you only —
so other commands need no flags. Without --token it asks on a terminal (input hidden) or reads the
token from stdin. The file is $VERDICT_CLI_CONFIG, else ~/.config/verdict/config.json.

Deployed: the URL is the stack output ApiUrl; the token is in Secrets Manager (output ApiTokenSecretName).
Local:    'verdict start' prints both.

Example:
  aws secretsmanager get-secret-value --secret-id "$SECRET" --query SecretString --output text \\
    | verdict login --api https://abc123.execute-api.eu-west-1.amazonaws.com`;

export const loginCommand = defineCommand({ name: 'login', help: LOGIN_HELP }, async (ctx) => {
  const interactive = isInteractive(ctx.io);
  const prompter = interactive ? createPrompter(ctx.io) : undefined;
  try {
    const api = (str(ctx.values, 'api') ?? (prompter ? await prompter.ask('API URL', { default: ctx.connection.api }) : ctx.connection.api)).replace(/\/+$/, '');
    if (!/^https?:\/\//.test(api)) throw new UsageError(`--api must be an http(s) URL, got "${api}"`);
    const token = str(ctx.values, 'token') ?? (prompter ? await prompter.secret('API token (input hidden): ') : (await text(ctx.io.stdin)).trim());
    if (!token) throw new UsageError('No token given: pass --token, type it on a terminal, or pipe it on stdin');
    await createApiClient({ baseUrl: api, token }).get('/health');
    const file = saveConnection({ api, token }, ctx.io.env);
    if (ctx.json) ctx.printJson({ api, configFile: file });
    else ctx.out(`${ctx.p.green('✔')} Logged in to ${api}; saved to ${file}.`);
    return EXIT.ok;
  } finally {
    prompter?.close();
  }
});

