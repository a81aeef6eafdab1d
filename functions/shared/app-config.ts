/**
 * The one typed configuration of a Verdict deployment: which sources run and how often, the brand and
 * prompt set for citation checks, the experiment loop's target, alarms and budget.
 * It lives in cdk.json under context.verdict (override locally with VERDICT_CONFIG_FILE), is validated
 * at synth and at local start, and reaches the Lambdas inlined at bundle time — it holds no secrets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { accountEnvSuffix, AccountNameSchema } from '../domain/accounts';
import { assertValidCadence } from './schedules';
import { ConfigurationError, errorMessage, parseOrThrow } from './errors';

const cadence = (defaultMinutes: number) =>
  z.number().int().default(defaultMinutes).superRefine((n, ctx) => {
    try { assertValidCadence({ everyMinutes: n }); } catch (e) { ctx.addIssue({ code: 'custom', message: errorMessage(e) }); }
  });

const domain = z.string().trim().toLowerCase().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a bare domain like example.com');

export const SOURCE_NAMES = ['x', 'bluesky', 'beehiiv', 'kit', 'buttondown', 'mailchimp', 'perplexity', 'openai', 'stripe', 'plausible', 'umami', 'gemini', 'claude', 'lemonsqueezy', 'polar'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/**
 * A source's settings, plus its further accounts (two X accounts, a newsletter per brand): each entry of
 * `accounts` is configured like the source itself — its own settings with the same defaults, except that
 * an account listed is enabled unless it says otherwise — and collected, scheduled and keyed on its own
 * (`x.follower_growth_rate@acme`). The source's top-level settings are the default account, whose keys
 * carry no `@`; set its `enabled: false` to collect only named accounts.
 */
function withAccounts<S extends z.ZodRawShape>(shape: S) {
  const settings = z.strictObject(shape);
  const account = z.preprocess((v) => (v && typeof v === 'object' && !Array.isArray(v) ? { enabled: true, ...v } : v), settings);
  // Every field of a source has a default, so {} is a valid input (the generic cannot see that).
  return z.strictObject({ ...shape, accounts: z.record(AccountNameSchema, account).default({}) }).prefault({} as never);
}

/** Retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const AppConfigSchema = z.strictObject({
  sources: z.strictObject({
    x: withAccounts(({
      enabled: z.boolean().default(true),
      everyMinutes: cadence(360),
      /** Own posts read per run for per-post metrics (X bills each post read). */
      timelineMaxPosts: z.number().int().min(5).max(100).default(20),
      /** Only own posts published in the last N days are read (their metrics settle within days). */
      timelineDays: z.number().int().min(1).max(30).default(7),
      /** Marker prefixes recognised in post text for post-variant experiments (`#v-raw` → arm raw); only markers are stored, never the text. */
      markerPrefixes: z.array(z.string().regex(/^[#$!]?[a-z0-9_-]{0,12}$/i)).max(5).default(['#v-']),
    })),
    bluesky: withAccounts(({
      enabled: z.boolean().default(false),
      handle: z.string().trim().min(3).optional(),
      everyMinutes: cadence(360),
    })),
    beehiiv: withAccounts(({ enabled: z.boolean().default(false), publicationId: z.string().optional(), everyMinutes: cadence(1440) })),
    kit: withAccounts(({ enabled: z.boolean().default(false), everyMinutes: cadence(1440) })),
    buttondown: withAccounts(({ enabled: z.boolean().default(false), everyMinutes: cadence(1440) })),
    mailchimp: withAccounts(({
      enabled: z.boolean().default(false),
      listId: z.string().optional(),
      /** Data center (e.g. us21); by default the API key's suffix. */
      dc: z.string().regex(/^[a-z]+\d+$/, 'must look like us21').optional(),
      everyMinutes: cadence(1440),
    })),
    perplexity: withAccounts(({ enabled: z.boolean().default(false), model: z.string().default('perplexity/sonar'), everyMinutes: cadence(1440) })),
    openai: withAccounts(({ enabled: z.boolean().default(false), model: z.string().default('gpt-5-mini'), everyMinutes: cadence(1440) })),
    /** Gemini with Google Search grounding. Cost per check: costPerCheckUsd + tokens (list prices, UNSURE: check before relying on them). */
    gemini: withAccounts(({
      enabled: z.boolean().default(false), model: z.string().default('gemini-2.5-flash'), everyMinutes: cadence(1440),
      costPerCheckUsd: z.number().min(0).default(0.035), inputUsdPerMTok: z.number().min(0).default(0.3), outputUsdPerMTok: z.number().min(0).default(2.5),
    })),
    /** Claude with the web search tool. Cost per check: searches × costPerSearchUsd + tokens. */
    claude: withAccounts(({
      enabled: z.boolean().default(false), model: z.string().default('claude-sonnet-4-5'), everyMinutes: cadence(1440),
      costPerSearchUsd: z.number().min(0).default(0.01), inputUsdPerMTok: z.number().min(0).default(3), outputUsdPerMTok: z.number().min(0).default(15),
    })),
    stripe: withAccounts(({
      enabled: z.boolean().default(false),
      everyMinutes: cadence(1440),
      /** Days of history read on the first successful run. */
      backfillDays: z.number().int().min(1).max(730).default(90),
      /** Recent days re-read on every later run (refunds, disputes and pending charges change them). */
      revisitDays: z.number().int().min(1).max(60).default(7),
      /** Requests per second at most (Stripe allows 25 in test mode, 100 live). */
      requestsPerSecond: z.number().int().min(1).max(90).default(20),
    })),
    /** Lemon Squeezy (merchant of record): orders and active subscriptions of one store. */
    lemonsqueezy: withAccounts({
      enabled: z.boolean().default(false),
      everyMinutes: cadence(1440),
      storeId: z.string().trim().min(1).optional(),
      backfillDays: z.number().int().min(1).max(730).default(90),
      revisitDays: z.number().int().min(1).max(60).default(7),
    }),
    /** Polar (merchant of record): its metrics endpoint, per day. */
    polar: withAccounts({
      enabled: z.boolean().default(false),
      everyMinutes: cadence(1440),
      /** Polar's API (default) or the sandbox, https://sandbox-api.polar.sh. */
      baseUrl: z.url().default('https://api.polar.sh'),
      /** Needed when the token can read several organisations. */
      organizationId: z.string().trim().min(1).optional(),
      /** The organisation's currency, which Polar's amounts are in (lower-case ISO 4217). */
      currency: z.string().regex(/^[a-z]{3}$/, 'must be a lower-case ISO 4217 code like usd').default('usd'),
      backfillDays: z.number().int().min(1).max(730).default(90),
      revisitDays: z.number().int().min(1).max(60).default(7),
    }),
    plausible: withAccounts(({
      enabled: z.boolean().default(false),
      everyMinutes: cadence(1440),
      /** Self-hosted Plausible CE: its origin (default Plausible cloud). */
      baseUrl: z.url().default('https://plausible.io'),
      /** Site domains as registered in Plausible (each one's series: traffic.visitors_per_day:<site>). */
      sites: z.array(domain).max(20).default([]),
      backfillDays: z.number().int().min(1).max(730).default(30),
      revisitDays: z.number().int().min(1).max(30).default(3),
    })),
    umami: withAccounts(({
      enabled: z.boolean().default(false),
      everyMinutes: cadence(1440),
      /** Umami Cloud's API (default) or a self-hosted instance's `https://<host>/api`. */
      baseUrl: z.url().default('https://api.umami.is/v1'),
      /** Websites to read: Umami's website id and the site name its series is keyed by. */
      websites: z.array(z.strictObject({ id: z.string().trim().min(1), site: domain })).max(20).default([]),
      backfillDays: z.number().int().min(1).max(730).default(30),
      revisitDays: z.number().int().min(1).max(30).default(3),
    })),
  }).prefault({}),
  /** Web analytics: which referrers (domains) are AI assistants, for traffic.ai_referred_visitors_per_day. */
  traffic: z.strictObject({
    aiReferrers: z.array(domain).min(1).default(['chatgpt.com', 'chat.openai.com', 'perplexity.ai', 'gemini.google.com', 'copilot.microsoft.com', 'claude.ai']),
  }).prefault({}),
  citations: z.strictObject({
    brand: z.string().trim().min(1).optional(),
    aliases: z.array(z.string().trim().min(1)).default([]),
    domains: z.array(domain).default([]),
    competitors: z.array(z.string().trim().min(1)).default([]),
    prompts: z.array(z.string().trim().min(3)).max(200).default([]),
    /** Times each prompt is asked per run, to measure the answers' noise floor. */
    repetitions: z.number().int().min(1).max(10).default(1),
    /** US dollars per calendar month across engines; collection stops for the month when reached. */
    monthlySpendCapUsd: z.number().min(0).default(5),
  }).prefault({}),
  scorer: z.strictObject({ everyMinutes: cadence(60) }).prefault({}),
  loop: z.strictObject({
    /** Experiments the scheduler keeps running at once, starting backlog items by ICE score. */
    targetActive: z.number().int().min(0).max(20).default(3),
  }).prefault({}),
  alarms: z.strictObject({ email: z.email().optional() }).prefault({}),
  budget: z.strictObject({
    monthlyUsd: z.number().positive().default(5),
    /** Percent of monthlyUsd of actual spend at which the budget alert fires (e.g. 80). */
    alertAtPercent: z.number().int().min(1).max(1000).default(80),
  }).prefault({}),
  /** Days CloudWatch keeps function and API access logs; one of the values CloudWatch Logs accepts. */
  logs: z.strictObject({
    retentionDays: z.number().int().refine((n) => LOG_RETENTION_DAYS.includes(n), `must be one of ${LOG_RETENTION_DAYS.join(', ')}`).default(30),
  }).prefault({}),
  /** Per-route API Gateway throttling, requests per second; bursts may reach twice the rate. */
  api: z.strictObject({
    readRatePerSecond: z.number().positive().max(10_000).default(10),
    writeRatePerSecond: z.number().positive().max(10_000).default(2),
    /**
     * Concurrent executions reserved for the token authorizer — also the most it runs at once, which caps
     * what a flood of random tokens costs. `false` reserves none (an account whose concurrency quota is
     * still the new-account 10 cannot reserve any); the flood is then bounded by the route throttles only.
     */
    authorizerConcurrency: z.union([z.number().int().min(1).max(1000), z.literal(false)]).default(1),
  }).prefault({}),
  dashboard: z.strictObject({
    /** Origin allowed by CORS besides the API's own (e.g. http://localhost:8787 for local dev). */
    allowedOrigins: z.array(z.url()).default([]),
  }).prefault({}),
  digest: z.strictObject({
    day: z.enum(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']).default('FRI'),
    hour: z.number().int().min(0).max(23).default(16),
    timeZone: z.string().default('UTC'),
  }).prefault({}),
}).superRefine((config, ctx) => {
  // newsletter.subscribers is one series per account: two providers would interleave two lists' counts in it.
  const accountNames = new Set(SOURCE_NAMES.flatMap((n) => Object.keys(config.sources[n].accounts)));
  for (const account of [undefined, ...accountNames]) {
    const newsletters = (['beehiiv', 'kit', 'buttondown', 'mailchimp'] as const).filter((n) => (account === undefined ? config.sources[n].enabled : config.sources[n].accounts[account]?.enabled));
    if (newsletters.length > 1) {
      ctx.addIssue({
        code: 'custom', path: ['sources', newsletters[1], ...(account === undefined ? [] : ['accounts', account]), 'enabled'],
        message: `enable one newsletter provider per account (${account === undefined ? 'default account' : `account ${account}`}: ${newsletters.join(', ')}); give the other its own account name`,
      });
    }
  }
  // revenue.* is one series per account and currency: two payment providers would overwrite each other's days.
  for (const account of [undefined, ...accountNames]) {
    const revenue = (['stripe', 'lemonsqueezy', 'polar'] as const).filter((n) => (account === undefined ? config.sources[n].enabled : config.sources[n].accounts[account]?.enabled));
    if (revenue.length > 1) {
      ctx.addIssue({
        code: 'custom', path: ['sources', revenue[1], ...(account === undefined ? [] : ['accounts', account]), 'enabled'],
        message: `enable one revenue source per account (${account === undefined ? 'default account' : `account ${account}`}: ${revenue.join(', ')}); give the other its own account name`,
      });
    }
  }
  // Bluesky's public API is read by handle: without one, every collection run would fail.
  const bluesky = config.sources.bluesky;
  if (bluesky.enabled && !bluesky.handle) {
    ctx.addIssue({ code: 'custom', path: ['sources', 'bluesky', 'handle'], message: 'bluesky is enabled but has no handle: set sources.bluesky.handle, e.g. "you.bsky.social"' });
  }
  for (const [name, account] of Object.entries(bluesky.accounts)) {
    if (account.enabled && !account.handle) ctx.addIssue({ code: 'custom', path: ['sources', 'bluesky', 'accounts', name, 'handle'], message: `bluesky account ${name} has no handle: set its handle, e.g. "brand.bsky.social"` });
  }
  // Each account's credentials are env vars with the account as suffix (X_APP_KEY__SHOP_EU): `shop-eu` and `shop_eu` would share them.
  for (const n of SOURCE_NAMES) {
    const seen = new Map<string, string>();
    for (const name of Object.keys(config.sources[n].accounts)) {
      const suffix = accountEnvSuffix(name);
      const other = seen.get(suffix);
      if (other) ctx.addIssue({ code: 'custom', path: ['sources', n, 'accounts', name], message: `accounts ${other} and ${name} would share their credential variables (*__${suffix}): rename one` });
      seen.set(suffix, name);
    }
  }
});
export type AppConfig = z.output<typeof AppConfigSchema>;

