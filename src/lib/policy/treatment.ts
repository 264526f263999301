import type { Condition, Policy, Rule } from '../../schemas/policy.ts';

/**
 * How a policy treats one tool, read off the policy in the evaluator's order
 * (src/lib/policy/evaluate.ts): hidden first, then not listed under default deny, else
 * allowed by its rule (or by default allow). The page's sentences, its summary card and
 * every export read it here, so none of them can say something the evaluator does not do.
 */
export type ToolTreatment =
  { kind: 'hidden' } | { kind: 'denied' } | { kind: 'allowed'; rule: Rule | undefined; checks: Condition[]; limited: boolean };

type PolicyShape = Pick<Policy, 'default' | 'hide' | 'tools' | 'all_tools'>;

/** The tool's own rule. An own property only: a tool named "constructor" has no rule by inheritance. */
export function ruleFor(policy: PolicyShape, name: string): Rule | undefined {
  return policy.tools !== undefined && Object.hasOwn(policy.tools, name) ? policy.tools[name] : undefined;
}

export function treatment(policy: PolicyShape, name: string): ToolTreatment {
  const rule = ruleFor(policy, name);
  // "*" hides every tool the policy does not list.
  if (policy.hide?.includes(name) || (policy.hide?.includes('*') && rule === undefined)) return { kind: 'hidden' };
  if (!rule && policy.default === 'deny') return { kind: 'denied' };
  return {
    kind: 'allowed',
    rule,
    checks: [...(rule?.require ?? []), ...(rule?.deny_if ?? [])],
    limited: (rule?.limits?.length ?? 0) > 0 || (policy.all_tools?.limits?.length ?? 0) > 0,
  };
}
