import { EXPORT_IDS, type ExportId } from '../../../schemas/export-ids.ts';
import type { Condition, Policy } from '../../../schemas/policy.ts';
import { parseConditionPath, type PathStep } from '../../../schemas/condition-path.ts';
import { asciiPunctuation } from '../../text-safety/text.ts';

export { EXPORT_IDS, type ExportId };

/** What every exporter is given: one policy (a tool's or a server's bundle) and where it applies. */
export interface ExportInput {
  /** The server's slug: the name clients know it by (`mcp__<server>__…`, `[mcp_servers.<server>]`). */
  server: string;
  policy: Policy;
  /** Every current tool of the server the policy covers; a per-tool export lists just that tool. */
  tools: readonly string[];
  /** Tools a person should approve call by call, where the target can ask (the composer's "ask first"). */
  ask?: readonly string[] | undefined;
  /** "tool": a one-tool snippet (a tool page's), whose notes must not speak for the server's other tools. */
  scope?: 'tool' | 'server' | undefined;
}

export interface ExportResult {
  text: string;
  /** What the target cannot express and how the export handled it, in sentences a person reads. */
  notes: string[];
  /** Tools whose calls this export decides differently from the policy model (always by denying more). */
  lossy?: string[];
}

/**
 * A tool name inside a comment or a sentence: JSON-quoted with every character outside printable
 * ASCII escaped, so no newline, bidi override or comment marker can end the comment or hide text.
 */
export function quotedName(name: string): string {
  return JSON.stringify(name).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export { treatment, type ToolTreatment } from '../treatment.ts';

/** Every tool the export speaks about: the server's tools, plus any the policy names that the server no longer lists. */
export function toolsOf(input: ExportInput): string[] {
  const names = new Set(input.tools);
  for (const name of Object.keys(input.policy.tools ?? {})) names.add(name);
  for (const name of input.policy.hide ?? []) if (name !== '*') names.add(name);
  return [...names];
}

/** Names a client rule can hold without a character that its matcher reads as syntax. */
export const PLAIN_TOOL_NAME = /^[A-Za-z0-9_-]{1,128}$/;

export function pluralTools(names: readonly string[]): string {
  return `${names.length} tool${names.length === 1 ? '' : 's'} (${names.slice(0, 8).map(quotedName).join(', ')}${names.length > 8 ? ', …' : ''})`;
}

/** A line safe inside a `#` comment of YAML or TOML: printable ASCII only, so nothing can end the comment. */
export function commentLine(text: string): string {
  return asciiPunctuation(text).replace(/[^\x20-\x7e]/g, '?');
}

/** Collects "why" sentences per tool and says each once, naming the tools it applies to. */
export class NoteGroups {
  readonly #byWhy = new Map<string, string[]>();
  add(tool: string, why: string) {
    const names = this.#byWhy.get(why);
    if (!names) this.#byWhy.set(why, [tool]);
    else if (!names.includes(tool)) names.push(tool);
  }
  sentences(): string[] {
    return [...this.#byWhy].map(([why, names]) => `${why[0]!.toUpperCase()}${why.slice(1)}: ${pluralTools(names)}.`);
  }
}

/** Characters equal under Unicode simple case folding, by representative (built once, on first use). */
let foldClasses: Map<string, string[]> | undefined;
function foldClassOf(ch: string): string[] {
  if (!foldClasses) {
    foldClasses = new Map();
    for (let code = 0; code <= 0xffff; code++) {
      // U+0131 (dotless i) upper-cases to I but does not case-fold to i.
      if ((code >= 0xd800 && code <= 0xdfff) || code === 0x131) continue;
      const key = foldKey(String.fromCharCode(code));
      const members = foldClasses.get(key);
      if (members) members.push(String.fromCharCode(code));
      else foldClasses.set(key, [String.fromCharCode(code)]);
    }
  }
  return foldClasses.get(foldKey(ch)) ?? [ch];
}
function foldKey(ch: string): string {
  const upper = ch.toUpperCase();
  const one = [...upper].length === 1 ? upper : ch;
  const lower = one.toLowerCase();
  return [...lower].length === 1 ? lower : one;
}

/** The most letter-case variants of one name an export lists; a name with more makes the export deny the tool. */
export const MAX_CASE_VARIANTS = 128;

/**
 * Every other name equal to `name` under Unicode simple case folding (`PATH`, `Path`, `paſh` for
 * `path`): the names a server that matches keys without letter case (Go's encoding/json) reads
 * as `name`. Undefined when there are more than MAX_CASE_VARIANTS.
 */
export function caseVariants(name: string): string[] | undefined {
  let variants = [''];
  for (const ch of name) {
    const options = foldClassOf(ch);
    if (variants.length * options.length > MAX_CASE_VARIANTS + 1) return undefined;
    variants = variants.flatMap((prefix) => options.map((option) => prefix + option));
  }
  return variants.filter((variant) => variant !== name);
}

/** Names a JavaScript server may read through the prototype chain; refused wherever names are checked. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * The names a rule checks directly inside the object at `prefix` (the steps of a `has_key_not_in`):
 * the next name of every other condition under it. Their letter-case variants are what an export
 * that cannot refuse unknown names must refuse.
 */
export function checkedNamesAt(conditions: readonly Condition[], prefix: readonly PathStep[]): string[] {
  const names = new Set<string>();
  for (const condition of conditions) {
    const steps = parseConditionPath(condition.path);
    if (typeof steps === 'string' || steps.length <= prefix.length) continue;
    if (!prefix.every((step, i) => JSON.stringify(step) === JSON.stringify(steps[i]))) continue;
    const next = steps[prefix.length]!;
    if (next.kind === 'name') names.add(next.name);
  }
  return [...names];
}
