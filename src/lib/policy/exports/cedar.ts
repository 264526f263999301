import type { Condition, Rule } from '../../../schemas/policy.ts';
import { parseConditionPath } from '../../../schemas/condition-path.ts';
import { PATH_LOOKALIKES, patternIdOf, type PatternId } from '../patterns.ts';
import {
  NoteGroups,
  PROTOTYPE_KEYS,
  caseVariants,
  checkedNamesAt,
  toolsOf,
  treatment,
  type ExportInput,
  type ExportResult,
} from './shared.ts';

/**
 * ToolHive's Cedar authorization config (`type: cedarv1`). ToolHive prepares a call's arguments
 * before Cedar sees them (stacklok/toolhive pkg/authz/authorizers/cedar/core.go): a string or a
 * boolean arrives as `resource.arg_<name>`, a number as a decimal (dropped when too large for
 * one), and a list, an object or null only as `arg_<name>_present`. So every checked argument
 * also refuses `arg_<name>_present`, a number check requires the number to have arrived, and a
 * check Cedar cannot write (it has no regular expressions, only `like` globs) refuses calls
 * that send the argument. Every check goes into the `when` clause of the tool's `permit`; a
 * value of a type a check cannot handle makes the permit fail (Cedar skips a policy that
 * errors) and the call is denied.
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

/** Literal pieces joined by wildcards: a `like` pattern with every other character literal (a literal star escaped). */
function likeOf(pieces: readonly string[]): string {
  return `"${pieces.map((piece) => cedarString(piece).slice(1, -1).replace(/\*/g, '\\*')).join('*')}"`;
}

const CONTROL_CHARS = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), '\x7f'];
/**
 * Unicode format characters (category Cf: U+200C, U+FEFF, …), which HFS+ ignores in names. They
 * sit in planes 0, 1 and 14; the list is read off the JavaScript engine's Unicode tables.
 */
const FORMAT_CHARS: string[] = [];
for (const [from, to] of [
  [0, 0xffff],
  [0x10000, 0x1ffff],
  [0xe0000, 0xe0fff],
] as const) {
  for (let code = from; code <= to; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const ch = String.fromCodePoint(code);
    if (/\p{Cf}/u.test(ch)) FORMAT_CHARS.push(ch);
  }
}
/** Anywhere in the value, a control character, a format character or a look-alike of / . \\ ~ :. */
const ANYWHERE = [...CONTROL_CHARS, ...FORMAT_CHARS, ...PATH_LOOKALIKES, '\\', ':', '%'].map((ch) => ['', ch, '']);
/** What both path forms refuse after the start: an empty, . or .. segment, a trailing slash, a segment starting with a space. */
const INNER = [['', '//', ''], ['', '/.', ''], ['', '/'], ['', '/ ', ''], ...ANYWHERE];

/**
 * The checks Cedar can write exactly, as `like` patterns any of which denies (the glob pieces
 * are literal text joined by `*`). Each is the same set of values as the policy's pattern; the
 * unit tests hold both to one corpus. The rest (URLs, code, SQL, field codes) need character
 * classes or letter case that `like` cannot express, so calls that send them are refused.
 */
const DENY_GLOBS: Partial<Record<PatternId, string[][]>> = {
  path: [[''], ['~', ''], ['/', ''], ['\\', ''], ['.', ''], [' ', ''], ...INNER],
  rootedPath: INNER,
  command: [';', '&', '|', '`', '$', '<', '>', '\r', '\n', '\0'].map((ch) => ['', ch, '']),
  shortName: [...'0123456789'].map((digit) => ['', `~${digit}`, '']),
};

/**
 * Checks that compare names in any letter case, which `like` cannot: Cedar has no way to fold
 * case, so a call that sends the argument is refused (fail closed: `ETC/shadow` or `Con.docx`
 * would otherwise pass). Path tools then need atlas guard or Intercept, which keep the check.
 */
const CASE_BLIND: ReadonlySet<PatternId> = new Set(['windowsDevice', 'systemFolder']);

const attribute = (argument: string) => `resource[${cedarString(`arg_${argument}`)}]`;
const has = (argument: string) => `resource has ${cedarString(`arg_${argument}`)}`;
/** A list, an object or null sent for the argument, which ToolHive passes only as present. */
const complex = (argument: string) => `resource has ${cedarString(`arg_${argument}_present`)}`;
const refuseSent = (argument: string) => `!(${has(argument)}) && !(${complex(argument)})`;

