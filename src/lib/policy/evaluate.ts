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
 * 5. A rule with `ask: true` turns what would be allowed into `ask`: it runs only if a person
 *    approves it (a gateway that cannot ask denies it). An asked call is counted like an allowed one.
 * Hard cases: an argument the call does not send fails a `require` (except `exists: false`)
 * and does not trigger a `deny_if` (nothing was sent for it to stop); a value of a type the
 * condition cannot check (an array where a pattern expects text, a string where a number is
 * compared) denies the call either way, so a deny_if can never be slipped past by changing a
 * type; a number met by `regex` is tested as its decimal text; an invalid regex or an unknown
 * operator in a hand-written policy denies the call and says why, never throws.
 * Patterns run with RE2 semantics (linear time, as Intercept's Go engine). A path with `[*]`
 * (`args.files[*]`) tests every element: a `require` must hold for each, a `deny_if` fires
 * if any matches, and an empty list has nothing to test. A call whose `[*]` paths reach more than
 * MAX_LIST_VALUES values is denied without testing them (it is decided, never thrown on).
 */

import { parseConditionPath } from '../../schemas/condition-path.ts';
import { compileRe2 } from '../../schemas/re2.ts';

/** `ask`: the call passes every check and limit, and runs only if a person approves it. */
export type Decision = 'allow' | 'deny' | 'hidden' | 'ask';

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
  ask?: boolean | undefined;
}

/** The policy shape the evaluator reads; a validated `Policy` fits it. */
export interface EvalPolicy {
  default: string;
  hide?: readonly string[] | undefined;
  all_tools?: { limits?: readonly EvalLimit[] | undefined } | undefined;
  tools?: Readonly<Record<string, EvalRule>> | undefined;
}

export type DecidedBy = 'hide' | 'default' | 'require' | 'deny_if' | 'limit' | 'rule' | 'ask';

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

type Resolved = { kind: 'present'; value: unknown } | { kind: 'absent' } | { kind: 'unreachable'; at: string } | TooMany;

/** More values behind a `[*]` path than a gateway should test one by one: the call is denied. */
type TooMany = { kind: 'too-many'; at: string };

/** The most values one condition path may reach through `[*]`; a call that sends more is denied, not tested. */
export const MAX_LIST_VALUES = 10_000;

/** What a path finds in the arguments: every value it reaches (several through `[*]`), or why none. */
type ResolvedAll =
  | { kind: 'present'; values: unknown[]; /** Some elements of a list lack the property. */ partial: boolean }
  | { kind: 'absent' }
  | { kind: 'unreachable'; at: string }
  | TooMany;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows a condition path into the call's arguments, own properties only. */
export function resolveAll(args: unknown, path: string): ResolvedAll {
  const steps = parseConditionPath(path);
  if (typeof steps === 'string') return { kind: 'unreachable', at: path };
  let current: unknown[] = [args ?? {}];
  let walked = 'args';
  let partial = false;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'each') {
        if (!Array.isArray(value)) return { kind: 'unreachable', at: walked };
        // One by one: spreading a list of a few hundred thousand elements overflows the call stack.
        if (next.length + value.length > MAX_LIST_VALUES) return { kind: 'too-many', at: `${walked}[*]` };
        for (const element of value) next.push(element);
      } else {
        // null where an object may stand (an Optional model left unset) holds no property.
        if (value === null) {
          partial = true;
          continue;
        }
        if (!isObject(value)) return { kind: 'unreachable', at: walked };
        // An element of a list without the property has nothing for a deny_if to test, but
        // leaves a require unmet.
        if (Object.hasOwn(value, step.name)) next.push(value[step.name]);
        else partial = true;
      }
    }
    walked += step.kind === 'each' ? '[*]' : `.${step.name}`;
    if (next.length === 0 && current.length > 0 && step.kind === 'name') return { kind: 'absent' };
    current = next;
  }
  return { kind: 'present', values: current, partial };
}

/** Follows a path that names one value (no `[*]`), own properties only. */
export function resolvePath(args: unknown, path: string): Resolved {
  const resolved = resolveAll(args, path);
  if (resolved.kind !== 'present') return resolved;
  if (resolved.values.length !== 1) return { kind: 'unreachable', at: path };
  return { kind: 'present', value: resolved.values[0] };
}

type Outcome = { holds: boolean } | { error: string };

