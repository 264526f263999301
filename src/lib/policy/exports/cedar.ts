import type { Condition, Rule } from '../../../schemas/policy.ts';
import { portableCheck } from '../patterns.ts';
import { NoteGroups, toolsOf, treatment, type ExportInput, type ExportResult } from './shared.ts';

/**
 * ToolHive's Cedar authorization config (`type: cedarv1`). Tool arguments reach Cedar as
 * `resource.arg_<name>`; Cedar has no regular expressions, only `like` globs. Every argument
 * check goes into the `when` clause of the tool's `permit`, so a value of a type a check cannot
 * handle makes the permit fail (Cedar skips a policy that errors) and the call is denied.
 */

/** A Cedar string literal: quotes, backslashes and every character outside printable ASCII escaped. */
export function cedarString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else out += `\\u{${code.toString(16)}}`;
  }
  return `${out}"`;
}

/** A `like` pattern from a glob whose `*` are wildcards; every other character is literal (a literal star escaped). */
function likePattern(glob: string): string {
  return likeOf(glob.split('*'));
}

/** Literal pieces joined by wildcards. */
function likeOf(pieces: readonly string[]): string {
  return `"${pieces.map((piece) => cedarString(piece).slice(1, -1).replace(/\*/g, '\\*')).join('*')}"`;
}

const attribute = (argument: string) => `resource[${cedarString(`arg_${argument}`)}]`;
const has = (argument: string) => `resource has ${cedarString(`arg_${argument}`)}`;

function cedarLiteral(value: unknown): string | undefined {
  if (typeof value === 'string') return cedarString(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

const COMPARE: Record<string, string> = { eq: '==', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** A Cedar expression that holds when the condition holds (the argument present), or undefined. */
function holds(condition: Condition, argument: string): { expression: string; note?: string } | undefined {
  const value = attribute(argument);
  switch (condition.op) {
    case 'eq':
    case 'neq':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const literal = cedarLiteral(condition.value);
      return literal === undefined ? undefined : { expression: `${value} ${COMPARE[condition.op]} ${literal}` };
    }
    case 'in':
    case 'not_in': {
      const literals = (condition.value as unknown[]).map(cedarLiteral);
      if (literals.some((l) => l === undefined)) return undefined;
      const test = `[${literals.join(', ')}].contains(${value})`;
      return { expression: condition.op === 'in' ? test : `!${test}` };
    }
    case 'contains':
      return typeof condition.value === 'string' ? { expression: `${value} like ${likeOf(['', condition.value, ''])}` } : undefined;
    case 'regex': {
      const portable = portableCheck(condition);
      if (portable?.requireGlob) return { expression: `${value} like ${likePattern(portable.requireGlob)}` };
      if (portable?.denyGlobs) {
        return {
          expression: `(${portable.denyGlobs.map((glob) => `${value} like ${likePattern(glob)}`).join(' || ')})`,
          ...(portable.globNote ? { note: portable.globNote } : {}),
        };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The `when` clause of a tool's permit, and what could not be kept. */
function permitClause(rule: Rule | undefined, lost: string[]): string | undefined | false {
  const parts: string[] = [];
  for (const condition of rule?.require ?? []) {
    const argument = condition.path.slice('args.'.length);
    if (argument.includes('.')) {
      lost.push(`${condition.path} is nested; ToolHive passes top-level arguments only, so the tool is denied`);
      return false;
    }
    if (condition.op === 'exists') {
      parts.push(condition.value ? has(argument) : `!(${has(argument)})`);
      continue;
    }
    const test = holds(condition, argument);
    if (!test) {
      lost.push(`Cedar cannot write the check on ${condition.path} (${condition.op}), so the tool is denied`);
      return false;
    }
    parts.push(`${has(argument)} && ${test.expression}`);
  }
  for (const condition of rule?.deny_if ?? []) {
    const argument = condition.path.slice('args.'.length);
    if (argument.includes('.')) {
      lost.push(
        `${condition.path} is nested; ToolHive passes top-level arguments only, so calls that send ${condition.path.split('.')[1]} are denied`,
      );
      parts.push(`!(${has(condition.path.split('.')[1]!)})`);
      continue;
    }
    if (condition.op === 'exists') {
      parts.push(condition.value ? `!(${has(argument)})` : has(argument));
      continue;
    }
    const test = holds(condition, argument);
    if (!test) {
      lost.push(`Cedar cannot write the check on ${condition.path} (${condition.op}); calls that send it are denied`);
      parts.push(`!(${has(argument)})`);
      continue;
    }
    if (test.note) lost.push(test.note);
    parts.push(`(!(${has(argument)}) || !${test.expression.startsWith('(') ? test.expression : `(${test.expression})`})`);
  }
  return parts.length > 0 ? parts.join(' &&\n    ') : undefined;
}

/** The Cedar policies alone, one statement a string (ToolHive's `cedar.policies`). */
export function cedarPolicies(input: ExportInput): { policies: string[]; notes: string[] } {
  const policies: string[] = [];
  const notes: string[] = [];
  const groups = new NoteGroups();
  let limited = false;
  for (const name of toolsOf(input)) {
    const how = treatment(input.policy, name);
    const resource = `resource == Tool::${cedarString(name)}`;
    if (how.kind === 'hidden') {
      // ToolHive filters tools/list by the same policies, so a forbidden tool is hidden and denied.
      policies.push(`forbid (principal, action == Action::"call_tool", ${resource});`);
      continue;
    }
    if (how.kind === 'denied') continue;
    if (how.limited) limited = true;
    const lost: string[] = [];
    const clause = permitClause(how.rule, lost);
    for (const why of lost) groups.add(name, why);
    if (clause === false) continue;
    policies.push(`permit (principal, action == Action::"call_tool", ${resource})${clause ? `\nwhen {\n    ${clause}\n}` : ''};`);
  }
  notes.push(...groups.sentences());
  if (limited) notes.push('Cedar cannot count calls: the rate limits are not kept; set them in ToolHive or a gateway in front of it.');
  notes.push('Tools not permitted here are denied and filtered out of tools/list (Cedar denies by default).');
  return { policies, notes };
}

/** ToolHive's authorization config file (JSON), ready for `thv run --authz-config`. */
export function cedarExport(input: ExportInput): ExportResult {
  const { policies, notes } = cedarPolicies(input);
  const config = { version: '1.0', type: 'cedarv1', cedar: { policies, entities_json: '[]' } };
  return { text: `${JSON.stringify(config, null, 2)}\n`, notes };
}
