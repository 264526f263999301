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

/** ASCII stand-ins for the typography the project's own prose uses. */
const ASCII_PUNCTUATION: Record<string, string> = {
  '…': '...',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '→': '->',
  '\u00a0': ' ',
};

/** The project's prose for places that hold printable ASCII only (comments in exports): an ellipsis stays "...", not "?". */
export function asciiPunctuation(text: string): string {
  return text.replace(/[…‘’“”–—→\u00a0]/g, (ch) => ASCII_PUNCTUATION[ch] ?? ch);
}

/**
 * The first sentence of untrusted text as one plain line (hidden characters revealed), cut at a
 * word before `max` characters with an ellipsis: a title's one-line description.
 */
export function firstSentence(text: string, max = 100): string {
  const line = plainLine(text.split(/\n\s*\n/)[0] ?? '');
  const sentence = /^.+?[.!?](?=\s|$)/.exec(line)?.[0] ?? line;
  if (sentence.length <= max) return sentence.replace(/\.$/, '');
  // Cut before the word the limit falls in (unless that would lose more than half).
  const cut = sentence.slice(0, max);
  const end = cut.lastIndexOf(' ') > max / 2 ? cut.lastIndexOf(' ') : max - 1;
  return `${cut.slice(0, end).replace(/[\s,;:]+$/, '')}…`;
}
