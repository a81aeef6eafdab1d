/**
 * Whether an AI answer cites or mentions the brand — pure functions, shared by every answer engine.
 *
 * - cited: one of the answer's source URLs is on a brand domain. A configured registrable domain
 *   (example.com, example.co.uk) matches itself and every subdomain; a configured subdomain
 *   (brand.substack.com, docs.example.com) matches itself and its own subdomains only. `www.` is
 *   ignored; look-alikes (evil-example.com, example.com.evil.net) never match.
 * - position: 1-based rank of the first brand URL among the answer's sources, after removing
 *   duplicates that differ only by scheme, `www.`, fragment, trailing slash or tracking parameters.
 * - mentioned: the answer text names the brand or an alias, case-insensitively and word-bounded
 *   ("Acme" matches "acme's" but not "Acmeville"); URLs in the text are not mentions.
 */

/**
 * Public suffixes with more than one label (a curated subset of the Public Suffix List: common
 * country second levels plus hosting platforms where each subdomain is a separate site). A host under
 * a suffix not listed here is treated as <name>.<tld>.
 */
const MULTI_LABEL_SUFFIXES = new Set([
  // United Kingdom
  'co.uk', 'org.uk', 'me.uk', 'ltd.uk', 'plc.uk', 'net.uk', 'ac.uk', 'gov.uk', 'nhs.uk', 'sch.uk', 'police.uk',
  // Australia, New Zealand
  'com.au', 'net.au', 'org.au', 'edu.au', 'gov.au', 'asn.au', 'id.au',
  'co.nz', 'net.nz', 'org.nz', 'govt.nz', 'ac.nz', 'school.nz', 'geek.nz',
  // Asia
  'co.jp', 'ne.jp', 'or.jp', 'ac.jp', 'go.jp', 'ed.jp', 'gr.jp',
  'co.kr', 'or.kr', 'ac.kr', 'go.kr', 'ne.kr', 're.kr',
  'com.cn', 'net.cn', 'org.cn', 'gov.cn', 'edu.cn', 'ac.cn',
  'com.hk', 'org.hk', 'edu.hk', 'gov.hk', 'net.hk',
  'com.tw', 'org.tw', 'edu.tw', 'gov.tw', 'net.tw',
  'com.sg', 'edu.sg', 'gov.sg', 'org.sg', 'net.sg',
  'com.my', 'org.my', 'edu.my', 'gov.my',
  'com.ph', 'org.ph', 'edu.ph', 'gov.ph',
  'com.vn', 'edu.vn', 'gov.vn',
  'co.th', 'in.th', 'ac.th', 'go.th', 'or.th',
  'co.id', 'or.id', 'ac.id', 'go.id', 'web.id',
  'co.in', 'net.in', 'org.in', 'firm.in', 'gen.in', 'ind.in', 'ac.in', 'gov.in', 'edu.in',
  'com.pk', 'org.pk', 'edu.pk', 'gov.pk',
  'com.bd', 'com.np', 'com.lk',
  // Middle East, Africa
  'co.il', 'org.il', 'ac.il', 'gov.il', 'net.il',
  'com.tr', 'org.tr', 'gov.tr', 'edu.tr', 'net.tr', 'gen.tr',
  'com.sa', 'org.sa', 'edu.sa', 'gov.sa',
  'com.eg', 'org.eg', 'edu.eg', 'gov.eg',
  'co.za', 'org.za', 'gov.za', 'ac.za', 'net.za', 'web.za',
  'com.ng', 'org.ng', 'gov.ng', 'edu.ng',
  'co.ke', 'or.ke', 'ac.ke', 'go.ke',
  'com.gh', 'co.tz', 'co.ug', 'co.zw',
  'ae.org', 'co.ae', 'com.qa',
  // Americas
  'com.br', 'net.br', 'org.br', 'gov.br', 'edu.br', 'art.br',
  'com.mx', 'org.mx', 'gob.mx', 'edu.mx', 'net.mx',
  'com.ar', 'org.ar', 'gob.ar', 'edu.ar', 'net.ar',
  'com.co', 'org.co', 'edu.co', 'gov.co', 'net.co',
  'com.pe', 'org.pe', 'gob.pe', 'edu.pe',
  'com.ve', 'com.ec', 'com.uy', 'com.py', 'com.bo', 'com.do', 'com.gt', 'com.pa', 'co.cr',
  // Europe
  'co.at', 'or.at', 'ac.at', 'gv.at',
  'com.pl', 'net.pl', 'org.pl', 'edu.pl', 'gov.pl',
  'com.es', 'org.es', 'nom.es', 'edu.es', 'gob.es',
  'com.pt', 'org.pt', 'edu.pt', 'gov.pt',
  'com.gr', 'org.gr', 'edu.gr', 'gov.gr',
  'com.ua', 'org.ua', 'net.ua', 'edu.ua', 'gov.ua',
  'com.ru', 'org.ru', 'net.ru',
  'com.cy', 'com.mt', 'com.ro', 'co.hu', 'co.no',
  // Hosting platforms: each subdomain is somebody else's site.
  'github.io', 'gitlab.io', 'vercel.app', 'netlify.app', 'pages.dev', 'workers.dev', 'herokuapp.com',
  'web.app', 'firebaseapp.com', 'blogspot.com', 'wordpress.com', 'substack.com', 'beehiiv.com',
  'notion.site', 'azurewebsites.net', 'cloudfront.net', 'fly.dev', 'onrender.com', 'appspot.com',
]);