/** One source's settings (the default account's, or one of its accounts'). */
export type SourceSettings<N extends SourceName = SourceName> = Omit<AppConfig['sources'][N], 'accounts'>;

/** What one collection run collects: a source, and a configured account of it (absent: the default account). */
export interface CollectionTarget { source: SourceName; account?: string }

/** The settings a target is collected with: the source's own, or its account's. Undefined for an unknown account. */
export function sourceSettings<N extends SourceName>(config: Pick<AppConfig, 'sources'>, source: N, account?: string): SourceSettings<N> | undefined {
  const settings = config.sources[source] as AppConfig['sources'][N];
  return account === undefined ? settings : (settings.accounts[account] as SourceSettings<N> | undefined);
}

/**
 * `config` as one account's adapter sees it: sources.<source> holds the account's settings, so an
 * adapter built from a config reads its account without knowing about accounts.
 */
export function configForTarget(config: AppConfig, target: CollectionTarget): AppConfig {
  if (target.account === undefined) return config;
  const settings = sourceSettings(config, target.source, target.account);
  if (!settings) throw new ConfigurationError(`sources.${target.source}.accounts has no account ${target.account}`);
  return { ...config, sources: { ...config.sources, [target.source]: { ...settings, accounts: {} } } };
}

/** Every enabled collection target: each source's default account, then its named accounts (config order). */
export function enabledTargets(config: Pick<AppConfig, 'sources'>): CollectionTarget[] {
  return SOURCE_NAMES.flatMap((source) => [
    ...(config.sources[source].enabled ? [{ source }] : []),
    ...Object.entries(config.sources[source].accounts).filter(([, a]) => a.enabled).map(([account]) => ({ source, account })),
  ]);
}

