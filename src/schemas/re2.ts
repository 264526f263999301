import { RE2JS } from 're2js';

/**
 * Regular expressions with RE2 semantics, the engine Intercept (Go's regexp) runs: matching
 * takes time linear in the input, so a hand-written `^(a+)+$` cannot stall a gateway, and a
 * pattern RE2 cannot run (lookaround, backreferences) is refused where the policy is loaded.
 * re2js is a pure-JavaScript port of RE2 that follows Go's regexp, so the evaluator behaves the
 * same at build time, in `atlas check` and in the reader's browser.
 */

export interface Re2Pattern {
  /** Whether the pattern matches anywhere in the text (unanchored, as Go's MatchString). */
  test(text: string): boolean;
}

const cache = new Map<string, Re2Pattern | string>();

/** The compiled pattern, or the reason RE2 refuses it. */
export function compileRe2(source: string): Re2Pattern | string {
  let compiled = cache.get(source);
  if (compiled === undefined) {
    try {
      const pattern = RE2JS.compile(source);
      compiled = { test: (text) => pattern.test(text) };
    } catch (error) {
      compiled = (error as Error).message;
    }
    if (cache.size > 500) cache.clear();
    cache.set(source, compiled);
  }
  return compiled;
}

/** Why RE2 cannot run a pattern, or undefined when it can. */
export function re2Problem(source: string): string | undefined {
  const compiled = compileRe2(source);
  return typeof compiled === 'string' ? compiled : undefined;
}
