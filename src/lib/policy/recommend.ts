import type { Category, Risk } from '../../schemas/risk.ts';
import { policySchema, type Condition, type Limit, type LimitWindow, type Policy, type Rule } from '../../schemas/policy.ts';
import type { ArgumentFinding } from '../classification/classify.ts';
import { AMOUNT_CAP, CONDITION_PATTERNS, conditionPurpose } from './patterns.ts';
import { plainLine } from '../text-safety/text.ts';
import { treatment } from './treatment.ts';

/**
 * Recommended gateway rules. One function decides the rule for a tool; the tool page,
 * the server bundle, the FAQ and the catalogue JSON all read from it, so they agree.
 *
 * By category (see README, "The policy model"):
 * - Read: allowed, with a generous per-minute limit against runaway loops.
 * - Write: allowed, rate-limited.
 * - Execute: allowed, tightly rate-limited.
 * - Every allowed tool with a dangerous argument (path, URL, command, code, query, amount)
 *   gets conditions that stop that argument's dangerous values.
 * - Destructive and Financial: hidden (removed from tools/list and denied).
 * - Anything rated Critical: hidden, whatever its category.
 * Alternatives (deny, hide, stricter limits, allow with conditions) are offered beside it.
 */

export interface PolicyTool {
  name: string;
  category: Category;
  risk: Risk;
  arguments: readonly ArgumentFinding[];
  /** A more severe reading the policy uses until a person reviews the tool (fail closed). */
  treatment?: { category: Category; risk: Risk } | undefined;
}

/** Calls per window for an allowed tool, by category and risk. */
const RATE: Record<Category, Partial<Record<Risk, { max: number; window: LimitWindow }>>> = {
  read: { low: { max: 120, window: 'minute' }, medium: { max: 60, window: 'minute' }, high: { max: 30, window: 'minute' } },
  write: { low: { max: 60, window: 'minute' }, medium: { max: 30, window: 'minute' }, high: { max: 10, window: 'minute' } },
  execute: { low: { max: 20, window: 'minute' }, medium: { max: 10, window: 'minute' }, high: { max: 5, window: 'minute' } },
  destructive: { low: { max: 10, window: 'hour' }, medium: { max: 5, window: 'hour' }, high: { max: 2, window: 'hour' } },
  financial: { low: { max: 5, window: 'day' }, medium: { max: 3, window: 'day' }, high: { max: 1, window: 'day' } },
};
const STRICT_FALLBACK = { max: 1, window: 'hour' as const };

/** Quota across every tool of a server in its bundle. */
export const ALL_TOOLS_LIMIT: Limit = { counter: 'all_tools_rate', window: 'minute', max: 300, scope: 'grant' };

/** Only plain identifiers become condition paths; anything else stays in the evidence table. */
const SAFE_SEGMENT = /^[A-Za-z0-9_$-]+$/;
const conditionPath = (argPath: string): string | undefined =>
  argPath.split('.').every((segment) => SAFE_SEGMENT.test(segment)) ? `args.${argPath}` : undefined;

export function argumentConditions(args: readonly ArgumentFinding[]): { require: Condition[]; deny_if: Condition[] } {
  const require: Condition[] = [];
  const denyIf: Condition[] = [];
  for (const arg of args) {
    const path = conditionPath(arg.path);
    if (!path) continue;
    const isString = arg.type === undefined || arg.type === 'string';
    switch (arg.kind) {
      case 'path':
        if (isString) denyIf.push({ path, op: 'regex', value: CONDITION_PATTERNS.path.value });
        break;
      case 'url':
        if (isString) {
          require.push({ path, op: 'regex', value: CONDITION_PATTERNS.urlScheme.value });
          denyIf.push({ path, op: 'regex', value: CONDITION_PATTERNS.privateHost.value });
        }
        break;
      case 'command':
        if (isString) denyIf.push({ path, op: 'regex', value: CONDITION_PATTERNS.command.value });
        break;
      case 'sql':
        if (isString) denyIf.push({ path, op: 'regex', value: CONDITION_PATTERNS.sql.value });
        break;
      case 'code':
        if (isString) denyIf.push({ path, op: 'regex', value: CONDITION_PATTERNS.code.value });
        break;
      case 'amount':
        if (arg.type === 'number' || arg.type === 'integer') denyIf.push({ path, op: 'gt', value: AMOUNT_CAP });
        break;
      default:
        break;
    }
  }
  return { require, deny_if: denyIf };
}

