import { Document, Scalar, visit } from 'yaml';
import { escapeHiddenInJson, hasHidden } from '../../text-safety/hidden.ts';
import type { Condition, Limit, Rule } from '../../../schemas/policy.ts';
import { conditionPurpose, isRe2Compatible, portableCheck } from '../patterns.ts';
import { NoteGroups, commentLine, toolsOf, treatment, type ExportInput, type ExportResult } from './shared.ts';

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
const INVERSE: Record<string, string> = { eq: 'neq', neq: 'eq', in: 'not_in', not_in: 'in', lt: 'gte', gte: 'lt', lte: 'gt', gt: 'lte' };

const describe = (condition: Condition) => conditionPurpose(condition) ?? `${condition.op} ${JSON.stringify(condition.value)}`;

/**
 * The rules of one tool. `lost` collects what could not be kept; each loss is handled by
 * denying more, never less.
 */
function toolRules(tool: string, rule: Rule, lost: string[]): InterceptRule[] {
  const rules: InterceptRule[] = [];
  const deny = (why: string) => {
    lost.push(why);
    rules.push({
      name: 'blocked: a check this format cannot express',
      action: 'deny',
      on_deny: `${tool} is blocked: its policy needs a check Intercept cannot express (${why}).`,
    });
  };
  for (const condition of rule.require ?? []) {
    const portable = portableCheck(condition);
    if (condition.op === 'regex' && !portable && !isRe2Compatible(String(condition.value))) {
      deny(`${condition.path} must match a pattern RE2 cannot run`);
      continue;
    }
    const value = portable?.mustMatch && condition.op === 'regex' ? portable.mustMatch : condition.value;
    rules.push({
      name: `require ${condition.path}`,
      conditions: [{ path: condition.path, op: condition.op, value }],
      on_deny: `${condition.path} must satisfy: ${describe(condition)}.`,
    });
  }
  for (const condition of rule.deny_if ?? []) {
    const inverse = INVERSE[condition.op];
    if (inverse) {
      rules.push({
        name: `refuse ${condition.path} ${condition.op} ${JSON.stringify(condition.value)}`.slice(0, 120),
        conditions: [{ path: condition.path, op: inverse, value: condition.value }],
        on_deny: `Refused: ${condition.path} ${condition.op === 'gt' ? `is over ${String(condition.value)}` : `must not be ${condition.op} ${JSON.stringify(condition.value)}`}.`,
      });
    } else if (condition.op === 'exists') {
      rules.push({
        name: `refuse when ${condition.path} ${condition.value ? 'is sent' : 'is missing'}`,
        conditions: [{ path: condition.path, op: 'exists', value: !condition.value }],
        on_deny: `Refused: ${condition.path} ${condition.value ? 'must not be sent' : 'is required'}.`,
      });
    } else if (condition.op === 'regex' && portableCheck(condition)?.mustMatch) {
      const portable = portableCheck(condition)!;
      if (portable.mustMatchNote) lost.push(portable.mustMatchNote);
      rules.push({
        name: `safe ${condition.path}`,
        conditions: [{ path: condition.path, op: 'regex', value: portable.mustMatch }],
        on_deny: `Refused: ${condition.path} looks like ${describe(condition)}.`,
      });
    } else {
      deny(`a ${condition.op} check on ${condition.path} has no inverse Intercept can require`);
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
