import { Document, Scalar, visit } from 'yaml';
import { escapeHiddenInJson, hasHidden } from '../../text-safety/hidden.ts';
import type { Condition, Limit, Rule } from '../../../schemas/policy.ts';
import { parseConditionPath, formatConditionPath } from '../../../schemas/condition-path.ts';
import { MUST_MATCH, conditionPurpose, patternIdOf } from '../patterns.ts';
import {
  NoteGroups,
  PROTOTYPE_KEYS,
  caseVariants,
  checkedNamesAt,
  commentLine,
  toolsOf,
  treatment,
  type ExportInput,
  type ExportResult,
} from './shared.ts';

/** One Intercept rule, as its policy.yaml writes it. */
export interface InterceptRule {
  name: string;
  action?: 'deny';
  rate_limit?: string;
  conditions?: Array<{ path: string; op: string; value: unknown }>;
  state?: { counter: string; window: string };
  on_deny?: string;
}

/** Intercept's inverse of each operator, used to turn a deny_if into a condition that must hold. */
const INVERSE: Record<string, string> = {
  eq: 'neq',
  neq: 'eq',
  in: 'not_in',
  not_in: 'in',
  lt: 'gte',
  gte: 'lt',
  lte: 'gt',
  gt: 'lte',
  not_regex: 'regex',
};

/** Intercept's operators; `not_regex` is the policy model's own. */
const INTERCEPT_OPS = new Set(['eq', 'neq', 'in', 'not_in', 'lt', 'lte', 'gt', 'gte', 'regex', 'contains', 'exists']);

const describe = (condition: Condition) => conditionPurpose(condition) ?? `${condition.op} ${JSON.stringify(condition.value)}`;

/**
 * Where Intercept can read a condition's path: plain dotted names only. For a path through a
 * list (`args.files[*]`) the answer is the argument holding the list, whose calls are refused;
 * for a name with dots or spaces there is no path Intercept reads as that name.
 */
function interceptPath(path: string): { path: string } | { refuse: string } | { blocked: true } {
  const steps = parseConditionPath(path);
  if (typeof steps === 'string') return { blocked: true };
  const names: string[] = [];
  for (const step of steps) {
    if (step.kind === 'each') return { refuse: formatConditionPath(names.map((name) => ({ kind: 'name', name }))) };
    if (!/^[A-Za-z0-9_$-]+$/.test(step.name)) return { blocked: true };
    names.push(step.name);
  }
  return { path };
}

/**
 * The rules of one tool. `lost` collects what could not be kept; each loss is handled by
 * denying more, never less: a check Intercept cannot run refuses calls that send the argument,
 * and a check on an argument it cannot even name blocks the tool.
 */
