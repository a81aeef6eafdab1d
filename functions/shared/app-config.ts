/**
 * The one typed configuration of a Verdict deployment: which sources run and how often, the brand and
 * prompt set for citation checks, the experiment loop's target, alarms and budget.
 * It lives in cdk.json under context.verdict (override locally with VERDICT_CONFIG_FILE), is validated
 * at synth and at local start, and reaches the Lambdas inlined at bundle time — it holds no secrets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '../domain/zod-mini';
import { accountEnvSuffix, AccountNameSchema } from '../domain/accounts';
import { assertValidCadence } from './schedules';
import { ConfigurationError, errorMessage, parseOrThrow } from './errors';

const cadence = (defaultMinutes: number) =>
  z._default(z.number().check(z.int()), defaultMinutes).check(z.superRefine((n, ctx) => {
    try { assertValidCadence({ everyMinutes: n }); } catch (e) { ctx.addIssue({ code: 'custom', message: errorMessage(e) }); }
  }));

const domain = z.string().check(z.trim(), z.toLowerCase(), z.regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a bare domain like example.com'));

export const SOURCE_NAMES = ['x', 'bluesky', 'beehiiv', 'kit', 'buttondown', 'mailchimp', 'perplexity', 'openai', 'stripe', 'plausible', 'umami', 'gemini', 'claude', 'lemonsqueezy', 'polar'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/**
 * A source's settings, plus its further accounts (two X accounts, a newsletter per brand): each entry of
 * `accounts` is configured like the source itself — its own settings with the same defaults, except that
 * an account listed is enabled unless it says otherwise — and collected, scheduled and keyed on its own
 * (`x.follower_growth_rate@acme`). The source's top-level settings are the default account, whose keys
 * carry no `@`; set its `enabled: false` to collect only named accounts.
 */
function withAccounts<S extends z.core.$ZodShape>(shape: S) {
  const settings = z.strictObject(shape);
  const account = z.pipe(z.transform((v) => (v && typeof v === 'object' && !Array.isArray(v) ? { enabled: true, ...v } : v)), settings);
  // Every field of a source has a default, so {} is a valid input (the generic cannot see that).
  return z.prefault(z.strictObject({ ...shape, accounts: z._default(z.record(AccountNameSchema, account), {}) }), {} as never);
}

/** Retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/**
 * The config's schema, built when something parses a config (synth, the local runtime, tests), not when the
 * module loads: constructing it costs ~8 ms CPU, and a deployed function reads a config validated at synth
 * (bundledAppConfig).
 */
