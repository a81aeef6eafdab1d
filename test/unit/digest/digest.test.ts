/** The digest's content for a seeded week, section by section, in markdown, text and chat payloads. */
import { buildDigest, sectionMarkdown, type Digest } from '../../../functions/domain/digest';
import { webhookPayload } from '../../../functions/jobs/digest-webhook';
import { anExperiment } from '../../support/factories';
import { aReadout, seededWeek } from './digest-fixtures';

function section(digest: Digest, id: string): string {
  const found = digest.sections.find((s) => s.id === id);
  if (!found) throw new Error(`no section ${id}`);
  return sectionMarkdown(found);
}

describe('buildDigest for a seeded week (2026-W46, Friday 16:00 Europe/Berlin)', () => {
  const digest = buildDigest(seededWeek());

  it('covers the seven days up to the digest time and names the week', () => {
    expect(digest.period).toEqual({ start: '2026-11-06T15:00:00.000Z', end: '2026-11-13T15:00:00.000Z' });
    expect(digest.markdown.split('\n').slice(0, 3)).toEqual([
      '# Verdict weekly digest — 2026-W46',
      '',
      '_Week 46 of 2026: Fri 6 Nov 16:00 to Fri 13 Nov 16:00 (Europe/Berlin)_',
    ]);
    expect(digest.subject).toBe('Verdict weekly digest 2026-W46: 2 verdicts, 2 running');
  });

  it('lists the verdicts reached this week, oldest first, with their plain-language summaries', () => {
    expect(section(digest, 'verdicts')).toBe([
      '## Verdicts this week',
      '',
      '- **Daily build-in-public thread** — KEEP (improved) on x.follower_growth_rate: +23.8 % (+7.6 % to +40.0 %)',
      '  Followers grew by 13.0 a day against 10.5 expected: about +24 %. Keep the daily thread.',
      '- **Question subject lines** — DISCARD (not improved) on newsletter.open_rate: +1.0 % (−2.5 % to +4.5 %)',
      '  Opens moved from 41.0 % to 41.4 %, well within the noise. Discard: questions did not beat statements.',
    ].join('\n'));
  });

  it('shows running experiments with days left and the interim readout, labelled as not a verdict', () => {
    expect(section(digest, 'running')).toBe([
      '## Running experiments',
      '',
      '- **Reply within the hour** — 8 days left, last day Fri 20 Nov · x.replies_per_post',
      '  Day 6 of 14: +15.0 % (−5.0 % to +35.0 %) so far, 87 % chance it is an improvement; leaning KEEP. Interim only, not a verdict.',
      '- **Cross-post to Bluesky** — 13 days left, last day Wed 25 Nov · bluesky.follower_growth_rate',
      '  No interim readout yet.',
    ].join('\n'));
  });

  it('says a running experiment without enough data has no readout yet, never "leaning DISCARD"', () => {
    const week = seededWeek();
    const dayZero = { experiment: week.running[1].experiment, readout: aReadout({ daysElapsed: 0, daysLeft: 14, leaning: null, leaningReason: 'insufficient_data', missing: ['no measured day in the window yet'] }) };

    const running = section(buildDigest({ ...week, running: [dayZero] }), 'running');

    expect(running).toContain('Day 0: not enough data for a readout yet (no measured day in the window yet).');
    expect(running).not.toMatch(/leaning/i);
  });

  it('shows the top three of the backlog in the loop\'s start order (ICE, unscored last)', () => {
    expect(section(digest, 'backlog')).toBe([
      '## Top of the backlog',
      '',
      '1. **Pinned lead magnet** — ICE 336 (8×6×7) · newsletter.subscriber_growth_rate · 14 days',
      '   A pinned free checklist turns profile visits into subscribers',
      '2. **Weekly teardown post** — ICE 240 (6×5×8) · x.follower_growth_rate · 14 days',
      '   A daily thread grows followers faster than single posts',
      '3. **Comparison page** — ICE 100 (5×4×5) · citations.citation_rate · 14 days',
      '   A daily thread grows followers faster than single posts',
    ].join('\n'));
  });

  it('lists only the sources with problems: failures with their message, pauses with their end', () => {
    expect(section(digest, 'sources')).toBe([
      '## Source health',
      '',
      '- **beehiiv** — last run failed (auth) on Fri 13 Nov 01:00',
      '  beehiiv rejected the API key (401): check BEEHIIV_API_KEY',
      '- **perplexity** — paused until Tue 1 Dec 01:00 (usage cap reached)',
    ].join('\n'));
  });

  it('nudges when fewer experiments run than the target', () => {
    expect(section(digest, 'nudge')).toBe([
      '## Keep the loop full',
      '',
      '- **2 of 3 running** — The loop starts 1 more experiment from the top of the backlog at its next run.',
    ].join('\n'));
    expect(digest.counts).toEqual({ verdicts: 2, keeps: 1, running: 2, target: 3, backlog: 4, sourceProblems: 2 });
  });

  it('joins the sections into one markdown document in a fixed order', () => {
    expect(digest.sections.map((s) => s.id)).toEqual(['verdicts', 'running', 'backlog', 'sources', 'nudge']);
    expect(digest.markdown).toBe(`${digest.markdown.split('\n').slice(0, 3).join('\n')}\n\n${digest.sections.map(sectionMarkdown).join('\n\n')}\n`);
  });

  it('renders plain text for email: upper-case headings, no markdown, lines of at most 72 characters', () => {
    const lines = digest.text.split('\n');

    expect(lines.slice(0, 6)).toEqual([
      'Verdict weekly digest - 2026-W46',
      'Week 46 of 2026: Fri 6 Nov 16:00 to Fri 13 Nov 16:00 (Europe/Berlin)',
      '',
      'VERDICTS THIS WEEK',
      '------------------',
      '* Daily build-in-public thread: KEEP (improved) on',
    ]);
    expect(lines.every((l) => l.length <= 72)).toBe(true);
    expect(digest.text).not.toMatch(/\*\*|`|^#/m);
    expect(digest.text).toContain('  Followers grew by 13.0 a day against 10.5 expected: about +24 %. Keep\n  the daily thread.');
  });
});

describe('buildDigest edge cases', () => {
  it('says so when a section is empty, and does not nudge a full loop', () => {
    const digest = buildDigest(seededWeek({ concluded: [], running: [], backlog: [], sources: [], target: 0 }));

    expect(section(digest, 'verdicts')).toBe('## Verdicts this week\n\nNo verdicts this week.');
    expect(section(digest, 'running')).toBe('## Running experiments\n\nNothing is running.');
    expect(section(digest, 'backlog')).toBe('## Top of the backlog\n\nThe backlog is empty.');
    expect(section(digest, 'sources')).toBe('## Source health\n\nNo sources are enabled.');
    expect(digest.sections.map((s) => s.id)).not.toContain('nudge');
  });

  it('tells an empty backlog to get ideas, naming the tool and the command', () => {
    const digest = buildDigest(seededWeek({ backlog: [] }));
    expect(section(digest, 'nudge')).toContain('The backlog is empty: add ideas (verdict backlog add, or the add_to_backlog tool) so the loop can start 1 more experiment.');
  });

  it('flags a source whose collections stopped arriving, and reports healthy sources as such', () => {
    const now = new Date('2026-11-13T15:00:00.000Z');
    const stale = buildDigest(seededWeek({ sources: [{ source: 'x', everyMinutes: 360, lastRun: { outcome: 'ok', startedAt: '2026-11-12T00:00:00.000Z' } }], now }));
    const fine = buildDigest(seededWeek({ sources: [{ source: 'x', everyMinutes: 360, lastRun: { outcome: 'ok', startedAt: '2026-11-13T12:00:00.000Z' } }], now }));

    expect(section(stale, 'sources')).toContain('- **x** — no collection since Thu 12 Nov 01:00');
    expect(section(fine, 'sources')).toBe('## Source health\n\nAll 1 source collected normally.');
  });

  it('ends the period at "now" while the week\'s digest time is still ahead', () => {
    const digest = buildDigest(seededWeek({ now: new Date('2026-11-10T08:00:00.000Z') }));
    expect(digest.period).toEqual({ start: '2026-11-06T15:00:00.000Z', end: '2026-11-10T08:00:00.000Z' });
    expect(digest.counts.verdicts).toBe(1);
  });

  it('escapes markdown in experiment names', () => {
    const digest = buildDigest(seededWeek({ running: [{ experiment: anExperiment({ name: 'Use *bold* hooks_v2 and _this_', end: '2026-11-20T00:00:00.000Z' }) }] }));
    expect(section(digest, 'running')).toContain('- **Use \\*bold\\* hooks_v2 and \\_this\\_** — ');
  });
});

describe('webhookPayload', () => {
  const digest = buildDigest(seededWeek());

  it('gives Slack (and Slack-compatible hooks) mrkdwn text', () => {
    const body = webhookPayload('https://hooks.slack.com/services/T000/B000/XXXX', digest) as { text: string };

    expect(Object.keys(body)).toEqual(['text', 'unfurl_links', 'unfurl_media']);
    expect(body.text.split('\n').slice(0, 4)).toEqual([
      '*Verdict weekly digest 2026-W46: 2 verdicts, 2 running*',
      '',
      '*Verdicts this week*',
      '• *Daily build-in-public thread* — KEEP (improved) on x.follower_growth_rate: +23.8 % (+7.6 % to +40.0 %)',
    ]);
  });

  it('gives Discord markdown content within its 2000-character limit', () => {
    const body = webhookPayload('https://discord.com/api/webhooks/123/abc', digest) as { content: string };

    expect(Object.keys(body)).toEqual(['content', 'allowed_mentions', 'flags']);
    expect(body.content.length).toBeLessThanOrEqual(2000);
    expect(body.content.startsWith('# Verdict weekly digest — 2026-W46')).toBe(true);
  });
});

describe('hostile text in the digest', () => {
  const hostile = '@everyone <@&123> [verify](https://evil.example) <img src=x onerror=alert(1)> \u001b]52;c;cHduZWQ=\u0007';
  const digest = buildDigest(seededWeek({
    running: [{ experiment: anExperiment({ name: hostile, hypothesis: hostile, end: '2026-11-20T00:00:00.000Z' }) }],
    backlog: [anExperiment({ status: 'backlog', name: hostile, hypothesis: `**${hostile}**` })],
  }));

  it('sends Discord no pings and no link previews, and escapes every piece of user text', () => {
    const body = webhookPayload('https://discord.com/api/webhooks/123/abc', digest) as { content: string; allowed_mentions: unknown; flags: number };

    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.flags & 4).toBe(4);
    expect(body.content).not.toMatch(/(^|[^\\])@everyone/);
    expect(body.content).not.toMatch(/(^|[^\\])<@&123>/);
    expect(body.content).not.toMatch(/(^|[^\\])\[verify\]\(/);
    expect(body.content).not.toMatch(/(^|[^\\])<img/);
    expect(body.content).toContain('\\@everyone \\<\\@\\&123\\> \\[verify\\](https://evil.example)');
    expect(body.content).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('gives Slack entities for < > & and breaks plain-text mentions and masked links', () => {
    const body = webhookPayload('https://hooks.slack.com/services/T000/B000/XXXX', digest) as { text: string };

    expect(body.text).not.toContain('<@&');
    expect(body.text).not.toContain('<img');
    expect(body.text).not.toMatch(/@everyone/);
    expect(body.text).not.toContain('](');
    expect(body.text).toContain('&lt;@\u2060&amp;123&gt;');
    expect(body.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('keeps the plain-text rendering (email) free of terminal control sequences', () => {
    expect(digest.text).toContain('@everyone <@&123> [verify](https://evil.example)');
    expect(digest.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('an experiment whose window is over but not yet scored', () => {
  it('reads "window over, verdict at the next scorer run", not "ends today"', () => {
    const now = new Date('2026-11-13T15:00:00.000Z');
    const overdue = anExperiment({ id: 'exp_overdue', name: 'Overdue window', status: 'running', start: '2026-10-30T00:00:00.000Z', end: '2026-11-13T00:00:00.000Z', durationDays: 14 });
    const text = section(buildDigest(seededWeek({ now, running: [{ experiment: overdue }] })), 'running');
    expect(text).toContain('Overdue window** — window over, verdict at the next scorer run');
    expect(text).not.toContain('ends today');
  });
});
