import { revealHidden } from './hidden.ts';

/** Untrusted text as one plain line: hidden characters shown as labels, whitespace collapsed. */
export function plainLine(text: string): string {
  return revealHidden(text)
    .map((segment) => (segment.kind === 'text' ? segment.text : `[${segment.label}]`))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Untrusted text safe inside Markdown (llms.txt): one line, every Markdown and HTML metacharacter escaped. */
export function markdownText(text: string): string {
  return plainLine(text).replace(/[\\`*_{}[\]()<>#+!|~&"-]/g, (ch) => `\\${ch}`);
}

/** Characters XML 1.0 cannot hold at all, escaped or not: most C0 controls, lone surrogates, U+FFFE/U+FFFF. */
// eslint-disable-next-line no-control-regex -- the allowed controls are exactly what this names
const NOT_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Untrusted text for XML (feeds, SVG): one plain line with hidden characters revealed, and nothing XML forbids. */
export function xmlText(text: string): string {
  return plainLine(text).replace(NOT_XML, '\ufffd');
}