const limit = (tool: PolicyTool, rate: { max: number; window: LimitWindow }): Limit => ({
  counter: `${tool.name}_rate`,
  window: rate.window,
  max: rate.max,
  scope: 'grant',
});

function ruleWith(tool: PolicyTool, rate: { max: number; window: LimitWindow }, withConditions: boolean): Rule {
  const rule: Rule = {};
  if (withConditions) {
    const { require, deny_if } = argumentConditions(tool.arguments);
    if (require.length > 0) rule.require = require;
    if (deny_if.length > 0) rule.deny_if = deny_if;
  }
  rule.limits = [limit(tool, rate)];
  return rule;
}

/** Whether the recommendation hides the tool rather than allowing it under a rule. */
export function isHiddenByDefault(tool: Pick<PolicyTool, 'category' | 'risk' | 'treatment'>): boolean {
  const { category, risk } = tool.treatment ?? tool;
  return category === 'destructive' || category === 'financial' || risk === 'critical';
}

/** The recommended rule for a tool, or `undefined` when the recommendation is to hide it. */
export function recommendedRule(tool: PolicyTool): Rule | undefined {
  if (isHiddenByDefault(tool)) return undefined;
  const rate = RATE[tool.category][tool.risk] ?? STRICT_FALLBACK;
  // Every dangerous argument gets its checks, whatever the category: a Write that takes a
  // path must not write to ../../.ssh/authorized_keys.
  return ruleWith(tool, rate, true);
}

/** The recommended policy for one tool on its own. */
export function recommendedPolicy(tool: PolicyTool): Policy {
  const rule = recommendedRule(tool);
  return rule ? { version: '1', default: 'deny', tools: { [tool.name]: rule } } : { version: '1', default: 'deny', hide: [tool.name] };
}

export interface PolicyAlternative {
  id: 'allow-with-conditions' | 'stricter' | 'deny' | 'hide';
  title: string;
  summary: string;
  policy: Policy;
}

/** Other reasonable policies for the same tool, most permissive first. */
export function policyAlternatives(tool: PolicyTool): PolicyAlternative[] {
  const alternatives: PolicyAlternative[] = [];
  const hidden = isHiddenByDefault(tool);
  const rate = RATE[tool.category][tool.risk] ?? STRICT_FALLBACK;
  if (hidden) {
    const strict = RATE[tool.category].high ?? STRICT_FALLBACK;
    alternatives.push({
      id: 'allow-with-conditions',
      title: 'Allow it, tightly limited',
      summary: `If an agent truly needs it: at most ${strict.max} calls per ${strict.window}, with every dangerous argument constrained. Pair it with human approval in your client.`,
      policy: { version: '1', default: 'deny', tools: { [tool.name]: ruleWith(tool, strict, true) } },
    });
  } else {
    const stricter = { max: Math.max(1, Math.floor(rate.max / 6)), window: rate.window === 'minute' ? ('hour' as const) : rate.window };
    alternatives.push({
      id: 'stricter',
      title: 'Stricter limits',
      summary: `For unattended agents: at most ${stricter.max} calls per ${stricter.window}.`,
      policy: { version: '1', default: 'deny', tools: { [tool.name]: ruleWith(tool, stricter, true) } },
    });
    alternatives.push({
      id: 'hide',
      title: 'Hide it',
      summary: 'Remove it from tools/list so the model never sees it, and deny any call.',
      policy: { version: '1', default: 'deny', hide: [tool.name] },
    });
  }
  alternatives.push({
    id: 'deny',
    title: 'Deny it, keep it visible',
    summary: 'Under default deny, a tool the policy does not list is denied; the model still sees it in tools/list.',
    policy: { version: '1', default: 'deny', tools: {} },
  });
  return alternatives;
}

