/** Schedules (one definition for cron and the local scheduler), config validation and token checks. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAppConfig, readAppConfigFile } from '../../functions/shared/app-config';
import { bearerToken, tokensMatch } from '../../functions/shared/api-token';
import { scheduledJobs } from '../../functions/shared/scheduled-jobs';
import { missedSlots, nextSlotAfter, slotFor, slotsBetween, toCronExpression } from '../../functions/shared/schedules';

describe('schedules', () => {
  it('turns cadences into UTC-aligned cron expressions', () => {
    expect(toCronExpression({ everyMinutes: 15 })).toBe('cron(0/15 * * * ? *)');
    expect(toCronExpression({ everyMinutes: 360 })).toBe('cron(0 0/6 * * ? *)');
    expect(toCronExpression({ everyMinutes: 1440 })).toBe('cron(0 0 * * ? *)');
  });

  it('rejects cadences that do not divide a day evenly', () => {
    expect(() => toCronExpression({ everyMinutes: 7 })).toThrow(/divide a day/);
    expect(() => toCronExpression({ everyMinutes: 90 })).toThrow(/divide a day/);
  });

  it('puts a late delivery in the slot it was scheduled for', () => {
    expect(slotFor('2026-11-20T06:20:00Z', { everyMinutes: 360 }).toISOString()).toBe('2026-11-20T06:00:00.000Z');
    expect(nextSlotAfter(new Date('2026-11-20T06:00:00Z'), { everyMinutes: 360 }).toISOString()).toBe('2026-11-20T12:00:00.000Z');
  });

  it('lists the slots in a range, for spotting missed collections', () => {
    const slots = slotsBetween(new Date('2026-11-20T00:00:00Z'), new Date('2026-11-21T00:00:00Z'), { everyMinutes: 360 });
    expect(slots.map((s) => s.toISOString().slice(11, 16))).toEqual(['00:00', '06:00', '12:00', '18:00']);
  });

  it('schedules one collector per enabled source plus the scorer', () => {
    const jobs = scheduledJobs(parseAppConfig({ sources: { x: { enabled: true }, bluesky: { enabled: true, handle: 'me.bsky.social' } } }));
    expect(jobs.map((j) => j.id)).toEqual(expect.arrayContaining(['collect-x', 'collect-bluesky', 'score']));
    expect(jobs.find((j) => j.id === 'collect-beehiiv')).toBeUndefined();
  });
});

describe('config', () => {
  it('fills defaults for an empty config', () => {
    const config = parseAppConfig({});
    expect(config.sources.x).toMatchObject({ enabled: true, everyMinutes: 360 });
    expect(config.loop.targetActive).toBe(3);
  });

  it('allows one newsletter provider at a time, since they share one subscriber series', () => {
    expect(() => parseAppConfig({ sources: { beehiiv: { enabled: true }, kit: { enabled: true } } })).toThrow(/sources\.kit\.enabled: enable one newsletter provider/);
  });

  it('names every bad field', () => {
    expect(() => parseAppConfig({ sources: { x: { everyMinutes: 7 } }, alarms: { email: 'not-an-email' }, surprise: 1 }))
      .toThrow(/sources\.x\.everyMinutes.*alarms\.email.*surprise/s);
  });
});

describe('the config a function is bundled with', () => {
  // bundledAppConfig() returns the inlined JSON without parsing it again: that holds only while a parsed
  // config survives JSON and a second parse unchanged (no Date, no transform that is not idempotent).
  it.each([
    ['the default config', {}],
    ['every source enabled with accounts, alarms and a brand', {
      sources: {
        x: { accounts: { acme: { timelineMaxPosts: 50 } } }, bluesky: { enabled: true, handle: 'me.bsky.social' }, beehiiv: { enabled: true, publicationId: 'pub_1' },
        stripe: { enabled: true }, plausible: { enabled: true, sites: [' Example.COM '] }, perplexity: { enabled: true },
      },
      alarms: { email: 'ops@example.com' }, loop: { targetActive: 3 },
    }],
  ])('is unchanged by JSON and a second parse: %s', (_name, raw) => {
    const synthesized = parseAppConfig(raw);
    const inlined = JSON.parse(JSON.stringify(synthesized)) as unknown;

    expect(parseAppConfig(inlined)).toEqual(inlined);
    expect(inlined).toEqual(synthesized);
  });
});

describe('config validated at start-up', () => {
  it('refuses bluesky enabled without a handle, naming the field', () => {
    expect(() => parseAppConfig({ sources: { bluesky: { enabled: true } } })).toThrow(/sources\.bluesky\.handle: bluesky is enabled but has no handle/);
    expect(parseAppConfig({ sources: { bluesky: { enabled: true, handle: 'you.bsky.social' } } }).sources.bluesky.handle).toBe('you.bsky.social');
  });

  it('labels errors of a VERDICT_CONFIG_FILE with that file, not cdk.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-config-'));
    try {
      const bad = join(dir, 'verdict.json');
      writeFileSync(bad, JSON.stringify({ loop: { targetActive: 99 } }));
      expect(() => readAppConfigFile(dir, { VERDICT_CONFIG_FILE: bad })).toThrow(`Invalid Verdict config (VERDICT_CONFIG_FILE ${bad}): loop.targetActive`);
      const broken = join(dir, 'broken.json');
      writeFileSync(broken, '{ "loop": ');
      expect(() => readAppConfigFile(dir, { VERDICT_CONFIG_FILE: broken })).toThrow(`Cannot read the Verdict config (VERDICT_CONFIG_FILE ${broken})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('API token', () => {
  it('matches only the exact token', () => {
    expect(tokensMatch('secret-token', 'secret-token')).toBe(true);
    expect(tokensMatch('secret-tokeN', 'secret-token')).toBe(false);
    expect(tokensMatch('secret', 'secret-token')).toBe(false);
    expect(tokensMatch('', '')).toBe(false);
  });

  it('reads only Bearer credentials', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('missedSlots', () => {
  const sixHours = { everyMinutes: 360 };
  it('lists slots between the oldest run and now that have no run', () => {
    const runs = ['2026-11-20T00:00:00.000Z', '2026-11-20T06:00:00.000Z', '2026-11-21T00:00:00.000Z'];
    expect(missedSlots(runs, sixHours, new Date('2026-11-21T03:00:00Z'))).toEqual(['2026-11-20T12:00:00.000Z', '2026-11-20T18:00:00.000Z']);
  });

  it('does not count the slot still within its grace period, nor a source that never ran', () => {
    expect(missedSlots(['2026-11-20T00:00:00.000Z'], sixHours, new Date('2026-11-20T06:10:00Z'))).toEqual([]);
    expect(missedSlots([], sixHours, new Date('2026-11-20T06:10:00Z'))).toEqual([]);
  });
});

describe('accounts in the config (issue 18)', () => {
  it('configures each account like its source, enabled unless it says otherwise, with the source\'s defaults', () => {
    const config = parseAppConfig({ sources: { x: { timelineDays: 3, accounts: { acme: { timelineMaxPosts: 50 }, paused: { enabled: false } } } } });

    expect(config.sources.x.accounts.acme).toEqual({ enabled: true, everyMinutes: 360, timelineMaxPosts: 50, timelineDays: 7, markerPrefixes: ['#v-'] });
    expect(config.sources.x.accounts.paused.enabled).toBe(false);
    expect(parseAppConfig({}).sources.beehiiv.accounts).toEqual({});
  });

  it('refuses two newsletter providers on one account, but allows one per account', () => {
    expect(() => parseAppConfig({ sources: { kit: { accounts: { brand2: {} } }, buttondown: { accounts: { brand2: {} } } } })).toThrow(/sources\.buttondown\.accounts\.brand2\.enabled: enable one newsletter provider per account/);
    expect(() => parseAppConfig({ sources: { beehiiv: { enabled: true }, kit: { accounts: { brand2: {} } } } })).not.toThrow();
  });

  it('refuses bad account names, accounts whose variables would collide, and a Bluesky account without a handle', () => {
    expect(() => parseAppConfig({ sources: { x: { accounts: { 'Acme Co': {} } } } })).toThrow(/sources\.x\.accounts/);
    expect(() => parseAppConfig({ sources: { x: { accounts: { 'shop-eu': {}, shop_eu: {} } } } })).toThrow(/would share their credential variables/);
    expect(() => parseAppConfig({ sources: { bluesky: { accounts: { brand: {} } } } })).toThrow(/sources\.bluesky\.accounts\.brand\.handle/);
  });
});
