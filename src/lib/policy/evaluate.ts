/**
 * The policy evaluator: decides one tool call against one policy, the way a gateway does.
 * Plain TypeScript with no imports from the site or the CLI, so the same code runs at build
 * time (to prove each page's examples), in `atlas check`, and in the reader's browser.
 *
 * Semantics (README, "How a policy is evaluated"), in order:
 * 1. A tool in `hide` (or any tool not under `tools` when `hide` holds "*") is hidden: denied.
 * 2. A tool the policy does not list is denied under `default: "deny"` before any rule runs,
 *    and allowed under `default: "allow"` (still counted against `all_tools` limits).
 * 3. Every `require` condition must hold; then no `deny_if` condition may hold.
 * 4. Limits: a call that would take a counter past `max` in the current window is denied.
 *    Windows are calendar-aligned in UTC. An allowed call adds one to each of its counters.
 * Hard cases: an argument the call does not send fails a `require` (except `exists: false`)
 * and does not trigger a `deny_if` (nothing was sent for it to stop); a value of a type the
 * condition cannot check (an array where a pattern expects text, a string where a number is
 * compared) denies the call either way, so a deny_if can never be slipped past by changing a
 * type; a number met by `regex` is tested as its decimal text; an invalid regex or an unknown
 * operator in a hand-written policy denies the call and says why, never throws.
 */

export type Decision = 'allow' | 'deny' | 'hidden';

export interface ToolCall {
  tool: string;
  args?: unknown;
}

export interface EvalCondition {
  path: string;
  op: string;
  value?: unknown;
}

export interface EvalLimit {
  counter: string;
  window: string;
  max: number;
  scope?: string;
}

export interface EvalRule {
  require?: readonly EvalCondition[] | undefined;
  deny_if?: readonly EvalCondition[] | undefined;
  limits?: readonly EvalLimit[] | undefined;
}

/** The policy shape the evaluator reads; a validated `Policy` fits it. */
export interface EvalPolicy {
  default: string;
  hide?: readonly string[] | undefined;
  all_tools?: { limits?: readonly EvalLimit[] | undefined } | undefined;
  tools?: Readonly<Record<string, EvalRule>> | undefined;
}

export type DecidedBy = 'hide' | 'default' | 'require' | 'deny_if' | 'limit' | 'rule';

export interface Verdict {
  decision: Decision;
  /** What decided: the hide list, the default, a condition, a limit, or the tool's rule as a whole. */
  by: DecidedBy;
  /** The condition or limit that decided, when one did. */
  condition?: EvalCondition;
  limit?: EvalLimit;
  /** One sentence for a person. */
  reason: string;
}

/** Call counts per counter and window; pass the same object to successive calls to count a burst. */
export type Counters = Map<string, { windowStart: number; count: number }>;

export function newCounters(): Counters {
  return new Map();
}

const WINDOW_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Start of the calendar-aligned UTC window that holds `now` (epoch ms; UTC has no leap offsets here). */
export function windowStart(window: string, now: number): number | undefined {
  const size = WINDOW_MS[window];
  return size === undefined ? undefined : Math.floor(now / size) * size;
}

type Resolved = { kind: 'present'; value: unknown } | { kind: 'absent' } | { kind: 'unreachable'; at: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows `args.a.b` into the call's arguments, own properties only. */
export function resolvePath(args: unknown, path: string): Resolved {
  const segments = path.split('.');
  if (segments[0] !== 'args' || segments.length < 2) return { kind: 'unreachable', at: path };
  let current: unknown = args ?? {};
  for (let i = 1; i < segments.length; i++) {
    if (!isObject(current)) return { kind: 'unreachable', at: segments.slice(0, i).join('.') };
    const key = segments[i]!;
    if (!Object.hasOwn(current, key)) return { kind: 'absent' };
    current = current[key];
  }
  return { kind: 'present', value: current };
}

type Outcome = { holds: boolean } | { error: string };

const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

const regexCache = new Map<string, RegExp | string>();
function compile(source: string): RegExp | string {
  let compiled = regexCache.get(source);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(source);
    } catch (error) {
      compiled = (error as Error).message;
    }
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(source, compiled);
  }
  return compiled;
}

