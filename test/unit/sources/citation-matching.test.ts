/** Citation matching rules: registrable domains, www., tracking parameters, word-bounded names. */
import fc from 'fast-check';
import {
  createBrandMatcher, dedupeSources, hostMatchesDomain, nameMatcher, normaliseUrl, registrableDomain, textWithoutUrls,
} from '../../../functions/sources/citation-matching';

describe('registrableDomain', () => {
  it.each([
    ['example.com', 'example.com'],
    ['www.example.com', 'example.com'],
    ['blog.eu.example.com', 'example.com'],
    ['shop.example.co.uk', 'example.co.uk'],
    ['example.co.uk', 'example.co.uk'],
    ['news.bbc.co.uk', 'bbc.co.uk'],
    ['a.b.example.com.au', 'example.com.au'],
    ['brand.substack.com', 'brand.substack.com'],
    ['me.github.io', 'me.github.io'],
    ['WWW.Example.COM.', 'example.com'],
    ['127.0.0.1', '127.0.0.1'],
  ])('%s → %s', (host, expected) => {
    expect(registrableDomain(host)).toBe(expected);
  });
});

describe('hostMatchesDomain', () => {
  it.each([
    ['verdict.dev', 'verdict.dev', true],
    ['www.verdict.dev', 'verdict.dev', true],
    ['docs.verdict.dev', 'verdict.dev', true],
    ['verdict.dev', 'www.verdict.dev', true],
    ['evil-verdict.dev', 'verdict.dev', false],
    ['verdict.dev.evil.net', 'verdict.dev', false],
    ['verdict.co.uk', 'verdict.co.uk', true],
    ['other.co.uk', 'verdict.co.uk', false],
    ['brand.substack.com', 'brand.substack.com', true],
    ['other.substack.com', 'brand.substack.com', false],
    ['docs.example.com', 'docs.example.com', true],
    ['api.docs.example.com', 'docs.example.com', true],
    ['blog.example.com', 'docs.example.com', false],
  ])('%s on %s → %s', (host, domain, expected) => {
    expect(hostMatchesDomain(host, domain)).toBe(expected);
  });

  it('never matches a host that merely ends with the brand name', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9]{1,10}$/), (prefix) => {
      expect(hostMatchesDomain(`${prefix}verdict.dev`, 'verdict.dev')).toBe(false);
    }));
  });

  it('matches every subdomain of a registrable brand domain', () => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 3 }), (labels) => {
      expect(hostMatchesDomain(`${labels.join('.')}.verdict.dev`, 'verdict.dev')).toBe(true);
    }));
  });
});

describe('normaliseUrl', () => {
  it('drops scheme, www., fragment, trailing slash and tracking parameters; sorts the rest', () => {
    expect(normaliseUrl('https://www.Example.com/a/?utm_source=openai&b=2&a=1&fbclid=x#top')).toBe('example.com/a?a=1&b=2');
    expect(normaliseUrl('http://example.com')).toBe('example.com');
  });

  it('is undefined for what is not an http(s) URL', () => {
    expect(normaliseUrl('mailto:a@b.c')).toBeUndefined();
    expect(normaliseUrl('not a url')).toBeUndefined();
  });

  it('de-duplicates sources that differ only by tracking', () => {
    expect(dedupeSources(['https://a.com/x?utm_medium=x', 'http://www.a.com/x/', 'https://a.com/y']).map((s) => s.url))
      .toEqual(['https://a.com/x?utm_medium=x', 'https://a.com/y']);
  });
});

describe('nameMatcher', () => {
  it.each([
    ['Verdict', 'I use verdict daily', true],
    ['Verdict', "Verdict's scorer", true],
    ['Verdict', 'VERDICT!', true],
    ['Verdict', 'Verdictville', false],
    ['Verdict', 'the verdicts are in', false],
    ['Acme Analytics', 'acme   analytics is fine', true],
    ['C++', 'written in C++, fast', true],
    ['C++', 'written in C++x', false],
    ['Node.js', 'Nodexjs', false],
    ['Über', 'über alles', true],
  ])('%s in %j → %s', (name, text, expected) => {
    expect(nameMatcher(name).test(text)).toBe(expected);
  });
});

describe('textWithoutUrls', () => {
  it('keeps markdown link labels and drops bare URLs', () => {
    expect(textWithoutUrls('See [the docs](https://verdict.dev/docs) or https://verdict.dev and www.verdict.dev.')).toBe('See the docs or   and  ');
  });
});

describe('createBrandMatcher', () => {
  const matcher = createBrandMatcher({ brand: 'Verdict', aliases: ['Verdict.dev'], domains: ['verdict.dev'], competitors: ['Acme', 'Plausible'] });

  it('cites with the 1-based position of the first brand source among de-duplicated sources', () => {
    const m = matcher.match({
      text: 'Tools: Acme.',
      sources: ['https://x.com/a?utm_source=p', 'https://x.com/a', 'https://www.verdict.dev/?ref=pplx', 'https://verdict.dev/'],
    });

    expect(m).toEqual({ cited: true, position: 2, mentioned: false, competitorMentions: ['Acme'] });
  });

  it('mentions via an alias but not via a URL in the text', () => {
    expect(matcher.match({ text: 'Try Verdict.dev today', sources: [] }).mentioned).toBe(true);
    expect(matcher.match({ text: 'Source: https://verdict.dev/blog', sources: [] }).mentioned).toBe(false);
  });

  it('is neither cited nor mentioned when nothing names the brand', () => {
    expect(matcher.match({ text: 'Plausible and others.', sources: ['https://plausible.io'] }))
      .toEqual({ cited: false, mentioned: false, competitorMentions: ['Plausible'] });
  });
});

describe('textWithoutUrls on hostile answers', () => {
  // The old pattern backtracked from every `[` to the end of the text: 100 KB of `[` took 23 s.
  // These inputs finish in one pass now; quadratic work here would outrun the test timeout.
  it.each([
    ['brackets', '['.repeat(400_000)],
    ['unclosed links', '[a]('.repeat(100_000)],
    ['nested parens', `[a](${'(b'.repeat(200_000)}`],
  ])('reads 400 KB of %s in linear time and leaves the text', (_what, text) => {
    expect(textWithoutUrls(text)).toHaveLength(text.length);
  });

  it('still keeps the label of a link and drops its target', () => {
    expect(textWithoutUrls('see [[Acme docs](https://acme.example/x_(y)) and https://other.example/z')).toBe('see [Acme docs and  ');
  });
});
