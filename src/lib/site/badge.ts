import { RISK_LABELS, RISK_LEVELS, type Risk } from '../../schemas/risk.ts';
import { xmlText } from '../text-safety/text.ts';

/** Escapes text for an XML text node or attribute. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

/** Approximate width of text in the badge's 11px sans-serif: no font file is loaded, so it is estimated. */
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[il.,:;'|!·]/.test(ch) ? 3.5 : /[mwMW]/.test(ch) ? 9.5 : /[A-Z0-9]/.test(ch) ? 7.5 : 6.5;
  return Math.ceil(width);
}

const COLOURS: Record<Risk | 'none', string> = { critical: '#9b1c6c', high: '#b3361b', medium: '#8a5a00', low: '#116329', none: '#57606a' };

/** What the badge says: the two highest risk levels with tools, e.g. "2 critical · 5 high". */
export function badgeMessage(counts: Record<Risk, number>): { message: string; top: Risk | 'none' } {
  const present = RISK_LEVELS.toReversed().filter((risk) => counts[risk] > 0);
  if (present.length === 0) return { message: 'no tools', top: 'none' };
  return {
    message: present
      .slice(0, 2)
      .map((risk) => `${counts[risk]} ${RISK_LABELS[risk].toLowerCase()}`)
      .join(' · '),
    top: present[0]!,
  };
}

/**
 * A static SVG badge ("MCP risk | 2 critical · 5 high") for a server's README: no script, no
 * external font or request, an accessible name, and the server's name only as escaped text.
 */
export function riskBadgeSvg(serverName: string, counts: Record<Risk, number>): string {
  const label = 'MCP risk';
  const { message, top } = badgeMessage(counts);
  const title = `MCP risk of ${xmlText(serverName)}: ${RISK_LEVELS.toReversed()
    .map((risk) => `${counts[risk]} ${RISK_LABELS[risk].toLowerCase()}`)
    .join(', ')}`;
  const left = textWidth(label) + 12;
  const right = textWidth(message) + 12;
  const width = left + right;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${left}" height="20" fill="#555"/>`,
    `<rect x="${left}" width="${right}" height="20" fill="${COLOURS[top]}"/>`,
    `<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">`,
    `<text x="${left / 2}" y="14">${escapeXml(label)}</text>`,
    `<text x="${left + right / 2}" y="14">${escapeXml(message)}</text>`,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