/** Query parameters that only track the click (campaign tags, click ids, referrers). */
const TRACKING_PARAM = /^(utm_[a-z_]+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|li_fat_id|mc_cid|mc_eid|_hsenc|_hsmi|hsctatracking|mkt_tok|igshid|srsltid|ref|ref_src|ref_url|referrer|source|via|s_cid|cmpid|spm|oly_enc_id|oly_anon_id|vero_id|wickedid|_ga|_gl)$/i;

function stripWww(host: string): string {
  return host.replace(/^www\d*\./, '');
}

/** Lower-cased host without a trailing dot or `www.`; undefined for something that is not a host. */
export function normaliseHost(host: string): string | undefined {
  const h = stripWww(host.trim().toLowerCase().replace(/\.$/, ''));
  return /^[a-z0-9.-]+$/.test(h) && h.includes('.') ? h : undefined;
}

/**
 * The registrable domain ("eTLD+1") of a host: blog.example.co.uk → example.co.uk,
 * www.example.com → example.com, brand.substack.com → brand.substack.com. IP addresses are returned as is.
 */
export function registrableDomain(host: string): string {
  const h = normaliseHost(host) ?? host.toLowerCase();
  if (/^\d+(\.\d+){3}$/.test(h)) return h;
  const labels = h.split('.');
  if (labels.length <= 2) return h;
  for (let i = 1; i < labels.length - 1; i++) {
    const suffix = labels.slice(i).join('.');
    if (MULTI_LABEL_SUFFIXES.has(suffix)) return labels.slice(i - 1).join('.');
  }
  return labels.slice(-2).join('.');
}

/** Whether `host` belongs to the configured brand domain (see the file header for the rule). */
export function hostMatchesDomain(host: string, brandDomain: string): boolean {
  const h = normaliseHost(host);
  const d = normaliseHost(brandDomain);
  if (!h || !d) return false;
  if (registrableDomain(d) === d) return registrableDomain(h) === d;
  return h === d || h.endsWith(`.${d}`);
}

/**
 * A URL reduced to what identifies the page: no scheme, `www.`, fragment, trailing slash or tracking
 * parameters; remaining parameters sorted. Undefined when `url` is not an http(s) URL.
 */
export function normaliseUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const host = normaliseHost(u.hostname);
  if (!host) return undefined;
  const params = [...u.searchParams.entries()].filter(([k]) => !TRACKING_PARAM.test(k)).sort(([a], [b]) => a.localeCompare(b));
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : '';
  const path = u.pathname.replace(/\/+$/, '');
  return `${host}${u.port ? `:${u.port}` : ''}${path}${query}`;
}

/** Source URLs in order, duplicates (by normaliseUrl) and non-http entries removed. */
export function dedupeSources(urls: readonly string[]): { url: string; host: string }[] {
  const seen = new Set<string>();
  const out: { url: string; host: string }[] = [];
  for (const url of urls) {
    const key = normaliseUrl(url);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push({ url, host: new URL(url.trim()).hostname });
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A case-insensitive, word-bounded matcher for a name; inner whitespace matches any whitespace. */
export function nameMatcher(name: string): RegExp {
  const body = name.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'iu');
}

/** Longest markdown link target treated as a link (longer ones stay text; their URL is removed below). */
const MAX_LINK_TARGET = 2048;
const LINK = new RegExp(`\\[([^\\[\\]]*)\\]\\((?:[^()\\s]|\\([^()\\s]{0,${MAX_LINK_TARGET}}\\)){0,${MAX_LINK_TARGET}}\\)`, 'g');

/**
 * Answer text without URLs (markdown links keep their label): a domain in a link is not a mention.
 * Linear in the text's length: a label holds no bracket (each `[` scans only to the next bracket) and
 * a link target is at most MAX_LINK_TARGET characters, so 100 KB of `[` costs one pass, not minutes.
 */
export function textWithoutUrls(text: string): string {
  return text
    .replace(LINK, '$1')
    .replace(/\bhttps?:\/\/[^\s)\]>"']+/gi, ' ')
    .replace(/\bwww\.[^\s)\]>"']+/gi, ' ');
}

export interface BrandProfile {
  brand?: string;
  aliases: readonly string[];
  domains: readonly string[];
  competitors: readonly string[];
}

export interface AnswerMatch {
  cited: boolean;
  /** 1-based rank of the first brand source; undefined when not cited. */
  position?: number;
  mentioned: boolean;
  /** Configured competitor names the answer text mentions, in configuration order. */
  competitorMentions: string[];
}

/** Prepares the brand's matchers once; `match` is then cheap per answer. */
export function createBrandMatcher(profile: BrandProfile): { match(answer: { text: string; sources: readonly string[] }): AnswerMatch } {
  const names = [profile.brand, ...profile.aliases].filter((n): n is string => !!n && n.trim().length > 0).map(nameMatcher);
  const competitors = profile.competitors.map((name) => ({ name, re: nameMatcher(name) }));
  const domains = profile.domains;
  return {
    match({ text, sources }) {
      const ranked = dedupeSources(sources);
      const index = ranked.findIndex((s) => domains.some((d) => hostMatchesDomain(s.host, d)));
      const plain = textWithoutUrls(text);
      return {
        cited: index >= 0,
        ...(index >= 0 && { position: index + 1 }),
        mentioned: names.some((re) => re.test(plain)),
        competitorMentions: competitors.filter((c) => c.re.test(plain)).map((c) => c.name),
      };
    },
  };
}
