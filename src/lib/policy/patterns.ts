/**
 * The argument checks the recommended rules use, with the reason a reader is given. No imports:
 * the evaluator's callers in the browser use these descriptions too.
 */
/** Argument patterns the recommended rules deny, with the reason a reader is given. */
export const CONDITION_PATTERNS = {
  path: {
    value: String.raw`(^|[\\/])\.\.([\\/]|$)|(^|[\\/])\.(ssh|aws|gnupg|env|git|kube|docker)([\\/]|$)|^(/etc|/proc|/sys|/root|~)(/|$)`,
    why: 'path traversal (..), dot-folders that hold credentials (.ssh, .aws, .env, .git) and system folders',
  },
  urlScheme: { value: '^https://', why: 'only HTTPS URLs' },
  privateHost: {
    value: String.raw`^[a-zA-Z]+://(localhost|127\.|0\.0\.0\.0|10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|169\.254\.|\[::1\]|\[fd|metadata\.)`,
    why: 'loopback, private-network and cloud-metadata addresses (server-side request forgery)',
  },
  command: { value: '[;&|`$<>\\n]', why: 'shell metacharacters that chain or substitute commands (; & | ` $ < > and newlines)' },
  sql: {
    value: String.raw`\b(DROP|drop|DELETE|delete|TRUNCATE|truncate|ALTER|alter|GRANT|grant|UPDATE|update|INSERT|insert)\b`,
    why: 'statements that change or destroy data (DROP, DELETE, TRUNCATE, ALTER, GRANT, UPDATE, INSERT)',
  },
  code: {
    value: String.raw`document\.cookie|localStorage|sessionStorage|fetch\s*\(|XMLHttpRequest|sendBeacon|child_process|require\s*\(|import\s*\(`,
    why: 'common exfiltration and escape primitives in code (cookies, storage, network calls, module loading); a speed bump, not a sandbox',
  },
} as const;

/** The largest amount the recommended rules let through. */
export const AMOUNT_CAP = 100;

const PURPOSE = new Map<string, string>(Object.values(CONDITION_PATTERNS).map((p) => [p.value, p.why]));

/** What a recommended condition is for, in words, or undefined for a hand-written one. */
export function conditionPurpose(condition: { op: string; value?: unknown }): string | undefined {
  return condition.op === 'regex' && typeof condition.value === 'string' ? PURPOSE.get(condition.value) : undefined;
}

/**
 * How each recommended check is kept in formats without JavaScript regular expressions.
 * `mustMatch`: an RE2 pattern (no lookaround, no backreferences) that a safe value matches,
 * for gateways that can only require a match (Intercept); where it refuses more or less than the
 * original, `mustMatchNote` says so. `denyGlobs`: Cedar `like` patterns (`*` only), any of which
 * denies; `globNote` says where they refuse more than the original.
 */
export interface PortableCheck {
  mustMatch?: string;
  mustMatchNote?: string;
  denyGlobs?: string[];
  requireGlob?: string;
  globNote?: string;
}

const SEGMENT = '[A-Za-z0-9_@+=,-][A-Za-z0-9_@+=, -]*(\\.[A-Za-z0-9_@+=, -]+)*';
const privateHosts = [
  'localhost',
  '127.',
  '0.0.0.0',
  '10.',
  '192.168.',
  ...Array.from({ length: 16 }, (_, i) => `172.${16 + i}.`),
  '169.254.',
  '[::1]',
  '[fd',
  'metadata.',
];
const sqlWords = ['DROP', 'DELETE', 'TRUNCATE', 'ALTER', 'GRANT', 'UPDATE', 'INSERT'];

export const PORTABLE_CHECKS: Record<keyof typeof CONDITION_PATTERNS, PortableCheck> = {
  path: {
    mustMatch: `^${SEGMENT}(/${SEGMENT})*$`,
    mustMatchNote:
      'the path check is written as a pattern a safe path must match: relative paths whose segments start with a letter, digit or one of _ @ + = , - (so no .., no dot-folders, no absolute or ~ paths, no backslashes)',
    denyGlobs: [
      '*..*',
      '*.ssh*',
      '*.aws*',
      '*.gnupg*',
      '*.env*',
      '*.git*',
      '*.kube*',
      '*.docker*',
      '/etc*',
      '/proc*',
      '/sys*',
      '/root*',
      '~*',
    ],
    globNote: 'the path check refuses any value containing .. or a credentials folder name anywhere, a little more than the original',
  },
  urlScheme: { mustMatch: '^https://', requireGlob: 'https://*' },
  privateHost: {
    mustMatch: '^[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}(:[0-9]+)?([/?#].*)?$',
    mustMatchNote:
      'the private-address check is written as a pattern the URL must match: a host name with a letter top-level domain, which refuses IP addresses and localhost but not named internal hosts such as metadata.google.internal',
    denyGlobs: privateHosts.map((host) => `*://${host}*`),
  },
  command: { mustMatch: '^[^;&|`$<>\\n]*$', denyGlobs: [';', '&', '|', '`', '$', '<', '>', '\n'].map((ch) => `*${ch}*`) },
  sql: {
    denyGlobs: sqlWords.flatMap((word) => [`*${word}*`, `*${word.toLowerCase()}*`]),
    globNote: 'the SQL check refuses the keywords anywhere, even inside a longer word such as updated_at',
  },
  code: {
    denyGlobs: [
      '*document.cookie*',
      '*localStorage*',
      '*sessionStorage*',
      '*fetch*',
      '*XMLHttpRequest*',
      '*sendBeacon*',
      '*child_process*',
      '*require*',
      '*import*',
    ],
    globNote: 'the code check refuses the primitives anywhere, even inside a longer word',
  },
};

/** The portable forms of a recommended regex condition, or undefined for a hand-written one. */
export function portableCheck(condition: { op: string; value?: unknown }): PortableCheck | undefined {
  if (condition.op !== 'regex' || typeof condition.value !== 'string') return undefined;
  for (const [key, pattern] of Object.entries(CONDITION_PATTERNS) as Array<[keyof typeof CONDITION_PATTERNS, { value: string }]>) {
    if (pattern.value === condition.value) return PORTABLE_CHECKS[key];
  }
  return undefined;
}

/** Whether a pattern uses JavaScript features RE2 (Go) lacks: lookaround, backreferences, named-group syntax it reads differently. */
export function isRe2Compatible(source: string): boolean {
  return !/\(\?[=!]|\(\?<[=!]|\\[1-9]|\\k</.test(source);
}