function toolRules(tool: string, rule: Rule, lost: string[]): InterceptRule[] {
  const rules: InterceptRule[] = [];
  const refused = new Set<string>();
  const block = (why: string) => {
    lost.push(why);
    rules.push({
      name: 'blocked: a check this format cannot express',
      action: 'deny',
      on_deny: `${tool} is blocked: its policy needs a check Intercept cannot express (${why}).`,
    });
  };
  const refuse = (path: string, why: string) => {
    lost.push(why);
    // exists: false holds for null as for absence, and no other Intercept condition passes an absent argument.
    lost.push(
      'Intercept reads null as absent, so an argument refused when sent passes when sent as null (a null carries no value to the server)',
    );
    if (refused.has(path)) return;
    refused.add(path);
    rules.push({
      name: `refuse ${path}`,
      conditions: [{ path, op: 'exists', value: false }],
      on_deny: `Refused: ${path} cannot be checked here, so calls that send it are denied.`,
    });
  };
  const where = (condition: Condition): string | undefined => {
    const at = interceptPath(condition.path);
    if ('blocked' in at) {
      block(`${condition.path} names an argument Intercept's paths cannot address`);
      return undefined;
    }
    if ('refuse' in at) {
      refuse(at.refuse, `Intercept cannot check each element of a list (${condition.path}); calls that send ${at.refuse} are denied`);
      return undefined;
    }
    return at.path;
  };
  /**
   * Intercept cannot list an object's keys, so it cannot refuse every name the policy does not
   * know; it refuses the ones a server reads as a checked name: letter-case variants (Go's
   * encoding/json matches PATH to path) and prototype keys. An object it cannot address, or whose
   * checked names have too many variants to list, blocks the tool.
   */
  const knownNames = (condition: Condition, conditions: readonly Condition[]) => {
    const steps = parseConditionPath(condition.path);
    if (typeof steps === 'string') return block(`${condition.path} is not a path`);
    const at = steps.length === 0 ? { path: 'args' } : interceptPath(condition.path);
    if ('blocked' in at) return block(`${condition.path} names an argument Intercept's paths cannot address`);
    if ('refuse' in at) {
      refuse(at.refuse, `Intercept cannot check each element of a list (${condition.path}); calls that send ${at.refuse} are denied`);
      return;
    }
    const refused: string[] = [...PROTOTYPE_KEYS];
    for (const name of checkedNamesAt(conditions, steps)) {
      const variants = caseVariants(name);
      if (!variants)
        return block(
          `${JSON.stringify(name)} has too many letter-case variants to refuse one by one, and a server that matches names without case reads each as ${JSON.stringify(name)}`,
        );
      refused.push(...variants);
    }
    // A variant with a dot cannot be a path step; no letter-case variant of a plain name has one.
    const paths = refused.filter((name) => !name.includes('.')).map((name) => `${at.path}.${name}`);
    lost.push(
      'Intercept cannot refuse every argument name the schema does not declare: it refuses the letter-case variants of each checked name (PATH for path) and __proto__, constructor and prototype; any other undeclared name reaches the server unchecked',
    );
    rules.push({
      name: `refuse unknown names in ${condition.path}`,
      conditions: paths.map((path) => ({ path, op: 'exists', value: false })),
      on_deny: `Refused: a name under ${condition.path} that the policy does not know is sent (a letter-case variant of a checked name, or a prototype key).`,
    });
  };
  for (const condition of rule.require ?? []) {
    const path = where(condition);
    if (path === undefined) continue;
    if (!INTERCEPT_OPS.has(condition.op)) {
      block(`${condition.path} must pass a ${condition.op} check Intercept has no operator for`);
      continue;
    }
    rules.push({
      name: `require ${condition.path}`,
      conditions: [{ path, op: condition.op, value: condition.value }],
      on_deny: `${condition.path} must satisfy: ${describe(condition)}.`,
    });
  }
  const all = [...(rule.require ?? []), ...(rule.deny_if ?? [])];
  for (const condition of rule.deny_if ?? []) {
    if (condition.op === 'has_key_not_in') {
      knownNames(condition, all);
      continue;
    }
    const path = where(condition);
    if (path === undefined) continue;
    const inverse = INVERSE[condition.op];
    const id = patternIdOf(condition);
    const mustMatch = condition.op === 'regex' && id ? MUST_MATCH[id] : undefined;
    if (inverse) {
      rules.push({
        name: `refuse ${condition.path} ${condition.op} ${JSON.stringify(condition.value)}`.slice(0, 120),
        conditions: [{ path, op: inverse, value: condition.value }],
        on_deny:
          condition.op === 'not_regex'
            ? `Refused: ${condition.path} is ${describe(condition)}.`
            : `Refused: ${condition.path} ${condition.op === 'gt' ? `is over ${String(condition.value)}` : `must not be ${condition.op} ${JSON.stringify(condition.value)}`}.`,
      });
    } else if (condition.op === 'exists') {
      rules.push({
        name: `refuse when ${condition.path} ${condition.value ? 'is sent' : 'is missing'}`,
        conditions: [{ path, op: 'exists', value: !condition.value }],
        on_deny: `Refused: ${condition.path} ${condition.value ? 'must not be sent' : 'is required'}.`,
      });
    } else if (mustMatch) {
      rules.push({
        name: `safe ${condition.path}`,
        conditions: [{ path, op: 'regex', value: mustMatch }],
        on_deny: `Refused: ${condition.path} looks like ${describe(condition)}.`,
      });
    } else {
      refuse(path, `a ${condition.op} check on ${condition.path} has no inverse Intercept can require; calls that send it are denied`);
    }
  }
  if (rule.require?.length || rule.deny_if?.length) {
    lost.push(
      'a condition on an argument requires it: a call that omits a checked argument is denied here, though the policy model would allow it',
    );
  }
  const byWindow = new Set<string>();
  for (const limit of rule.limits ?? []) rules.push(limitRule(limit, byWindow));
  return rules;
}

