import { stringify as toToml } from 'smol-toml';
import type { Condition } from '../../../schemas/policy.ts';
import { parseConditionPath } from '../../../schemas/condition-path.ts';
import {
  commentLine,
  NoteGroups,
  PLAIN_TOOL_NAME,
  pluralTools,
  toolsOf,
  treatment,
  type ExportInput,
  type ExportResult,
} from './shared.ts';

/**
 * Gemini CLI's policy engine: `[[rule]]` entries in a TOML file under ~/.gemini/policies/ (or
 * .gemini/policies/, or the admin folder). The highest-priority rule that matches a call decides:
 * `allow`, `deny` or `ask_user`. A rule's `argsPattern` is a JavaScript regular expression (no
 * flags) tested against the call's arguments as Gemini CLI serialises them: JSON.stringify with
 * every object's keys sorted, no spaces.
 *
 * How the policy model maps onto it, always erring toward deny:
 * - one `deny` rule for the whole server (mcpName only) is the default deny, and also covers
 *   tools the server adds later and names a rule cannot hold safely;
 * - a hidden or unlisted tool gets its own `deny` (a deny without argsPattern also keeps the tool
 *   out of the model's tool list: Gemini's way of hiding);
 * - an allowed tool without checks gets `allow`;
 * - an allowed tool with checks gets `ask_user` (a person approves each call; in non-interactive
 *   mode Gemini treats that as deny), and, above it, a `deny` with an argsPattern for each check
 *   a regular expression over that JSON can decide: a top-level argument sent, absent, or equal
 *   to one of a few values. Regex, range and "contains" checks stay with the person.
 */

const PRIORITY = { server: 100, tool: 200, check: 300, hidden: 400 } as const;
/** Gemini refuses longer patterns as a ReDoS risk. */
const MAX_PATTERN = 2048;

type GeminiRule = {
  mcpName: string;
  toolName?: string;
  argsPattern?: string;
  decision: 'allow' | 'deny' | 'ask_user';
  priority: number;
};

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** A key as it appears in the serialised arguments: JSON-quoted, then escaped for the pattern. */
const keyText = (name: string) => escapeRegex(JSON.stringify(name));
const valueText = (value: string | number | boolean | null) => escapeRegex(JSON.stringify(value));

/** Matches the key of a property anywhere in the text: after `{` or `,`, so a key inside a string value does not count. */
const sent = (name: string) => `[{,]${keyText(name)}:`;
const sentWith = (name: string, values: ReadonlyArray<string | number | boolean | null>) =>
  `[{,]${keyText(name)}:(?:${values.map(valueText).join('|')})[,}]`;

/**
 * A pattern that matches every call the condition's failure denies, or undefined when a regular
 * expression over the JSON text cannot decide it. A nested object holding the same key makes
 * some patterns match more than they should; that only denies more.
 */
export function denyPattern(condition: Condition, kind: 'deny_if' | 'require'): string | undefined {
  const steps = parseConditionPath(condition.path);
  const step = typeof steps === 'string' || steps.length !== 1 ? undefined : steps[0];
  if (step?.kind !== 'name') return undefined;
  const name = step.name;
  const op = condition.op;
  let pattern: string | undefined;
  if (kind === 'deny_if') {
    if (op === 'exists') pattern = condition.value ? sent(name) : `^(?!.*${sent(name)})`;
    else if (op === 'eq') pattern = sentWith(name, [condition.value]);
    else if (op === 'in') pattern = sentWith(name, condition.value);
  } else {
    // A requirement fails when the argument is absent, or present with another value.
    if (op === 'exists') pattern = condition.value ? `^(?!.*${sent(name)})` : sent(name);
    else if (op === 'eq') pattern = `^(?!.*${sentWith(name, [condition.value])})`;
    else if (op === 'in') pattern = `^(?!.*${sentWith(name, condition.value)})`;
  }
  return pattern !== undefined && pattern.length <= MAX_PATTERN ? pattern : undefined;
}

export function geminiPolicyExport(input: ExportInput): ExportResult {
  const server = input.server;
  const rules: GeminiRule[] = [{ mcpName: server, decision: 'deny', priority: PRIORITY.server }];
  const notes = new NoteGroups();
  const unnameable: string[] = [];
  let limited = false;
  for (const name of toolsOf(input)) {
    if (!PLAIN_TOOL_NAME.test(name)) {
      // `*` is Gemini's wildcard and `_` splits its qualified names: such a name never reaches a rule.
      unnameable.push(name);
      continue;
    }
    const how = treatment(input.policy, name);
    if (how.kind !== 'allowed') {
      rules.push({ mcpName: server, toolName: name, decision: 'deny', priority: PRIORITY.hidden });
      continue;
    }
    if (how.limited) limited = true;
    const ask = input.ask?.includes(name) ?? false;
    if (how.checks.length === 0 && !ask) {
      rules.push({ mcpName: server, toolName: name, decision: 'allow', priority: PRIORITY.tool });
      continue;
    }
    rules.push({ mcpName: server, toolName: name, decision: 'ask_user', priority: PRIORITY.tool });
    const conditions = [
      ...(how.rule?.deny_if ?? []).map((c) => [c, 'deny_if'] as const),
      ...(how.rule?.require ?? []).map((c) => [c, 'require'] as const),
    ];
    let kept = 0;
    for (const [condition, kind] of conditions) {
      const argsPattern = denyPattern(condition, kind);
      if (argsPattern === undefined) continue;
      rules.push({ mcpName: server, toolName: name, argsPattern, decision: 'deny', priority: PRIORITY.check });
      kept++;
    }
    if (kept < conditions.length)
      notes.add(
        name,
        'Gemini CLI matches arguments only as a regular expression over their JSON text, so checks on values (paths, URLs, commands, code, ranges) are left to the person Gemini asks before each call of these tools',
      );
    if (ask && how.checks.length === 0) notes.add(name, 'a person approves each call of these tools ("ask first")');
  }
  const extra: string[] = [];
  if (unnameable.length > 0)
    extra.push(
      `${pluralTools(unnameable)} ${unnameable.length === 1 ? 'has' : 'have'} characters a rule cannot hold safely (Gemini reads "*" as a wildcard): no rule of ${unnameable.length === 1 ? 'its' : 'their'} own, so the server-wide deny denies ${unnameable.length === 1 ? 'it' : 'them'}.`,
    );
  if (limited) extra.push('Gemini CLI cannot count calls: the rate limits are not kept.');
  extra.push(
    'Save it as a .toml file in ~/.gemini/policies/ (or the project\'s .gemini/policies/). Rules are per server: the server must be named as here in mcpServers, and a name with "_" breaks Gemini\'s matching.',
  );
  const header = [
    '# Gemini CLI policy engine rules exported by Policy Atlas',
    ...[...notes.sentences(), ...extra].map((note) => `# ${commentLine(note)}`),
  ].join('\n');
  return { text: `${header}\n\n${toToml({ rule: rules })}\n`, notes: [...notes.sentences(), ...extra] };
}