const typeName = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

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
    case 'regex':
    case 'not_regex': {
      if (typeof expected !== 'string') return { error: `the policy gives ${condition.op} a pattern that is not text` };
      const pattern = compileRe2(expected);
      if (typeof pattern === 'string')
        return { error: `the policy's pattern for ${condition.path} is not a regular expression RE2 can run (${pattern})` };
      let text: string;
      if (typeof value === 'number') text = String(value);
      else if (typeof value === 'string') text = value;
      else return { error: `${condition.path} is ${typeName(value)}, not text, so the pattern cannot check it` };
      return { holds: pattern.test(text) === (condition.op === 'regex') };
    }
    case 'contains': {
      if (typeof value === 'string')
        return typeof expected === 'string'
          ? { holds: value.includes(expected) }
          : { error: 'the policy gives contains a value that is not text' };
      if (Array.isArray(value)) return { holds: value.some((item) => item === expected) };
      return { error: `${condition.path} is ${typeName(value)}, neither text nor a list, so contains cannot check it` };
    }
    case 'has_key_not_in': {
      if (!Array.isArray(expected) || expected.some((name) => typeof name !== 'string'))
        return { error: 'the policy gives has_key_not_in a value that is not a list of names' };
      // Text, numbers, booleans and null carry no names; an object's own keys and a list's indexes do.
      if (typeof value !== 'object' || value === null) return { holds: false };
      const extra = Object.keys(value).find((key) => !expected.includes(key));
      return { holds: extra !== undefined };
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

const unreachable = (
  by: 'require' | 'deny_if',
  condition: EvalCondition,
  resolved: { kind: 'unreachable' | 'too-many'; at: string },
): Verdict =>
  denied(
    by,
    condition,
    resolved.kind === 'too-many'
      ? `Denied: ${resolved.at} holds more than ${MAX_LIST_VALUES} values, more than the policy checks one by one.`
      : `Denied: ${resolved.at} is not the object or list ${condition.path} reads, so it cannot be checked.`,
  );

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
    const resolved = resolveAll(call.args, condition.path);
    if (resolved.kind === 'unreachable' || resolved.kind === 'too-many') return unreachable('require', condition, resolved);
    if (resolved.kind === 'absent' || resolved.partial) {
      if (condition.op === 'exists' && condition.value === false) continue;
      return denied(
        'require',
        condition,
        `Denied: the rule requires ${describe(condition)}, and the call does not send ${condition.path}${resolved.kind === 'absent' ? '' : ' in every element'}.`,
      );
    }
    for (const value of resolved.values) {
      const outcome = testCondition(condition, value);
      if ('error' in outcome) return denied('require', condition, `Denied: ${outcome.error}.`);
      if (!outcome.holds)
        return denied('require', condition, `Denied: the rule requires ${describe(condition)}, and ${condition.path} is ${show(value)}.`);
    }
  }

  for (const condition of rule?.deny_if ?? []) {
    const resolved = resolveAll(call.args, condition.path);
    if (resolved.kind === 'unreachable' || resolved.kind === 'too-many') return unreachable('deny_if', condition, resolved);
    if (resolved.kind === 'absent') {
      if (condition.op === 'exists' && condition.value === false)
        return denied('deny_if', condition, `Denied: the rule denies calls that do not send ${condition.path}.`);
      continue;
    }
    for (const value of resolved.values) {
      const outcome = testCondition(condition, value);
      if ('error' in outcome) return denied('deny_if', condition, `Denied: ${outcome.error}.`);
      if (outcome.holds && condition.op === 'has_key_not_in') {
        const known = condition.value as string[];
        const extra = Object.keys(value as object).find((key) => !known.includes(key))!;
        return denied(
          'deny_if',
          condition,
          `Denied: ${condition.path} sends ${show(extra)}, a name the policy does not know${known.length > 0 ? ` (it knows ${show(known)})` : ''}, so no check could test it.`,
        );
      }
      if (outcome.holds)
        return denied(
          'deny_if',
          condition,
          `Denied: ${condition.path} is ${show(value)}, and the rule denies calls where ${describe(condition)}.`,
        );
    }
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
  if (rule.ask === true) {
    // Counted like an allowed call whether or not the person approves: a declined request still spends the quota, so asking cannot be used to flood a person.
    return {
      decision: 'ask',
      by: 'ask',
      reason: `Ask a person: ${checks > 0 ? 'every argument check passes' : 'the policy lists the tool with no argument checks'}${limits.length > 0 ? ', within its limits' : ''}, and the rule has a person approve each call before it runs.`,
    };
  }
  return {
    decision: 'allow',
    by: 'rule',
    reason: `Allowed: ${checks > 0 ? `every argument check passes` : 'the policy lists the tool with no argument checks'}${limits.length > 0 ? ', within its limits' : ''}.`,
  };
}
