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
