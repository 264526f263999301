import { CATEGORY_LABELS, type Category } from '../../schemas/risk.ts';
import type { Treatment } from '../../schemas/tool.ts';

/**
 * Rubric convention 13 (docs/classification-rubric.md): when the evidence disagrees, the more
 * severe reading decides what the policy does until a person reviews the tool. The classifier's
 * best judgement stays as the category; this is the reading the recommended policy uses.
 */

const SEVERITY: Record<Category, number> = { read: 0, write: 1, execute: 2, destructive: 3, financial: 4 };

/** One piece of the definition that reads the tool as more dangerous than its category. */
export interface SevereReading {
  category: Category;
  /** One sentence naming the piece of the definition and what it says. */
  reason: string;
}

/** What a whole server's annotations say, so one tool's hint can be weighed against its siblings'. */
export interface ServerContext {
  /**
   * The server marks every tool it does not mark read-only `destructiveHint: true`. Such a hint
   * does not tell one tool from another, so it is no evidence (rubric, convention 5).
   */
  destructiveHintOnEveryChangingTool?: boolean;
}

/** Whether a server marks every tool that is not read-only as destructive (at least two tools marked). */
export function marksEveryChangingToolDestructive(
  tools: ReadonlyArray<{ annotations?: { readOnlyHint?: boolean | undefined; destructiveHint?: boolean | undefined } | undefined }>,
): boolean {
  const changing = tools.filter((tool) => tool.annotations?.readOnlyHint !== true);
  return changing.length >= 2 && changing.every((tool) => tool.annotations?.destructiveHint === true);
}

/**
 * The treatment a tool gets until a person reviews it: the most severe of the readings, when that
 * is more severe than the category. Risk follows the rubric's default for that category.
 */
export function failClosedTreatment(category: Category, readings: readonly SevereReading[]): Treatment | undefined {
  const above = readings.filter((reading) => SEVERITY[reading.category] > SEVERITY[category]);
  if (above.length === 0) return undefined;
  const worst = above.reduce((a, b) => (SEVERITY[b.category] > SEVERITY[a.category] ? b : a));
  const reasons = [...new Set(above.filter((reading) => reading.category === worst.category).map((reading) => reading.reason))];
  return { category: worst.category, risk: DEFAULT_RISK[worst.category], reasons };
}

const DEFAULT_RISK = { read: 'low', write: 'medium', execute: 'high', destructive: 'critical', financial: 'critical' } as const;

/** "Treated as Destructive until reviewed: the name says “delete”." */
export function describeTreatment(treatment: Treatment): string {
  return `Treated as ${CATEGORY_LABELS[treatment.category]} until a person reviews it: ${treatment.reasons
    .map((reason) => reason.replace(/\.$/, ''))
    .join('; ')}.`;
}