/** Whether one condition holds for a value that is present. */
export function testCondition(condition: EvalCondition, value: unknown): Outcome {
  const expected = condition.value;
  switch (condition.op) {
    case 'eq':
    case 'neq': {
      if (!isScalar(value)) return { error: `${condition.path} is ${typeName(value)}, which ${condition.op} cannot compare` };
      return { holds: (value === expected) === (condition.op === 'eq') };
    }
    case 'in':
    case 'not_in': {
      if (!Array.isArray(expected)) return { error: `the policy gives ${condition.op} a value that is not a list` };
      if (!isScalar(value)) return { error: `${condition.path} is ${typeName(value)}, which ${condition.op} cannot look up` };
      return { holds: expected.includes(value) === (condition.op === 'in') };
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      if (typeof expected !== 'number') return { error: `the policy gives ${condition.op} a value that is not a number` };
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { error: `${condition.path} is ${typeName(value)}, not a number, so it cannot be compared` };
      const holds =
        condition.op === 'lt'
          ? value < expected
          : condition.op === 'lte'
            ? value <= expected
            : condition.op === 'gt'
              ? value > expected
              : value >= expected;
      return { holds };
    }
    case 'regex': {
      if (typeof expected !== 'string') return { error: 'the policy gives regex a pattern that is not text' };
      const pattern = compile(expected);
      if (typeof pattern === 'string')
        return { error: `the policy's pattern for ${condition.path} is not a valid regular expression (${pattern})` };
      if (typeof value === 'number') return { holds: pattern.test(String(value)) };
      if (typeof value !== 'string') return { error: `${condition.path} is ${typeName(value)}, not text, so the pattern cannot check it` };
      return { holds: pattern.test(value) };
    }
    case 'contains': {
      if (typeof value === 'string')
        return typeof expected === 'string'
          ? { holds: value.includes(expected) }
          : { error: 'the policy gives contains a value that is not text' };
      if (Array.isArray(value)) return { holds: value.some((item) => item === expected) };
      return { error: `${condition.path} is ${typeName(value)}, neither text nor a list, so contains cannot check it` };
    }
    case 'exists':
      if (typeof expected !== 'boolean') return { error: 'the policy gives exists a value that is not true or false' };
      return { holds: expected };
    default:
      return { error: `the policy uses an unknown operator ${JSON.stringify(condition.op)}` };
  }
}

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** Names what a known condition is for ("path traversal …"); unknown ones are shown as written. */
export type ConditionPurpose = (condition: EvalCondition) => string | undefined;

/** A condition in words, for reasons. */
export function conditionText(condition: EvalCondition, purpose?: ConditionPurpose): string {
  const known = purpose?.(condition);
  if (known) return `${condition.path} matches ${known}`;
  return `${condition.path} ${condition.op.replace('_', ' ')} ${show(condition.value)}`;
}

const denied = (by: 'require' | 'deny_if', condition: EvalCondition, reason: string): Verdict => ({
  decision: 'deny',
  by,
  condition,
  reason,
});

