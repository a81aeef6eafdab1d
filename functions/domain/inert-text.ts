/**
 * Text a user, an imported file or an agent wrote, made inert for where it lands: spreadsheet cells,
 * markdown (GitHub, Discord), Slack mrkdwn and plain text. Every renderer of user text goes through one
 * of these, so a hypothesis like `=HYPERLINK(…)`, `<img onerror=…>`, `@everyone` or
 * `[verify](https://evil.example)` is shown as the characters it is and never acts.
 */

/** C0 and C1 control characters (ESC, BEL, CSI…) and DEL, except tab and newline. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Bidirectional overrides and isolates (U+202A–202E, U+2066–2069): they reorder what a reader sees. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** `s` without control characters (tab and newline kept) and bidi overrides. */
export function withoutControlChars(s: string): string {
  return s.replace(CONTROL_CHARS, '').replace(BIDI_CONTROLS, '');
}

/**
 * A spreadsheet text cell, per OWASP's CSV-injection guidance: a cell starting with `=`, `+`, `-`, `@`
 * (or their full-width forms), a tab or a carriage return — also after leading spaces — gets a leading
 * `'`, so Excel, LibreOffice and Google Sheets show it as text instead of evaluating a formula. Tabs
 * and line breaks inside become spaces (they would split cells and rows). Use it for text columns only:
 * numbers written by the program (`-2.5`) stay numbers.
 */
export function spreadsheetText(s: string): string {
  const flat = withoutControlChars(s.replace(/[\t\r\n]+/g, ' '));
  return /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]/.test(flat) || /^[\t\r]/.test(s) ? `'${flat}` : flat;
}

/**
 * Markdown (CommonMark/GFM and Discord) that renders as exactly the characters of `s`: every character
 * that can start emphasis, code, a link, an image, raw HTML, a mention, a table cell or a strikethrough
 * is backslash-escaped, as is a leading heading/quote/list marker. Line breaks become spaces.
 */
export function markdownText(s: string): string {
  return withoutControlChars(s.replace(/[\r\n]+/g, ' '))
    .replace(/[\\`*~|[\]<>@&!]/g, '\\$&')
    // A lone `_` inside a word (BEEHIIV_API_KEY) is never emphasis; every other underscore is escaped.
    .replace(/_+/g, (run, at: number, all: string) => (run.length === 1 && /[A-Za-z0-9]/.test(all[at - 1] ?? '') && /[A-Za-z0-9]/.test(all[at + 1] ?? '') ? run : run.replace(/_/g, '\\_')))
    .replace(/^(\s*)([#>+-]|\d+[.)])/, '$1\\$2');
}

/** U+2060 WORD JOINER: invisible, and it breaks mention and link syntax that has no escape. */
const WORD_JOINER = '\u2060';

/**
 * Slack mrkdwn (and Slack-compatible hooks such as Mattermost and Rocket.Chat, which read markdown):
 * `&`, `<`, `>` as entities (so no `<!everyone>`, `<@U…>` or `<url|text>`), and a word joiner after
 * `@` and between `](` so neither a plain-text mention nor a markdown masked link forms.
 */
export function slackText(s: string): string {
  return withoutControlChars(s.replace(/[\r\n]+/g, ' '))
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/@/g, `@${WORD_JOINER}`)
    .replace(/\]\(/g, `]${WORD_JOINER}(`);
}
