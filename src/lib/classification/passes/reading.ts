import { CATEGORIES, type Category } from '../../../schemas/risk.ts';
import { ARGUMENT_KIND_LABELS, type ArgumentKind } from '../lexicon.ts';
import {
  discoverArguments,
  findDangerousArguments,
  topLevelProperties,
  type ArgumentFinding,
  type DiscoveredArgument,
} from './arguments.ts';
import { SEVERITY, quote, type ToolDefinition } from './shared.ts';
import type { VerbHit, WordsReading } from './words.ts';

/**
 * What the passes share while they classify one tool: the words, the arguments, the evidence so
 * far and the category, which a pass changes only through `settle` (so every change is evidence
 * a reader sees, with the convention that made it).
 */
export interface Reading extends WordsReading {
  tool: ToolDefinition;
  discovered: DiscoveredArgument[];
  args: ArgumentFinding[];
  argKinds: Set<ArgumentKind>;
  /** Top-level argument schemas, by name. */
  properties: Record<string, unknown>;
  category: Category;
  /** Nothing in the words pointed anywhere: Read, with low confidence. */
  noSignal: boolean;
  /** Why conventions moved the category away from what the words alone say, in order. */
  settled: string[];
  settle(to: Category, match: string, why: string): void;
}

export type { VerbHit };

/** Pass 3: the arguments, and the category the words point to (highest score; ties go to the more severe). */
export function startReading(tool: ToolDefinition, reading: WordsReading): Reading {
  const { evidence, scores } = reading;
  // Dangerous arguments inform risk and the policy; execution and money are decided by later passes.
  const discovered = discoverArguments(tool.inputSchema);
  const args = findDangerousArguments(tool.inputSchema);
  const argKinds = new Set(args.map((arg) => arg.kind));
  for (const arg of args) {
    evidence.push({
      kind: 'argument',
      match: arg.path,
      detail: `The argument ${quote(arg.path)} takes ${ARGUMENT_KIND_LABELS[arg.kind]}.`,
    });
  }
  const properties = topLevelProperties(tool.inputSchema);

  // The category the words point to: highest score; ties go to the more severe category.
  const ranked = [...CATEGORIES].sort((a, b) => scores[b] - scores[a] || SEVERITY[b] - SEVERITY[a]);
  const top = ranked[0]!;
  const noSignal = scores[top] === 0;
  if (noSignal) {
    evidence.push({ kind: 'default', match: '', detail: 'No verb, phrase, argument or annotation pointed to a side effect.' });
  }
  const r: Reading = {
    ...reading,
    tool,
    discovered,
    args,
    argKinds,
    properties,
    category: noSignal ? 'read' : top,
    noSignal,
    settled: [],
    settle(to, match, why) {
      if (to === r.category) return;
      r.category = to;
      r.settled.push(why);
      evidence.push({ kind: 'convention', match, detail: why, suggests: to });
    },
  };
  return r;
}
