import type { AttackId } from '../../schemas/attack.ts';
import type { Category, Risk } from '../../schemas/risk.ts';
import type { CatalogTool } from '../../schemas/tool.ts';

export type OverriddenField = 'category' | 'risk' | 'rationale' | 'attackPatterns';

export interface EffectiveClassification {
  category: Category;
  risk: Risk;
  rationale: string[];
  attackPatterns: AttackId[];
  overridden: OverriddenField[];
}

/** What the catalogue says about a tool: a maintainer's override wins over the classifier. */
export function effectiveClassification(tool: Pick<CatalogTool, 'classification' | 'overrides'>): EffectiveClassification {
  const { classification: c, overrides } = tool;
  const overridden: OverriddenField[] = [];
  if (overrides?.category) overridden.push('category');
  if (overrides?.risk) overridden.push('risk');
  if (overrides?.rationale) overridden.push('rationale');
  if (overrides?.attackPatterns?.length) overridden.push('attackPatterns');
  return {
    category: overrides?.category ?? c.category,
    risk: overrides?.risk ?? c.risk,
    rationale: overrides?.rationale ? [overrides.rationale] : c.rationale,
    attackPatterns: [...new Set([...c.attackPatterns, ...(overrides?.attackPatterns ?? [])])],
    overridden,
  };
}

/** Site path of a tool page, below the base. */
export const toolPath = (server: string, slug: string) => `tools/${server}/${slug}/`;
/** Site path of a server page, below the base. */
export const serverPath = (server: string) => `servers/${server}/`;
