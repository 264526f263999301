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
