import { decodeTagText, findHidden, type HiddenFinding } from '../../text-safety/hidden.ts';
import { MODEL_INSTRUCTION_PATTERNS } from '../lexicon.ts';
import { MAX_ARGUMENTS } from './arguments.ts';
import { isRecord, type ToolDefinition } from './shared.ts';

/** Pass 9, poisoning: hidden characters and text that steers the model against the user. */

export interface ModelInstructionFinding {
  field: string;
  match: string;
  why: string;
}

/** Text fields of a definition a model reads: name, title, description, and argument descriptions. */
export function definitionTexts(tool: ToolDefinition): Array<{ field: string; text: string }> {
  const texts: Array<{ field: string; text: string }> = [{ field: 'name', text: tool.name }];
  if (tool.title) texts.push({ field: 'title', text: tool.title });
  if (tool.annotations?.title) texts.push({ field: 'annotations.title', text: tool.annotations.title });
  if (tool.description) texts.push({ field: 'description', text: tool.description });
  const properties = tool.inputSchema.properties;
  if (properties) {
    for (const [name, schema] of Object.entries(properties).slice(0, MAX_ARGUMENTS)) {
      texts.push({ field: `inputSchema.properties key`, text: name });
      if (isRecord(schema) && typeof schema['description'] === 'string') {
        texts.push({ field: `inputSchema.properties.${name}.description`, text: schema['description'] });
      }
    }
  }
  return texts;
}

export function findModelInstructions(tool: ToolDefinition): ModelInstructionFinding[] {
  const found: ModelInstructionFinding[] = [];
  for (const { field, text } of definitionTexts(tool)) {
    for (const { pattern, why } of MODEL_INSTRUCTION_PATTERNS) {
      const match = pattern.exec(text);
      if (match) found.push({ field, match: match[0], why });
    }
  }
  return found;
}

export function findHiddenInDefinition(tool: ToolDefinition): Array<{ field: string; findings: HiddenFinding[]; decoded: string }> {
  const results: Array<{ field: string; findings: HiddenFinding[]; decoded: string }> = [];
  for (const { field, text } of definitionTexts(tool)) {
    const findings = findHidden(text);
    if (findings.length > 0) results.push({ field, findings, decoded: decodeTagText(text) });
  }
  return results;
}
