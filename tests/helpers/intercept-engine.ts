import { RE2JS } from 're2js';
import { parse as parseYaml } from 'yaml';
import { goFormat, goString, isObject } from './go-json.ts';

/**
 * An Intercept export decided the way Intercept's Go engine decides it (PolicyLayer/Intercept
 * internal/engine): its YAML read back, argument paths resolved by splitting on dots, values
 * compared as Go formats them, patterns run in RE2 (a port of Go's regexp). Every test that asks
 * "would Intercept let this call through?" uses this one model. It is written from Intercept's
 * engine, not from our evaluator, so that a mistake the two share cannot hide.
 */

interface InterceptCondition {
  path: string;
  op: string;
  value: unknown;
}
export interface InterceptDocument {
  version?: string;
  default?: string;
  hide?: string[];
  tools?: Record<string, { rules?: Array<{ name?: string; action?: string; rate_limit?: string; conditions?: InterceptCondition[] }> }>;
}

/** The exported YAML as Intercept's YAML 1.1 reader reads it. */
export const readIntercept = (text: string) => parseYaml(text, { version: '1.1' }) as InterceptDocument;

const goEq = (actual: unknown, expected: unknown) =>
  typeof actual === 'number' && typeof expected === 'number' ? actual === expected : goFormat(actual) === goFormat(expected);

/** Compiled once per pattern: the corpora run a few patterns over many thousands of values. */
const re2Cache = new Map<string, RE2JS | null>();
/** Go's regexp.MatchString; a pattern RE2 refuses matches nothing. */
export function goMatch(pattern: string, text: string): boolean {
  let compiled = re2Cache.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = RE2JS.compile(pattern);
    } catch {
      compiled = null;
    }
    re2Cache.set(pattern, compiled);
  }
  // test() finds as matcher().find() does, many times faster (the corpora run 200,000 URLs).
  return compiled !== null && compiled.test(text);
}

/** Intercept's evalOp. */
function interceptOp(op: string, actual: unknown, expected: unknown): boolean {
  switch (op) {
    case 'eq':
      return goEq(actual, expected);
    case 'neq':
      return !goEq(actual, expected);
    case 'in':
    case 'not_in': {
      const found = Array.isArray(expected) && expected.some((item) => goEq(actual, item));
      return op === 'in' ? found : !found;
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      return op === 'lt' ? actual < expected : op === 'lte' ? actual <= expected : op === 'gt' ? actual > expected : actual >= expected;
    }
    case 'regex':
      return typeof actual === 'string' && typeof expected === 'string' && goMatch(expected, goString(actual));
    case 'contains':
      if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected);
      return Array.isArray(actual) && actual.some((item) => goEq(item, expected));
    default:
      return false;
  }
}

/** Intercept's ResolveArgs: `strings.Split` on dots through maps. */
function interceptResolve(args: unknown, path: string): { exists: boolean; value?: unknown } {
  let current: unknown = isObject(args) ? args : {};
  for (const part of path.split('.')) {
    if (!isObject(current) || !Object.hasOwn(current, part)) return { exists: false };
    current = current[part];
  }
  return { exists: true, value: current };
}

/** Intercept's Engine.Evaluate on one call (no state store: state conditions pass, as Intercept does without one). */
export function interceptDecides(document: InterceptDocument, tool: string, args: unknown): 'allow' | 'deny' {
  if ((document.hide ?? []).some((name) => name === tool || name === '*')) return 'deny';
  const tools = document.tools ?? {};
  if (document.default === 'deny' && !Object.hasOwn(tools, tool)) return 'deny';
  const rules = [...(tools[tool]?.rules ?? []), ...(tool !== '*' ? (tools['*']?.rules ?? []) : [])];
  for (const rule of rules) {
    if (rule.action === 'deny') return 'deny';
    for (const condition of rule.conditions ?? []) {
      if (condition.path.startsWith('state.')) continue;
      const resolved = condition.path.startsWith('args.') ? interceptResolve(args, condition.path.slice(5)) : { exists: false };
      if (condition.op === 'exists') {
        if (typeof condition.value !== 'boolean') return 'deny';
        if ((resolved.exists && resolved.value !== null) !== condition.value) return 'deny';
        continue;
      }
      if (!resolved.exists || !interceptOp(condition.op, resolved.value, condition.value)) return 'deny';
    }
  }
  return 'allow';
}
