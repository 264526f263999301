/**
 * Hidden-character detection. Tool text can carry characters a reader never sees but
 * a model reads: zero-width characters, bidi controls, Unicode tag characters, other
 * invisible format characters, variation selectors, ANSI escape sequences and C0/C1
 * controls. We find each one, name it, and split text into visible and revealed parts.
 */

export const HIDDEN_CLASSES = ['zero-width', 'bidi', 'tag', 'variation-selector', 'format', 'ansi-escape', 'control'] as const;
export type HiddenClass = (typeof HIDDEN_CLASSES)[number];

export const HIDDEN_CLASS_LABELS: Record<HiddenClass, string> = {
  'zero-width': 'zero-width character',
  bidi: 'bidirectional-text control',
  tag: 'Unicode tag character',
  'variation-selector': 'variation selector',
  format: 'invisible format character',
  'ansi-escape': 'ANSI escape sequence',
  control: 'control character',
};

const NAMES: Record<number, string> = {
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x2060: 'WORD JOINER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x061c: 'ARABIC LETTER MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x00ad: 'SOFT HYPHEN',
  0x001b: 'ESCAPE',
  0x007f: 'DELETE',
};

/** Whitespace controls that are ordinary in descriptions. */
const ORDINARY_CONTROLS = new Set([0x09, 0x0a, 0x0d]);

// ESC followed by a CSI, OSC or single-character sequence; C1 CSI (U+009B) too.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI_PATTERN = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])|\u009b[0-?]*[ -/]*[@-~]/y;

export function classifyCodePoint(cp: number): HiddenClass | undefined {
  if (cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0x2060 || cp === 0xfeff || cp === 0x180e) return 'zero-width';
  if (cp === 0x200e || cp === 0x200f || cp === 0x061c || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return 'bidi';
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return 'variation-selector';
  if ((cp < 0x20 && !ORDINARY_CONTROLS.has(cp)) || (cp >= 0x7f && cp <= 0x9f)) return 'control';
  if (/\p{Cf}/u.test(String.fromCodePoint(cp))) return 'format';
  return undefined;
}

export function codePointLabel(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp >= 0xe0020 && cp <= 0xe007e) return `${hex} TAG ${JSON.stringify(String.fromCharCode(cp - 0xe0000))}`;
  const name = NAMES[cp];
  return name ? `${hex} ${name}` : hex;
}

export type TextSegment = { kind: 'text'; text: string } | { kind: 'hidden'; class: HiddenClass; text: string; label: string };

/** Splits text into visible runs and hidden characters (or whole ANSI sequences). */
export function revealHidden(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let visibleStart = 0;
  let i = 0;
  const flushVisible = (end: number) => {
    if (end > visibleStart) segments.push({ kind: 'text', text: text.slice(visibleStart, end) });
  };
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (cp === 0x1b || cp === 0x9b) {
      ANSI_PATTERN.lastIndex = i;
      const match = ANSI_PATTERN.exec(text);
      if (match) {
        flushVisible(i);
        segments.push({
          kind: 'hidden',
          class: 'ansi-escape',
          text: match[0],
          label: `ANSI escape ${JSON.stringify(match[0]).slice(1, -1)}`,
        });
        i += match[0].length;
        visibleStart = i;
        continue;
      }
    }
    const hiddenClass = classifyCodePoint(cp);
    if (hiddenClass) {
      flushVisible(i);
      segments.push({ kind: 'hidden', class: hiddenClass, text: String.fromCodePoint(cp), label: codePointLabel(cp) });
      visibleStart = i + width;
    }
    i += width;
  }
  flushVisible(text.length);
  return segments;
}

// A quick pre-check so the common case (clean text) costs one regex test.
const ANY_SUSPECT =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- matching invisible and control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff\ufff9-\ufffb\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]|\p{Cf}/u;

export function hasHidden(text: string): boolean {
  return ANY_SUSPECT.test(text);
}

export interface HiddenFinding {
  class: HiddenClass;
  label: string;
  count: number;
}

/** Every hidden character in the text, grouped by code point (or ANSI sequence). */
export function findHidden(text: string): HiddenFinding[] {
  if (!hasHidden(text)) return [];
  const byLabel = new Map<string, HiddenFinding>();
  for (const segment of revealHidden(text)) {
    if (segment.kind !== 'hidden') continue;
    const found = byLabel.get(segment.label);
    if (found) found.count++;
    else byLabel.set(segment.label, { class: segment.class, label: segment.label, count: 1 });
  }
  return [...byLabel.values()];
}

/**
 * Replaces every hidden character with its JSON escape (\u200b, or a surrogate pair),
 * for JSON text shown to a reader: the text still parses to the same value, and
 * nothing in it is invisible.
 */
export function escapeHiddenInJson(json: string): string {
  if (!hasHidden(json)) return json;
  let out = '';
  for (const ch of json) {
    const cp = ch.codePointAt(0)!;
    if (classifyCodePoint(cp) === undefined) out += ch;
    else for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** Tag characters spell ASCII text invisibly; decode it so a reader sees the message. */
export function decodeTagText(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xe0020 && cp <= 0xe007e) out += String.fromCharCode(cp - 0xe0000);
  }
  return out;
}