/** `x` or `x@acme`: how a target is named in runs, logs, alarms and the health view. */
export function targetName(target: CollectionTarget): string {
  return target.account === undefined ? target.source : `${target.source}@${target.account}`;
}

/** Validates raw config, naming each bad field (`sources.x.everyMinutes: …`). */
export function parseAppConfig(raw: unknown, where = 'cdk.json context.verdict'): AppConfig {
  return parseOrThrow(AppConfigSchema, raw ?? {}, `Verdict config (${where})`);
}

/** Reads the config from cdk.json's context.verdict, or from the JSON file VERDICT_CONFIG_FILE names. */
export function readAppConfigFile(root: string, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const file = env.VERDICT_CONFIG_FILE;
  if (file) {
    const where = `VERDICT_CONFIG_FILE ${file}`;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigurationError(`Cannot read the Verdict config (${where}): ${errorMessage(err)}`, { cause: err });
    }
    return parseAppConfig(raw, where);
  }
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context?: { verdict?: unknown } };
  return parseAppConfig(cdkJson.context?.verdict);
}

declare const __VERDICT_CONFIG__: string | undefined;

/**
 * The config a deployed function was bundled with (inlined at bundle time by esbuild's define; see
 * lib/constructs/lambda-bundling.ts). Read by each composition root at cold start; the local runtime
 * and tests pass their own AppConfig instead.
 */
export function bundledAppConfig(): AppConfig {
  if (typeof __VERDICT_CONFIG__ !== 'string') throw new ConfigurationError('This function was bundled without its Verdict config (__VERDICT_CONFIG__)');
  try {
    return parseAppConfig(JSON.parse(__VERDICT_CONFIG__));
  } catch (err) {
    throw new ConfigurationError(`Invalid Verdict config in this function: ${errorMessage(err)}`, { cause: err });
  }
}