function cedarLiteral(value: unknown): string | undefined {
  if (typeof value === 'string') return cedarString(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** A number as ToolHive's decimal: at most four places, within decimal's range. */
function cedarDecimal(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > 922_337_203_685_477) return undefined;
  const text = value.toFixed(4);
  return Number(text) === value ? `decimal(${cedarString(text)})` : undefined;
}

const DECIMAL_METHOD: Record<string, string> = { lt: 'lessThan', lte: 'lessThanOrEqual', gt: 'greaterThan', gte: 'greaterThanOrEqual' };

/** A Cedar expression that holds when the condition holds for a value that arrived as `arg_<name>`, or undefined. */
function holds(condition: Condition, argument: string): string | undefined {
  const value = attribute(argument);
  switch (condition.op) {
    case 'eq':
    case 'neq': {
      const literal = cedarLiteral(condition.value);
      return literal === undefined ? undefined : `${value} ${condition.op === 'eq' ? '==' : '!='} ${literal}`;
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const literal = cedarDecimal(condition.value);
      return literal === undefined ? undefined : `${value}.${DECIMAL_METHOD[condition.op]}(${literal})`;
    }
    case 'in':
    case 'not_in': {
      const literals = (condition.value as unknown[]).map(cedarLiteral);
      if (literals.some((l) => l === undefined)) return undefined;
      const test = `[${literals.join(', ')}].contains(${value})`;
      return condition.op === 'in' ? test : `!${test}`;
    }
    case 'contains':
      return typeof condition.value === 'string' ? `${value} like ${likeOf(['', condition.value, ''])}` : undefined;
    case 'regex': {
      const id = patternIdOf(condition);
      const globs = id ? DENY_GLOBS[id] : undefined;
      return globs ? `(${globs.map((glob) => `${value} like ${likeOf(glob)}`).join(' || ')})` : undefined;
    }
    case 'not_regex': {
      // The root form's prefix: the path must start with the root and a slash.
      const root = typeof condition.value === 'string' ? /^\^(\/.*)\/$/.exec(condition.value)?.[1] : undefined;
      if (root === undefined || /[.+*?()|[\]{}^$]/.test(root.replace(/\\./g, ''))) return undefined;
      return `!(${value} like ${likeOf([`${root.replace(/\\(.)/g, '$1')}/`, ''])})`;
    }
    default:
      return undefined;
  }
}

/** The `when` clause of a tool's permit, and what could not be kept (always by denying more). */
function permitClause(rule: Rule | undefined, lost: string[]): string | undefined | false {
  const parts: string[] = [];
  const guarded = new Set<string>();
  const add = (part: string) => {
    if (!parts.includes(part)) parts.push(part);
  };
  for (const condition of rule?.require ?? []) {
    const steps = parseConditionPath(condition.path);
    const first = typeof steps === 'string' ? undefined : steps[0];
    if (typeof steps === 'string' || steps.length !== 1 || first?.kind !== 'name') {
      lost.push(`${condition.path} is inside a list or an object, which ToolHive passes only as present, so the tool is denied`);
      return false;
    }
    const argument = first.name;
    if (condition.op === 'exists') {
      add(condition.value ? `(${has(argument)} || ${complex(argument)})` : refuseSent(argument));
      continue;
    }
    const test = holds(condition, argument);
    if (!test) {
      lost.push(`Cedar cannot write the check on ${condition.path} (${condition.op}), so the tool is denied`);
      return false;
    }
    add(`${has(argument)} && ${test}`);
  }
  const all = [...(rule?.require ?? []), ...(rule?.deny_if ?? [])];
  for (const condition of rule?.deny_if ?? []) {
    const steps = parseConditionPath(condition.path);
    if (condition.op === 'has_key_not_in' && typeof steps !== 'string' && steps.length === 0) {
      // Cedar cannot list a record's attributes, so it cannot refuse every name the policy does
      // not know; it refuses the ones a server reads as a checked name: letter-case variants
      // (Go's encoding/json matches PATH to path) and prototype keys.
      const refused: string[] = [...PROTOTYPE_KEYS];
      for (const name of checkedNamesAt(all, steps)) {
        const variants = caseVariants(name);
        if (!variants) {
          lost.push(
            `Cedar cannot refuse names it is not given, and ${JSON.stringify(name)} has too many letter-case variants to list (a server that matches names without case reads them as ${JSON.stringify(name)}), so the tool is denied`,
          );
          return false;
        }
        refused.push(...variants);
      }
      lost.push(
        'Cedar cannot refuse every argument name the schema does not declare: it refuses the letter-case variants of each checked name (PATH for path) and __proto__, constructor and prototype; any other undeclared name reaches the server unchecked',
      );
      add(`!(${refused.map((name) => `${has(name)} || ${complex(name)}`).join(' || ')})`);
      continue;
    }
    if (typeof steps === 'string' || steps[0]?.kind !== 'name') return false;
    if (condition.op === 'has_key_not_in') {
      lost.push(`Cedar cannot see the names inside an object or a list (${condition.path}); calls that send ${steps[0].name} are denied`);
      add(refuseSent(steps[0].name));
      continue;
    }
    const argument = steps[0].name;
    if (steps.length !== 1) {
      lost.push(
        `${condition.path} is inside a list or an object, which ToolHive passes only as present; calls that send ${argument} are denied`,
      );
      add(refuseSent(argument));
      continue;
    }
    if (condition.op === 'exists') {
      add(condition.value ? refuseSent(argument) : `(${has(argument)} || ${complex(argument)})`);
      continue;
    }
    const id = patternIdOf(condition);
    if (id === 'amountText') {
      // Refusing the argument when sent is not enough here: ToolHive drops a number too large for
      // a decimal (1e21) before Cedar sees it, so an amount sent that way would pass as "not sent".
      lost.push(
        `ToolHive drops numbers too large for a decimal before Cedar sees them, so an amount that may be text or a number (${condition.path}) cannot be refused reliably; the tool is denied`,
      );
      return false;
    }
    if (id && CASE_BLIND.has(id)) {
      lost.push(
        `Cedar cannot compare text without letter case, so it cannot keep the ${id === 'windowsDevice' ? 'Windows device-name' : 'system-folder'} check on ${condition.path}: calls that send ${argument} are denied (atlas guard and Intercept keep the check)`,
      );
      add(refuseSent(argument));
      continue;
    }
    const test = holds(condition, argument);
    if (!test) {
      lost.push(
        `Cedar cannot write the check on ${condition.path} (${condition.op === 'regex' || condition.op === 'not_regex' ? conditionKind(condition) : condition.op}); calls that send it are denied`,
      );
      add(refuseSent(argument));
      continue;
    }
    // A list, an object or null reaches Cedar only as present: the check cannot see it, so it is refused.
    if (!guarded.has(argument)) {
      guarded.add(argument);
      add(`!(${complex(argument)})`);
    }
    if (['lt', 'lte', 'gt', 'gte'].includes(condition.op)) {
      // ToolHive drops a number too large for a decimal: an amount that did not arrive is refused.
      lost.push(`ToolHive drops numbers too large for a decimal, so ${condition.path} is required here`);
      // ToolHive truncates a number to four places (100.00009 arrives as 100.0000), so a strict
      // bound also refuses the bound itself here.
      const strict = condition.op === 'gt' || condition.op === 'lt';
      const bound = strict ? holds({ ...condition, op: condition.op === 'gt' ? 'gte' : 'lte' }, argument) : undefined;
      if (strict)
        lost.push(`ToolHive truncates numbers to four places, so ${condition.path} equal to ${String(condition.value)} is refused here`);
      add(`${has(argument)} && !(${bound ?? test})`);
    } else add(`(!(${has(argument)}) || !(${test}))`);
  }
  return parts.length > 0 ? parts.join(' &&\n    ') : undefined;
}

function conditionKind(condition: Condition): string {
  const id = patternIdOf(condition);
  return id ? `the ${id} pattern` : 'a regular expression';
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
    // A tool Cedar cannot permit is denied by default anyway; the forbid names it, so a reader of
    // a one-tool page sees the denial rather than an empty policy set.
    const forbid = `forbid (principal, action == Action::"call_tool", ${resource});`;
    if (how.kind === 'hidden') {
      // ToolHive filters tools/list by the same policies, so a forbidden tool is hidden and denied.
      policies.push(forbid);
      continue;
    }
    if (how.kind === 'denied') {
      policies.push(forbid);
      continue;
    }
    if (how.limited) limited = true;
    const lost: string[] = [];
    const clause = permitClause(how.rule, lost);
    for (const why of lost) groups.add(name, why);
    if (clause === false) {
      policies.push(forbid);
      continue;
    }
    policies.push(`permit (principal, action == Action::"call_tool", ${resource})${clause ? `\nwhen {\n    ${clause}\n}` : ''};`);
  }
  notes.push(...groups.sentences());
  if (limited) notes.push('Cedar cannot count calls: the rate limits are not kept; set them in ToolHive or a gateway in front of it.');
  if (policies.some((policy) => policy.startsWith('permit')))
    notes.push(
      'ToolHive passes arguments that are not an object (a list, text, a number, null) to Cedar as no arguments at all, so such a call is decided as one without arguments and the server gets the raw value; most servers reject it, and atlas guard and Intercept deny it.',
    );
  notes.push('Tools not permitted here are denied and filtered out of tools/list (Cedar denies by default).');
  return { policies, notes };
}

/** ToolHive's authorization config file (JSON), ready for `thv run --authz-config`. */
export function cedarExport(input: ExportInput): ExportResult {
  const { policies, notes } = cedarPolicies(input);
  const config = { version: '1.0', type: 'cedarv1', cedar: { policies, entities_json: '[]' } };
  return { text: `${JSON.stringify(config, null, 2)}\n`, notes };
}