function limitRule(limit: Limit, usedWindows: Set<string>): InterceptRule {
  const on_deny = `Rate limit of ${limit.max} calls per ${limit.window} reached. Try again later.`;
  if (!usedWindows.has(limit.window)) {
    usedWindows.add(limit.window);
    return { name: `${limit.max} calls per ${limit.window}`, rate_limit: `${limit.max}/${limit.window}`, on_deny };
  }
  // A second limit in the same window needs its own counter (the shorthand allows one per window).
  const counter = `limit_${usedWindows.size}_${limit.window}`;
  usedWindows.add(`${limit.window}#${usedWindows.size}`);
  return {
    name: `${limit.max} calls per ${limit.window} (${counter})`,
    conditions: [{ path: `state.TOOL.${counter}`, op: 'lt', value: limit.max }],
    state: { counter, window: limit.window },
    on_deny,
  };
}

/** PolicyLayer Intercept's policy.yaml, written with a YAML serializer; comments say what was not kept. */
export function interceptExport(input: ExportInput): ExportResult {
  const notes: string[] = [];
  const hide: string[] = [];
  const tools: Record<string, { rules: InterceptRule[] }> = {};
  const toolComments = new Map<string, string[]>();
  const groups = new NoteGroups();
  const lossy: string[] = [];
  for (const name of toolsOf(input)) {
    const how = treatment(input.policy, name);
    if (name === '*') {
      // "*" is Intercept's wildcard key and hide entry: naming this tool would widen a rule to every tool.
      notes.push(
        'A tool named "*" cannot be named in Intercept ("*" means every tool there); it is left out, so default deny denies it, but it stays visible in tools/list.',
      );
      continue;
    }
    if (how.kind === 'hidden') hide.push(name);
    else if (how.kind === 'allowed') {
      const lost: string[] = [];
      tools[name] = { rules: how.rule ? toolRules(name, how.rule, lost) : [] };
      for (const rule of tools[name].rules) {
        for (const condition of rule.conditions ?? []) condition.path = condition.path.replace(/^state\.TOOL\./, `state.${name}.`);
      }
      if (lost.length > 0) toolComments.set(name, [...new Set(lost)]);
      if (tools[name].rules.some((rule) => rule.action === 'deny')) lossy.push(name);
    }
  }
  if (input.policy.all_tools?.limits?.length) {
    const used = new Set<string>();
    tools['*'] = { rules: input.policy.all_tools.limits.map((limit) => limitRule(limit, used)) };
    for (const rule of tools['*'].rules) for (const c of rule.conditions ?? []) c.path = c.path.replace(/^state\.TOOL\./, 'state._global.');
  }
  if (input.policy.default === 'allow' && input.policy.hide?.includes('*')) {
    notes.push('"hide: [*]" hides every tool in Intercept, listed or not; it is left out, and default deny is set instead.');
  }
  // YAML 1.1 rules for quoting, so yes, no, on and off stay strings for 1.1 and 1.2 parsers alike.
  const document = new Document(
    {
      version: '1',
      description: `Policy for the ${input.server} MCP server, exported by Policy Atlas`,
      default: input.policy.hide?.includes('*') ? 'deny' : input.policy.default,
      ...(hide.length > 0 ? { hide } : {}),
      tools,
    },
    { version: '1.1' },
  );
  for (const [name, lost] of toolComments) for (const why of lost) groups.add(name, why);
  notes.push(...groups.sentences());
  document.commentBefore = [
    ' Intercept policy.yaml exported by Policy Atlas. Run: intercept -c policy.yaml',
    ...notes.map((note) => ` ${commentLine(note)}`),
  ].join('\n');
  // Hidden characters are written as \u escapes, which YAML reads back only inside double quotes.
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && hasHidden(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return { text: escapeHiddenInJson(document.toString({ lineWidth: 0 })), notes, lossy };
}
