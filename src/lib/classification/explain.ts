import { CATEGORY_SUMMARIES, categoryNoun, type Category, type Risk } from '../../schemas/risk.ts';
import type { ArgumentFinding } from './classify.ts';
import { ARGUMENT_KIND_LABELS } from './lexicon.ts';

export interface ExplainInput {
  name: string;
  category: Category;
  risk: Risk;
  /** The arguments `findDangerousArguments` flagged, not every argument (that is `argumentCount`). */
  dangerousArguments: readonly ArgumentFinding[];
  argumentCount: number;
  required: readonly string[];
  annotations?:
    { readOnlyHint?: boolean | undefined; destructiveHint?: boolean | undefined; openWorldHint?: boolean | undefined } | undefined;
}

/** "What it does on <server>": our own words from category and definition, never the tool's text. */
export function whatItDoes(tool: ExplainInput, serverName: string): string[] {
  const sentences = [`On ${serverName}, ${tool.name} is ${categoryNoun(tool.category)}: it ${CATEGORY_SUMMARIES[tool.category]}.`];
  if (tool.argumentCount === 0) sentences.push('It takes no arguments, so a caller cannot steer it.');
  else {
    sentences.push(
      `It takes ${tool.argumentCount} argument${tool.argumentCount === 1 ? '' : 's'}${tool.required.length > 0 ? `, of which ${tool.required.length} ${tool.required.length === 1 ? 'is' : 'are'} required` : ', all optional'}.`,
    );
  }
  const kinds = [...new Set(tool.dangerousArguments.map((arg) => arg.kind))];
  if (kinds.length > 0) sentences.push(`The caller supplies ${kinds.map((kind) => ARGUMENT_KIND_LABELS[kind]).join(', ')}.`);
  if (tool.annotations?.openWorldHint) sentences.push('The server says it reaches outside systems.');
  return sentences;
}