function buildAppConfigSchema() {
  return z.strictObject({
    sources: z.prefault(z.strictObject({
      x: withAccounts(({
        enabled: z._default(z.boolean(), true),
        everyMinutes: cadence(360),
        /** Own posts read per run for per-post metrics (X bills each post read). */
        timelineMaxPosts: z._default(z.number().check(z.int(), z.gte(5), z.lte(100)), 20),
        /** Only own posts published in the last N days are read (their metrics settle within days). */
        timelineDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(30)), 7),
        /** Marker prefixes recognised in post text for post-variant experiments (`#v-raw` → arm raw); only markers are stored, never the text. */
        markerPrefixes: z._default(z.array(z.string().check(z.regex(/^[#$!]?[a-z0-9_-]{0,12}$/i))).check(z.maxLength(5)), ['#v-']),
      })),
      bluesky: withAccounts(({
        enabled: z._default(z.boolean(), false),
        handle: z.optional(z.string().check(z.trim(), z.minLength(3))),
        everyMinutes: cadence(360),
      })),
      beehiiv: withAccounts(({ enabled: z._default(z.boolean(), false), publicationId: z.optional(z.string()), everyMinutes: cadence(1440) })),
      kit: withAccounts(({ enabled: z._default(z.boolean(), false), everyMinutes: cadence(1440) })),
      buttondown: withAccounts(({ enabled: z._default(z.boolean(), false), everyMinutes: cadence(1440) })),
      mailchimp: withAccounts(({
        enabled: z._default(z.boolean(), false),
        listId: z.optional(z.string()),
        /** Data center (e.g. us21); by default the API key's suffix. */
        dc: z.optional(z.string().check(z.regex(/^[a-z]+\d+$/, 'must look like us21'))),
        everyMinutes: cadence(1440),
      })),
      perplexity: withAccounts(({ enabled: z._default(z.boolean(), false), model: z._default(z.string(), 'perplexity/sonar'), everyMinutes: cadence(1440) })),
      openai: withAccounts(({ enabled: z._default(z.boolean(), false), model: z._default(z.string(), 'gpt-5-mini'), everyMinutes: cadence(1440) })),
      /** Gemini with Google Search grounding. Cost per check: costPerCheckUsd + tokens (list prices, UNSURE: check before relying on them). */
      gemini: withAccounts(({
        enabled: z._default(z.boolean(), false), model: z._default(z.string(), 'gemini-2.5-flash'), everyMinutes: cadence(1440),
        costPerCheckUsd: z._default(z.number().check(z.gte(0)), 0.035), inputUsdPerMTok: z._default(z.number().check(z.gte(0)), 0.3), outputUsdPerMTok: z._default(z.number().check(z.gte(0)), 2.5),
      })),
      /** Claude with the web search tool. Cost per check: searches × costPerSearchUsd + tokens. */
      claude: withAccounts(({
        enabled: z._default(z.boolean(), false), model: z._default(z.string(), 'claude-sonnet-4-5'), everyMinutes: cadence(1440),
        costPerSearchUsd: z._default(z.number().check(z.gte(0)), 0.01), inputUsdPerMTok: z._default(z.number().check(z.gte(0)), 3), outputUsdPerMTok: z._default(z.number().check(z.gte(0)), 15),
      })),
      stripe: withAccounts(({
        enabled: z._default(z.boolean(), false),
        everyMinutes: cadence(1440),
        /** Days of history read on the first successful run. */
        backfillDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(730)), 90),
        /** Recent days re-read on every later run (refunds, disputes and pending charges change them). */
        revisitDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(60)), 7),
        /** Requests per second at most (Stripe allows 25 in test mode, 100 live). */
        requestsPerSecond: z._default(z.number().check(z.int(), z.gte(1), z.lte(90)), 20),
      })),
      /** Lemon Squeezy (merchant of record): orders and active subscriptions of one store. */
      lemonsqueezy: withAccounts({
        enabled: z._default(z.boolean(), false),
        everyMinutes: cadence(1440),
        storeId: z.optional(z.string().check(z.trim(), z.minLength(1))),
        backfillDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(730)), 90),
        revisitDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(60)), 7),
      }),
      /** Polar (merchant of record): its metrics endpoint, per day. */
      polar: withAccounts({
        enabled: z._default(z.boolean(), false),
        everyMinutes: cadence(1440),
        /** Polar's API (default) or the sandbox, https://sandbox-api.polar.sh. */
        baseUrl: z._default(z.url(), 'https://api.polar.sh'),
        /** Needed when the token can read several organisations. */
        organizationId: z.optional(z.string().check(z.trim(), z.minLength(1))),
        /** The organisation's currency, which Polar's amounts are in (lower-case ISO 4217). */
        currency: z._default(z.string().check(z.regex(/^[a-z]{3}$/, 'must be a lower-case ISO 4217 code like usd')), 'usd'),
        backfillDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(730)), 90),
        revisitDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(60)), 7),
      }),
      plausible: withAccounts(({
        enabled: z._default(z.boolean(), false),
        everyMinutes: cadence(1440),
        /** Self-hosted Plausible CE: its origin (default Plausible cloud). */
        baseUrl: z._default(z.url(), 'https://plausible.io'),
        /** Site domains as registered in Plausible (each one's series: traffic.visitors_per_day:<site>). */
        sites: z._default(z.array(domain).check(z.maxLength(20)), []),
        backfillDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(730)), 30),
        revisitDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(30)), 3),
      })),
      umami: withAccounts(({
        enabled: z._default(z.boolean(), false),
        everyMinutes: cadence(1440),
        /** Umami Cloud's API (default) or a self-hosted instance's `https://<host>/api`. */
        baseUrl: z._default(z.url(), 'https://api.umami.is/v1'),
        /** Websites to read: Umami's website id and the site name its series is keyed by. */
        websites: z._default(z.array(z.strictObject({ id: z.string().check(z.trim(), z.minLength(1)), site: domain })).check(z.maxLength(20)), []),
        backfillDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(730)), 30),
        revisitDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(30)), 3),
      })),
    }), {}),
    /** Web analytics: which referrers (domains) are AI assistants, for traffic.ai_referred_visitors_per_day. */
    traffic: z.prefault(z.strictObject({
      aiReferrers: z._default(z.array(domain).check(z.minLength(1)), ['chatgpt.com', 'chat.openai.com', 'perplexity.ai', 'gemini.google.com', 'copilot.microsoft.com', 'claude.ai']),
    }), {}),
    citations: z.prefault(z.strictObject({
      brand: z.optional(z.string().check(z.trim(), z.minLength(1))),
      aliases: z._default(z.array(z.string().check(z.trim(), z.minLength(1))), []),
      domains: z._default(z.array(domain), []),
      competitors: z._default(z.array(z.string().check(z.trim(), z.minLength(1))), []),
      prompts: z._default(z.array(z.string().check(z.trim(), z.minLength(3))).check(z.maxLength(200)), []),
      /** Times each prompt is asked per run, to measure the answers' noise floor. */
      repetitions: z._default(z.number().check(z.int(), z.gte(1), z.lte(10)), 1),
      /** US dollars per calendar month across engines; collection stops for the month when reached. */
      monthlySpendCapUsd: z._default(z.number().check(z.gte(0)), 5),
    }), {}),
    scorer: z.prefault(z.strictObject({ everyMinutes: cadence(60) }), {}),
    loop: z.prefault(z.strictObject({
      /** Experiments the scheduler keeps running at once, starting backlog items by ICE score. */
      targetActive: z._default(z.number().check(z.int(), z.gte(0), z.lte(20)), 3),
    }), {}),
    alarms: z.prefault(z.strictObject({ email: z.optional(z.email()) }), {}),
    budget: z.prefault(z.strictObject({
      monthlyUsd: z._default(z.number().check(z.positive()), 5),
      /** Percent of monthlyUsd of actual spend at which the budget alert fires (e.g. 80). */
      alertAtPercent: z._default(z.number().check(z.int(), z.gte(1), z.lte(1000)), 80),
    }), {}),
    /** Days CloudWatch keeps function and API access logs; one of the values CloudWatch Logs accepts. */
    logs: z.prefault(z.strictObject({
      retentionDays: z._default(z.number().check(z.int(), z.refine((n) => LOG_RETENTION_DAYS.includes(n), `must be one of ${LOG_RETENTION_DAYS.join(', ')}`)), 30),
    }), {}),
    /** Per-route API Gateway throttling, requests per second; bursts may reach twice the rate. */
    api: z.prefault(z.strictObject({
      readRatePerSecond: z._default(z.number().check(z.positive(), z.lte(10_000)), 10),
      writeRatePerSecond: z._default(z.number().check(z.positive(), z.lte(10_000)), 2),
      /**
       * Concurrent executions reserved for the token authorizer — also the most it runs at once, which caps
       * what a flood of random tokens costs. `false` reserves none (an account whose concurrency quota is
       * still the new-account 10 cannot reserve any); the flood is then bounded by the route throttles only.
       */
      authorizerConcurrency: z._default(z.union([z.number().check(z.int(), z.gte(1), z.lte(1000)), z.literal(false)]), 1),
    }), {}),
    dashboard: z.prefault(z.strictObject({
      /** Origin allowed by CORS besides the API's own (e.g. http://localhost:8787 for local dev). */
      allowedOrigins: z._default(z.array(z.url()), []),
    }), {}),
    digest: z.prefault(z.strictObject({
      day: z._default(z.enum(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']), 'FRI'),
      hour: z._default(z.number().check(z.int(), z.gte(0), z.lte(23)), 16),
      timeZone: z._default(z.string(), 'UTC'),
    }), {}),
  }).check(z.superRefine((config, ctx) => {
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
  }));
}
export type AppConfig = z.output<ReturnType<typeof buildAppConfigSchema>>;
let appConfigSchema: ReturnType<typeof buildAppConfigSchema> | undefined;

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
  // A constant once built (same schema every time): kept, so tests and tools that parse many configs build it once.
  appConfigSchema ??= buildAppConfigSchema();
  return parseOrThrow(appConfigSchema, raw ?? {}, `Verdict config (${where})`);
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
 * and tests pass their own AppConfig instead. Not parsed again: what is inlined is parseAppConfig's own
 * output at synth (lambdaBundling takes an AppConfig), and parsing it again changes nothing
 * (test/unit/schedules-and-config.test.ts) — it only cost every cold start the schema (~10 ms CPU).
 */
export function bundledAppConfig(): AppConfig {
  if (typeof __VERDICT_CONFIG__ !== 'string') throw new ConfigurationError('This function was bundled without its Verdict config (__VERDICT_CONFIG__)');
  return JSON.parse(__VERDICT_CONFIG__) as AppConfig;
}
