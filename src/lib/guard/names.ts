import unhomoglyph from 'unhomoglyph';
import { classifyCodePoint } from '../text-safety/hidden.ts';

/**
 * Look-alike tool names. The guard decides by exact name, and forwards only names the server
 * itself listed; a call to a name that is not listed but looks like a hidden or denied tool
 * (another case, a zero-width character, a confusable letter) is named as such in the denial,
 * because a server that matches names loosely would otherwise run the hidden tool.
 */
export function nameSkeleton(name: string): string {
  let visible = '';
  for (const char of name.normalize('NFKC')) {
    if (classifyCodePoint(char.codePointAt(0)!) === undefined) visible += char;
  }
  return unhomoglyph(visible.toLowerCase()).toLowerCase();
}
