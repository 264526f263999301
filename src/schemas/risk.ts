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
