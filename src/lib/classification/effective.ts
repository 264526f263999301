import type { AttackId } from '../../schemas/attack.ts';
import type { Category, Risk } from '../../schemas/risk.ts';
import type { CatalogTool, Treatment } from '../../schemas/tool.ts';

export type OverriddenField = 'category' | 'risk' | 'rationale' | 'attackPatterns';

export interface EffectiveClassification {
  category: Category;
  risk: Risk;
  rationale: string[];
  attackPatterns: AttackId[];
  overridden: OverriddenField[];
  /**
   * The fail-closed reading the recommended policy uses until a person decides (rubric,
   * convention 13); undefined once a hand override or a review sets the category, or when no
   * piece of the definition reads the tool as more dangerous than its category.
   */
  treatment: Treatment | undefined;
  /** A person's reviewed decision, if any, and whether the definition has changed since. */
  reviewed: { on: string; decision: 'accepted' | 'set'; reason: string | undefined; stale: boolean } | undefined;
}

/** What the catalogue says about a tool: a hand override wins, then a person's review, then the classifier. */
export function effectiveClassification(
  tool: Pick<CatalogTool, 'classification' | 'overrides' | 'review' | 'history'>,
): EffectiveClassification {
  const { classification: c, overrides, review } = tool;
  const overridden: OverriddenField[] = [];
  if (overrides?.category) overridden.push('category');
  if (overrides?.risk) overridden.push('risk');
  if (overrides?.rationale) overridden.push('rationale');
  if (overrides?.attackPatterns?.length) overridden.push('attackPatterns');
  return {
    category: overrides?.category ?? review?.category ?? c.category,
    risk: overrides?.risk ?? review?.risk ?? c.risk,
    rationale: overrides?.rationale ? [overrides.rationale] : c.rationale,
    attackPatterns: [...new Set([...c.attackPatterns, ...(overrides?.attackPatterns ?? [])])],
    overridden,
    treatment: overrides?.category || overrides?.risk || review ? undefined : c.treatment,
    reviewed: review && {
      on: review.on,
      decision: review.decision,
      reason: review.reason,
      stale: tool.history !== undefined && tool.history.hash !== review.definitionHash,
    },
  };
}
