import { CATEGORY_LABELS, RISK_LABELS, type Category, type Risk } from '../../../schemas/risk.ts';
import type { Evidence } from '../../../schemas/tool.ts';
import { SEVERITY, type ToolDefinition } from './shared.ts';

/** Pass 11, rationale: sentences a reader checks against the definition, and where the evidence disagrees. */

const SOURCE_LABELS: Record<string, string> = {
  name: 'name',
  description: 'description',
  argument: 'arguments',
  annotation: 'annotations',
};

/**
 * Where the pieces of a definition point somewhere other than the category that won:
 * "the name says Read, the arguments say Destructive". A reviewer starts here.
 */
export function findDisagreements(evidence: readonly Evidence[], category: Category): string[] {
  const bySource = new Map<string, Set<Category>>();
  for (const item of evidence) {
    const source = SOURCE_LABELS[item.kind];
    if (!source || !item.suggests) continue;
    if (!bySource.has(source)) bySource.set(source, new Set());
    bySource.get(source)!.add(item.suggests);
  }
  const out: string[] = [];
  for (const [source, categories] of bySource) {
    if (categories.has(category)) continue;
    const strongest = [...categories].sort((a, b) => SEVERITY[b] - SEVERITY[a])[0]!;
    out.push(
      `The ${source} ${source === 'arguments' || source === 'annotations' ? 'point' : 'points'} to ${CATEGORY_LABELS[strongest]}, not ${CATEGORY_LABELS[category]}.`,
    );
  }
  return out;
}

export function buildRationale(input: {
  tool: ToolDefinition;
  category: Category;
  risk: Risk;
  riskReason: string;
  evidence: Evidence[];
  conflicts: string[];
  settled: string[];
  hidden: boolean;
  instructions: boolean;
  noSignal: boolean;
}): string[] {
  const { category, risk, evidence } = input;
  const sentences: string[] = [];
  if (input.noSignal) {
    sentences.push(
      `Treated as ${CATEGORY_LABELS[category]} with low confidence: nothing in the definition points to a side effect, so review it by hand.`,
    );
  } else {
    const support = evidence.filter((e) => e.suggests === category).slice(0, 2);
    const reasons = support.map((e) => e.detail.replace(/\.$/, '').replace(/^The /, 'the '));
    const last = input.settled[input.settled.length - 1];
    if (last) sentences.push(`Classified as ${CATEGORY_LABELS[category]}: ${last.replace(/^It /, 'it ')}`);
    else sentences.push(`Classified as ${CATEGORY_LABELS[category]} because ${reasons.join(', and ') || 'of the weight of the evidence'}.`);
  }
  sentences.push(`${RISK_LABELS[risk]} risk: ${input.riskReason}.`);
  const args = evidence.filter((e) => e.kind === 'argument');
  if (args.length > 0) {
    sentences.push(
      `Arguments to constrain: ${args
        .slice(0, 4)
        .map((e) => e.match)
        .join(', ')}${args.length > 4 ? ` and ${args.length - 4} more` : ''}.`,
    );
  }
  if (input.conflicts.length > 0) sentences.push('Its annotations disagree with what it does; trust the evidence, not the hints.');
  if (input.hidden)
    sentences.push(
      'Its definition hides characters a reader cannot see but a model reads, a tool-poisoning technique; risk is raised accordingly.',
    );
  if (input.instructions)
    sentences.push('Its text addresses the model directly with instructions, the signature of tool poisoning; risk is raised accordingly.');
  return sentences;
}
