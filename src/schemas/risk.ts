import { z } from 'astro/zod';

/** Risk levels, lowest first. The order is used for sorting and for "at least" comparisons. */
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;

/** What a tool does to the world, in the order a reader scans them. */
export const CATEGORIES = ['read', 'write', 'execute', 'destructive', 'financial'] as const;

/** How risky calling a tool is when an injected prompt controls the arguments. */
export const riskSchema = z.enum(RISK_LEVELS, {
  error: (issue) => `must be one of ${RISK_LEVELS.join(', ')} (got ${JSON.stringify(issue.input)})`,
});

/** The kind of effect a tool has. */
export const categorySchema = z.enum(CATEGORIES, {
  error: (issue) => `must be one of ${CATEGORIES.join(', ')} (got ${JSON.stringify(issue.input)})`,
});

export type Risk = z.output<typeof riskSchema>;
export type Category = z.output<typeof categorySchema>;

export const RISK_LABELS: Record<Risk, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export const CATEGORY_LABELS: Record<Category, string> = {
  read: 'Read',
  write: 'Write',
  execute: 'Execute',
  destructive: 'Destructive',
  financial: 'Financial',
};

export const CATEGORY_SUMMARIES: Record<Category, string> = {
  read: 'returns data without changing anything',
  write: 'creates or changes data, files or state',
  execute: 'runs code, commands or queries',
  destructive: 'deletes, overwrites or irreversibly changes data',
  financial: 'moves money or commits to a purchase',
};

export function riskRank(risk: Risk): number {
  return RISK_LEVELS.indexOf(risk);
}

export function maxRisk(a: Risk, b: Risk): Risk {
  return riskRank(a) >= riskRank(b) ? a : b;
}

/** "a Write tool", "an Execute tool": every sentence that names a category's tool says it this way. */
export function categoryNoun(category: Category): string {
  const label = CATEGORY_LABELS[category];
  return `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label} tool`;
}

/** One plain sentence of what an injected prompt can do with a tool of this category. */
export const CATEGORY_THREATS: Record<Category, string> = {
  read: 'It returns data: an injected prompt can pull what it reads into the conversation, and from there send it on.',
  write: 'It changes data: an injected prompt can make it write, move or replace what the attacker chooses.',
  execute: 'It runs code or commands the caller supplies, so an injected prompt chooses what runs.',
  destructive: 'It deletes or overwrites for good: one injected call destroys data that cannot be recovered.',
  financial: 'It moves money or commits to a charge: an injected prompt can spend on the attacker’s behalf.',
};

/** What each step of the four-step risk scale means. */
export const RISK_MEANINGS: Record<Risk, string> = {
  low: 'reads; little harm if misused',
  medium: 'changes that can be put back',
  high: 'runs what the caller supplies',
  critical: 'harm that cannot be undone',
};