/** One policy.json for a whole server: every tool with its recommended rule, or hidden. */
export function serverBundle(tools: readonly PolicyTool[]): Policy {
  const rules: Record<string, Rule> = {};
  const hide: string[] = [];
  for (const tool of tools) {
    const rule = recommendedRule(tool);
    if (rule) rules[tool.name] = rule;
    else hide.push(tool.name);
  }
  return {
    version: '1',
    default: 'deny',
    ...(hide.length > 0 ? { hide } : {}),
    all_tools: { limits: [ALL_TOOLS_LIMIT] },
    tools: rules,
  };
}

/** Throws with every problem listed if a policy does not match the schema. */
export function assertValidPolicy(policy: unknown, where: string): Policy {
  const result = policySchema.safeParse(policy);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`Invalid policy for ${where}: ${problems.join('; ')}`);
  }
  return result.data;
}

const WINDOW_WORD: Record<LimitWindow, string> = { minute: 'minute', hour: 'hour', day: 'day' };

function describeCondition(condition: Condition): string {
  const why = conditionPurpose(condition);
  const value = typeof condition.value === 'string' && why ? why : JSON.stringify(condition.value);
  switch (condition.op) {
    case 'regex':
      return `${condition.path} matches ${why ? `a pattern for ${value}` : value}`;
    case 'gt':
      return `${condition.path} is greater than ${value}`;
    case 'gte':
      return `${condition.path} is at least ${value}`;
    case 'lt':
      return `${condition.path} is less than ${value}`;
    case 'lte':
      return `${condition.path} is at most ${value}`;
    case 'exists':
      return `${condition.path} ${condition.value ? 'is present' : 'is absent'}`;
    default:
      return `${condition.path} ${condition.op.replace('_', ' ')} ${value}`;
  }
}

/** Plain-language sentences for what a policy does to one tool, read off the policy itself. */
export function describePolicyFor(policy: Policy, toolName: string, label = toolName): string[] {
  const how = treatment(policy, toolName);
  if (how.kind === 'hidden')
    return [`It hides ${label}: the gateway removes it from tools/list, so the model never sees it, and denies any call to it.`];
  if (how.kind === 'denied') return [`It denies ${label}: the policy does not list it and its default is deny.`];
  const { rule } = how;
  if (!rule) return [`It allows ${label} without conditions (default allow).`];
  const sentences = [`It allows ${label} and denies every tool it does not list (default ${policy.default}).`];
  for (const l of rule.limits ?? []) {
    sentences.push(
      `At most ${l.max} call${l.max === 1 ? '' : 's'} per ${WINDOW_WORD[l.window]} for each grant (counter ${plainLine(l.counter)}).`,
    );
  }
  if (rule.require?.length) sentences.push(`A call is denied unless ${rule.require.map(describeCondition).join(' and ')}.`);
  if (rule.deny_if?.length) sentences.push(`A call is denied if ${rule.deny_if.map(describeCondition).join(', or if ')}.`);
  return sentences;
}

export { policyJson } from './json.ts';

/** What a policy does with one tool, in a line: "Hidden", "Denied", or "Allowed, at most 30 calls a minute, with checks on path". */
export function policyAtAGlance(policy: Policy, toolName: string): { action: 'allowed' | 'hidden' | 'denied'; text: string } {
  const how = treatment(policy, toolName);
  if (how.kind === 'hidden') return { action: 'hidden', text: 'Hidden: removed from tools/list, and any call is denied' };
  if (how.kind === 'denied') return { action: 'denied', text: 'Denied: not listed under default deny' };
  if (!how.rule) return { action: 'allowed', text: 'Allowed without conditions' };
  const parts = ['Allowed'];
  for (const l of how.rule.limits ?? []) parts.push(`at most ${l.max} call${l.max === 1 ? '' : 's'} a ${WINDOW_WORD[l.window]}`);
  const checked = [...new Set(how.checks.map((c) => plainLine(c.path.slice('args.'.length))))];
  if (checked.length > 0) parts.push(`with checks on ${checked.join(', ')}`);
  return { action: 'allowed', text: parts.join(', ') };
}
