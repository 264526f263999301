import type { Category, Risk } from '../../schemas/risk.ts';
import type { CatalogTool, Review } from '../../schemas/tool.ts';
import { describeTreatment } from './fail-closed.ts';

/** Below this confidence a person should look at the classification. */
export const LOW_CONFIDENCE = 0.6;

export type ReviewReason = 'fails-closed' | 'definition-changed' | 'low-confidence' | 'evidence-disagrees' | 'annotations-conflict';

export const REVIEW_REASON_LABELS: Record<ReviewReason, string> = {
  'fails-closed': 'treated as more dangerous than its category until reviewed',
  'definition-changed': 'definition changed since it was reviewed',
  'low-confidence': 'low confidence',
  'evidence-disagrees': 'evidence disagrees',
  'annotations-conflict': 'annotations contradict the definition',
};

export interface ReviewItem {
  reasons: ReviewReason[];
  /** One sentence per reason, naming what disagrees. */
  details: string[];
}

/**
 * Why a person should look at a tool, or undefined if nothing calls for it. A tool a person
 * reviewed leaves the queue until its definition changes; removed tools never enter it.
 */
export function reviewNeeds(tool: Pick<CatalogTool, 'classification' | 'review' | 'history'>): ReviewItem | undefined {
  if (tool.history?.removedOn) return undefined;
  const { review, classification: c } = tool;
  if (review) {
    if (tool.history && tool.history.hash !== review.definitionHash) {
      return { reasons: ['definition-changed'], details: [`Reviewed on ${review.on}; the definition has changed since.`] };
    }
    return undefined;
  }
  const reasons: ReviewReason[] = [];
  const details: string[] = [];
  if (c.treatment) {
    reasons.push('fails-closed');
    details.push(describeTreatment(c.treatment));
  }
  if (c.confidence < LOW_CONFIDENCE) {
    reasons.push('low-confidence');
    details.push(`Confidence ${c.confidence.toFixed(2)}: the evidence does not clearly point one way.`);
  }
  if (c.disagreements.length > 0) {
    reasons.push('evidence-disagrees');
    details.push(...c.disagreements);
  }
  if (c.conflicts.length > 0) {
    reasons.push('annotations-conflict');
    details.push(...c.conflicts);
  }
  return reasons.length > 0 ? { reasons, details } : undefined;
}

/** A reviewed decision for a tool as it stands now. */
export function reviewDecision(
  tool: Pick<CatalogTool, 'classification' | 'history'> & { name: string },
  input: { on: string; set?: { category: Category; risk: Risk }; reason?: string | undefined },
): Review {
  if (!tool.history) throw new Error(`tool ${JSON.stringify(tool.name)} has no recorded definition hash; import it before reviewing`);
  const base = { on: input.on, definitionHash: tool.history.hash };
  if (input.set) {
    if (!input.reason) throw new Error('a decision that sets the category or risk needs --reason');
    return { ...base, decision: 'set', category: input.set.category, risk: input.set.risk, reason: input.reason };
  }
  return {
    ...base,
    decision: 'accepted',
    category: tool.classification.category,
    risk: tool.classification.risk,
    ...(input.reason ? { reason: input.reason } : {}),
  };
}