/** Decides one call. With `counters`, an allowed call is counted, so a burst is seen across calls. */
export function evaluate(
  policy: EvalPolicy,
  call: ToolCall,
  options: { counters?: Counters; now?: number; purpose?: ConditionPurpose } = {},
): Verdict {
  const describe = (condition: EvalCondition) => conditionText(condition, options.purpose);
  const name = call.tool;
  const tools = policy.tools ?? {};
  const listed = Object.hasOwn(tools, name);
  if (policy.hide?.includes(name) || (policy.hide?.includes('*') && !listed)) {
    return { decision: 'hidden', by: 'hide', reason: `${name} is hidden: removed from tools/list, and any call to it is denied.` };
  }
  if (call.args !== undefined && !isObject(call.args)) {
    return { decision: 'deny', by: 'rule', reason: `The arguments are ${typeName(call.args)}; MCP sends them as an object.` };
  }
  const rule = listed ? tools[name]! : undefined;
  if (!rule && policy.default !== 'allow') {
    return { decision: 'deny', by: 'default', reason: `${name} is not listed and the policy's default is deny.` };
  }

  for (const condition of rule?.require ?? []) {
    const resolved = resolvePath(call.args, condition.path);
    if (resolved.kind === 'unreachable')
      return denied('require', condition, `Denied: ${resolved.at} is not an object, so ${condition.path} cannot be checked.`);
    if (resolved.kind === 'absent') {
      if (condition.op === 'exists' && condition.value === false) continue;
      return denied(
        'require',
        condition,
        `Denied: the rule requires ${describe(condition)}, and the call does not send ${condition.path}.`,
      );
    }
    const outcome = testCondition(condition, resolved.value);
    if ('error' in outcome) return denied('require', condition, `Denied: ${outcome.error}.`);
    if (!outcome.holds)
      return denied(
        'require',
        condition,
        `Denied: the rule requires ${describe(condition)}, and ${condition.path} is ${show(resolved.value)}.`,
      );
  }

  for (const condition of rule?.deny_if ?? []) {
    const resolved = resolvePath(call.args, condition.path);
    if (resolved.kind === 'unreachable')
      return denied('deny_if', condition, `Denied: ${resolved.at} is not an object, so ${condition.path} cannot be checked.`);
    if (resolved.kind === 'absent') {
      if (condition.op === 'exists' && condition.value === false)
        return denied('deny_if', condition, `Denied: the rule denies calls that do not send ${condition.path}.`);
      continue;
    }
    const outcome = testCondition(condition, resolved.value);
    if ('error' in outcome) return denied('deny_if', condition, `Denied: ${outcome.error}.`);
    if (outcome.holds)
      return denied(
        'deny_if',
        condition,
        `Denied: ${condition.path} is ${show(resolved.value)}, and the rule denies calls where ${describe(condition)}.`,
      );
  }

  const limits = [...(rule?.limits ?? []), ...(policy.all_tools?.limits ?? [])];
  const counters = options.counters;
  const now = options.now ?? Date.now();
  const toCount: Array<{ key: string; start: number }> = [];
  for (const limit of limits) {
    const start = windowStart(limit.window, now);
    if (start === undefined)
      return { decision: 'deny', by: 'limit', limit, reason: `Denied: the policy uses an unknown window ${JSON.stringify(limit.window)}.` };
    if (!counters) continue;
    const key = `${limit.counter}\u0000${limit.window}`;
    const current = counters.get(key);
    const count = current && current.windowStart === start ? current.count : 0;
    if (count + 1 > limit.max) {
      return {
        decision: 'deny',
        by: 'limit',
        limit,
        reason: `Denied: ${count} call${count === 1 ? '' : 's'} already this ${limit.window} (UTC); the limit ${limit.counter} allows ${limit.max}.`,
      };
    }
    toCount.push({ key, start });
  }
  if (counters) {
    for (const { key, start } of toCount) {
      const current = counters.get(key);
      counters.set(key, { windowStart: start, count: current && current.windowStart === start ? current.count + 1 : 1 });
    }
  }
  if (!rule) return { decision: 'allow', by: 'default', reason: `Allowed: ${name} is not listed and the policy's default is allow.` };
  const checks = (rule.require?.length ?? 0) + (rule.deny_if?.length ?? 0);
  return {
    decision: 'allow',
    by: 'rule',
    reason: `Allowed: ${checks > 0 ? `every argument check passes` : 'the policy lists the tool with no argument checks'}${limits.length > 0 ? ', within its limits' : ''}.`,
  };
}
