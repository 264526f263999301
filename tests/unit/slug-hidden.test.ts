import { describe, expect, it } from 'vitest';
import { assignSlugs, baseSlug } from '../../src/lib/text-safety/slug.ts';
import { decodeTagText, findHidden, revealHidden } from '../../src/lib/text-safety/hidden.ts';
import { markdownText } from '../../src/lib/text-safety/text.ts';

describe('slugs', () => {
  it('turns every naming style into kebab-case', () => {
    expect(baseSlug('nextThought')).toBe('next-thought');
    expect(baseSlug('export_session_script')).toBe('export-session-script');
    expect(baseSlug('HTTPRequest')).toBe('http-request');
    expect(baseSlug('café.read')).toBe('cafe-read');
  });

  it('keeps hostile names inside their folder', () => {
    for (const name of ['../../etc/passwd', '..', '.env', '%2e%2e%2f', 'a\\b', '/abs/path', 'CON', 'nul', '   ']) {
      const slug = baseSlug(name);
      expect(slug, name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(slug, name).not.toMatch(/^(con|nul)$/);
    }
  });

  it('gives names without Latin letters a stable hashed slug', () => {
    expect(baseSlug('読み込み')).toMatch(/^tool-[0-9a-z]{7}$/);
    expect(baseSlug('読み込み')).toBe(baseSlug('読み込み'));
    expect(baseSlug('読み込み')).not.toBe(baseSlug('書き込み'));
  });

  it('gives names that slug alike distinct slugs and reports the clash', () => {
    const { slugs, clashes } = assignSlugs([{ name: 'read_file' }, { name: 'read-file' }, { name: 'ReadFile' }]);
    expect(new Set(slugs).size).toBe(3);
    expect(slugs[0]).toBe('read-file');
    expect(clashes.map((c) => c.name)).toEqual(['read-file', 'ReadFile']);
  });

  it('keeps stored slugs so URLs stay stable across imports', () => {
    const { slugs } = assignSlugs([{ name: 'read-file' }, { name: 'read_file', slug: 'read-file' }]);
    expect(slugs[1]).toBe('read-file');
    expect(slugs[0]).not.toBe('read-file');
  });
});

describe('hidden characters', () => {
  it('finds each class and labels the code point', () => {
    const text = 'a\u200bb\u202ec\u{E0041}d\u001b[31me\u0007f\uFE0Fg\u00ad';
    const classes = findHidden(text).map((f) => f.class);
    expect(classes).toEqual(['zero-width', 'bidi', 'tag', 'ansi-escape', 'control', 'variation-selector', 'format']);
    expect(findHidden(text).map((f) => f.label)).toContain('U+202E RIGHT-TO-LEFT OVERRIDE');
  });

  it('keeps visible text intact around revealed characters', () => {
    const segments = revealHidden('ab\u200bcd');
    expect(segments).toEqual([
      { kind: 'text', text: 'ab' },
      { kind: 'hidden', class: 'zero-width', text: '\u200b', label: 'U+200B ZERO WIDTH SPACE' },
      { kind: 'text', text: 'cd' },
    ]);
  });

  it('leaves ordinary text, newlines, tabs and emoji alone', () => {
    expect(findHidden('Line one\n\tLine two — “quoted” → ✓ 😀 読み込み')).toEqual([]);
  });

  it('decodes text spelled in tag characters', () => {
    const hidden = [...'ignore all'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    expect(decodeTagText(`ok${hidden}`)).toBe('ignore all');
  });

  it('escapes Markdown and HTML in untrusted text for llms.txt', () => {
    expect(markdownText('[click](https://evil) <img src=x> **b**\nnext')).toBe(
      '\\[click\\]\\(https://evil\\) \\<img src=x\\> \\*\\*b\\*\\* next',
    );
  });
});
