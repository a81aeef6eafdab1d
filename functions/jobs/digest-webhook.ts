/**
 * The digest as a chat message: the incoming-webhook body for Slack (and Slack-compatible hooks) or
 * Discord, chosen by the hook's host. Delivery's concern, beside the job that posts it (weekly-digest.ts).
 */
import type { Digest } from '../domain/digest';
import { slackText } from '../domain/inert-text';

/**
 * The incoming-webhook body for `url`: Discord takes `content` (markdown, ≤ 2000 characters) with
 * `allowed_mentions: { parse: [] }` (no @everyone, role or user ping whatever the text says) and
 * SUPPRESS_EMBEDS (flag 4: no link previews); Slack and Slack-compatible hooks (Mattermost,
 * Rocket.Chat, …) take `text` in Slack's mrkdwn. Every piece of user text is escaped for its channel.
 */
export function webhookPayload(url: string, digest: Pick<Digest, 'week' | 'sections' | 'markdown' | 'subject'>): Record<string, unknown> {
  const host = safeHost(url);
  if (host === 'discord.com' || host === 'discordapp.com' || host.endsWith('.discord.com')) {
    const md = digest.markdown;
    return {
      content: md.length <= 2000 ? md : `${md.slice(0, 1990).replace(/\n[^\n]*$/, '')}\n…`,
      allowed_mentions: { parse: [] },
      flags: DISCORD_SUPPRESS_EMBEDS,
    };
  }
  const sections = digest.sections.map((s) => {
    const lines = [`*${slackText(s.title)}*`];
    if (s.items.length === 0) lines.push(slackText(s.empty ?? ''));
    s.items.forEach((item, i) => {
      lines.push(`${s.ordered ? `${i + 1}.` : '•'} *${slackText(item.label)}* — ${slackText(item.text)}`);
      for (const d of item.details) lines.push(`      ${slackText(d)}`);
    });
    return lines.join('\n');
  });
  return { text: [`*${slackText(digest.subject)}*`, ...sections].join('\n\n'), unfurl_links: false, unfurl_media: false };
}

/** Discord message flag SUPPRESS_EMBEDS (1 << 2). */
const DISCORD_SUPPRESS_EMBEDS = 4;

function safeHost(url: string): string {
  try { return new URL(url).hostname.toLowerCase(); } catch { return ''; }
}
