import type { Category } from '../../../schemas/risk.ts';
import type { McpTool } from '../../../schemas/tool.ts';
import { VERBS } from '../lexicon.ts';
import { verbStems } from '../words.ts';

/** Helpers every pass of the classifier shares. */

/** The definition fields the classifier reads. */
export type ToolDefinition = Pick<McpTool, 'name' | 'title' | 'description' | 'inputSchema' | 'annotations'>;

const VERB_CATEGORY = new Map<string, Category>();
// Severity order: a verb listed under several categories counts as the most severe.
for (const category of ['financial', 'destructive', 'execute', 'write', 'read'] as const) {
  for (const verb of VERBS[category]) if (!VERB_CATEGORY.has(verb)) VERB_CATEGORY.set(verb, category);
}

export const SEVERITY: Record<Category, number> = { read: 0, write: 1, execute: 2, destructive: 3, financial: 4 };

export function verbCategory(word: string, options: { inflected?: boolean } = {}): { verb: string; category: Category } | undefined {
  for (const stem of options.inflected === false ? [word] : verbStems(word)) {
    const category = VERB_CATEGORY.get(stem);
    if (category) return { verb: stem, category };
  }
  return undefined;
}

export function verbMeaning(category: Category): string {
  switch (category) {
    case 'read':
      return 'reads or returns data';
    case 'write':
      return 'creates or changes something';
    case 'execute':
      return 'runs code or commands';
    case 'destructive':
      return 'deletes, clears or overwrites';
    case 'financial':
      return 'moves money';
  }
}

export { isRecord } from '../../shared/records.ts';

export const quote = (text: string) => `“${text}”`;

export const round2 = (n: number) => Math.round(n * 100) / 100;
