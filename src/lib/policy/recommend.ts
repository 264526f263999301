import type { Category, Risk } from '../../schemas/risk.ts';
import { policySchema, type Condition, type Limit, type LimitWindow, type Policy, type Rule } from '../../schemas/policy.ts';
import { argumentKindOf } from '../classification/classify.ts';
import type { ArgumentKind } from '../classification/lexicon.ts';
import { words } from '../classification/words.ts';
import { walkArguments, type SchemaArgument } from './argument-walk.ts';
import { argumentLabel, formatConditionPath } from '../../schemas/condition-path.ts';
import { AMOUNT_CAP, CONDITION_PATTERNS, conditionPurpose, patternIdOf, rootPrefixPattern, type PatternId } from './patterns.ts';
import { plainLine } from '../text-safety/text.ts';
import { treatment } from './treatment.ts';

/**
 * Recommended gateway rules. One function decides the rule for a tool; the tool page,
 * the server bundle, the FAQ and the catalogue JSON all read from it, so they agree.
 *
 * By category (see README, "The policy model"):
 * - Read: allowed, with a generous per-minute limit against runaway loops.
 * - Write: allowed, rate-limited.
 * - Execute: a person approves each call (`ask`), after its argument checks, under a tight limit:
 *   the checks on commands and code are speed bumps, not a sandbox, so a person sees each call.
 * - Every allowed tool gets a check on every argument that can carry a dangerous value (path,
 *   URL, command, code, query, field code, amount), wherever it sits in the schema: nested
 *   objects by path, lists element by element, odd names quoted. An argument whose values
 *   cannot be checked is refused when sent; a schema too big to walk hides the tool.
 * - Destructive and Financial: hidden (removed from tools/list and denied).
 * - Anything rated Critical: hidden, whatever its category.
 * Alternatives (deny, hide, stricter limits, allow with conditions) are offered beside it.
 */

export interface PolicyTool {
  name: string;
  category: Category;
  risk: Risk;
  /** A more severe reading the policy uses until a person reviews the tool (fail closed). */
  treatment?: { category: Category; risk: Risk } | undefined;
  /** The tool's input schema: every property is walked for the checks. */
  inputSchema: unknown;
}

/** Settings a person gives the recommender. */
export interface RecommendOptions {
  /**
   * An absolute directory the tools' files must stay under (e.g. /srv/work). Without it, path
   * arguments must be relative paths inside the workspace.
   */
  root?: string | undefined;
}

/** Calls per window for an allowed tool, by category and risk. */
const RATE: Record<Category, Partial<Record<Risk, { max: number; window: LimitWindow }>>> = {
  read: { low: { max: 120, window: 'minute' }, medium: { max: 60, window: 'minute' }, high: { max: 30, window: 'minute' } },
  write: { low: { max: 60, window: 'minute' }, medium: { max: 30, window: 'minute' }, high: { max: 10, window: 'minute' } },
  execute: { low: { max: 20, window: 'minute' }, medium: { max: 10, window: 'minute' }, high: { max: 5, window: 'minute' } },
  destructive: { low: { max: 10, window: 'hour' }, medium: { max: 5, window: 'hour' }, high: { max: 2, window: 'hour' } },
  financial: { low: { max: 5, window: 'day' }, medium: { max: 3, window: 'day' }, high: { max: 1, window: 'day' } },
};
const STRICT_FALLBACK = { max: 1, window: 'hour' as const };

/** Quota across every tool of a server in its bundle. */
export const ALL_TOOLS_LIMIT: Limit = { counter: 'all_tools_rate', window: 'minute', max: 300, scope: 'grant' };

/** Words in an argument's description or name that say it takes an absolute path. */
const ABSOLUTE_PATH_WORDS = /\babsolute\b[^.\n]{0,40}\bpaths?\b|\bfull path\b/i;

/** Whether a tool's definition (an argument's description or the tool's own) asks for absolute paths, so its page says which root to set. */
export function asksForAbsolutePaths(tool: { inputSchema: unknown; description?: string | undefined }): boolean {
  const paths = walkArguments(tool.inputSchema).args.filter((arg) => kindOf(arg) === 'path');
  return (
    paths.length > 0 && (paths.some((arg) => ABSOLUTE_PATH_WORDS.test(arg.description)) || ABSOLUTE_PATH_WORDS.test(tool.description ?? ''))
  );
}

/** A field code (Word's `{ PAGE }`, `{ INCLUDETEXT … }`): a code argument whose name says field. */
const isFieldCode = (arg: Pick<SchemaArgument, 'name'>) => words(arg.name).includes('field');

/** The kinds the recommender checks, and what each value of that kind must pass. */
function valueChecks(
  kind: ArgumentKind,
  arg: Pick<SchemaArgument, 'name'>,
  path: string,
  options: RecommendOptions,
): Condition[] | undefined {
  switch (kind) {
    case 'path': {
      // Names Windows and macOS read as something else: 8.3 short names and devices.
      const names: Condition[] = [
        { path, op: 'regex', value: CONDITION_PATTERNS.shortName.value },
        { path, op: 'regex', value: CONDITION_PATTERNS.windowsDevice.value },
      ];
      return options.root
        ? [
            { path, op: 'not_regex', value: rootPrefixPattern(options.root) },
            { path, op: 'regex', value: CONDITION_PATTERNS.rootedPath.value },
            ...names,
          ]
        : [
            { path, op: 'regex', value: CONDITION_PATTERNS.path.value },
            ...names,
            { path, op: 'regex', value: CONDITION_PATTERNS.systemFolder.value },
          ];
    }
    case 'url':
      return [
        { path, op: 'not_regex', value: CONDITION_PATTERNS.url.value },
        { path, op: 'regex', value: CONDITION_PATTERNS.internalHost.value },
      ];
    case 'command':
      return [{ path, op: 'regex', value: CONDITION_PATTERNS.command.value }];
    case 'sql':
      return [{ path, op: 'regex', value: CONDITION_PATTERNS.sql.value }];
    case 'code':
      return isFieldCode(arg)
        ? [
            { path, op: 'not_regex', value: CONDITION_PATTERNS.fieldType.value },
            { path, op: 'regex', value: CONDITION_PATTERNS.fieldCode.value },
          ]
        : [{ path, op: 'regex', value: CONDITION_PATTERNS.code.value }];
    case 'amount':
      return [];
    default:
      return undefined;
  }
}

type Scalar = string | number | boolean | null;
const scalarsOf = (values: readonly unknown[]) =>
  values.filter((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)) as Scalar[];

/**
 * Conditions for one argument of a checked kind, by the shapes its schema allows. An enum is
 * the tightest allow list there is, and the server's author wrote it: its values are allowed and
 * nothing else (so `domain: "security"` is never read as a URL).
 */
function conditionsFor(kind: ArgumentKind, arg: SchemaArgument, options: RecommendOptions): Condition[] {
  const path = formatConditionPath(arg.steps);
  if (valueChecks(kind, arg, path, options) === undefined) return [];
  return shapeChecks(kind, arg, arg.steps, options);
}

function shapeChecks(
  kind: ArgumentKind,
  arg: Pick<SchemaArgument, 'name' | 'types' | 'enumValues' | 'element' | 'hasProperties' | 'mapValues'>,
  steps: SchemaArgument['steps'],
  options: RecommendOptions,
): Condition[] {
  const path = formatConditionPath(steps);
  // A map (additionalProperties, patternProperties) holds values under names the caller
  // chooses; no path reaches them, so an argument of a checked kind that is one is refused.
  if (arg.mapValues.length > 0) return [{ path, op: 'exists', value: true }];
  if (arg.enumValues !== undefined) {
    const allowed = scalarsOf(arg.enumValues);
    return allowed.length > 0 ? [{ path, op: 'not_in', value: allowed }] : [{ path, op: 'exists', value: true }];
  }
  const { types } = arg;
  const only = (...allowed: string[]) => types.size > 0 && [...types].every((t) => allowed.includes(t));
  if (only('array', 'null')) {
    // A list of objects is checked through the objects' own properties (walked separately);
    // a list of anything else element by element, with this argument's kind.
    const element = arg.element;
    if (!element) return [{ path, op: 'exists', value: true }];
    if (element.hasProperties && element.types.size > 0 && [...element.types].every((t) => t === 'object')) return [];
    return shapeChecks(kind, element, [...steps, { kind: 'each' }], options);
  }
  // Named sub-properties get their own checks; an object with none has nothing to check it by.
  if (only('object', 'null')) return arg.hasProperties ? [] : [{ path, op: 'exists', value: true }];
  if (kind === 'amount') return amountChecks(path, types);
  if (only('boolean', 'null', 'integer', 'number')) return [];
  return valueChecks(kind, arg, path, options) ?? [];
}

/**
 * An amount: a number over the cap is refused; where the schema also lets text through, the
 * value (a number read as its decimal text) must be a small plain number or a currency code.
 */
function amountChecks(path: string, types: Set<string>): Condition[] {
  const numeric = types.size > 0 && [...types].every((t) => t === 'integer' || t === 'number');
  return numeric
    ? [
        { path, op: 'gt', value: AMOUNT_CAP },
        { path, op: 'lt', value: 0 },
      ]
    : [{ path, op: 'not_regex', value: CONDITION_PATTERNS.amountText.value }];
}

/**
 * An argument's kind by its name and schema, or, for a list, by its name and the elements'
 * schema (`links: [uri]`), or for a map by the schema of its values (`webhooks: {name: uri}`).
 */
export function kindOf(
  arg: Pick<SchemaArgument, 'name' | 'schema' | 'types'> & Partial<Pick<SchemaArgument, 'element' | 'mapValues' | 'steps'>>,
): ArgumentKind | undefined {
  return (
    argumentKindOf(arg.name, arg.schema) ??
    (arg.element ? argumentKindOf(arg.name, arg.element.schema) : undefined) ??
    arg.mapValues?.map((values) => argumentKindOf(arg.name, values)).find((kind) => kind !== undefined) ??
    qualifiedKind(arg.name) ??
    (isResponseBody(arg) ? 'code' : undefined) ??
    (isOutputPath(arg.name, arg.schema, arg.types) ? 'path' : undefined)
  );
}

/** Last words that say "the text of" without changing what it is: `commandLine`, `sql_string`, `script_str`. */
const FORM_WORDS = new Set(['line', 'lines', 'string', 'str', 'text']);

/** The kind of the word before a form word (`command` in `commandLine`), never a path (`file_text` is a file's content). */
function qualifiedKind(name: string): ArgumentKind | undefined {
  const parts = words(name);
  if (parts.length < 2 || !FORM_WORDS.has(parts.at(-1)!)) return undefined;
  const kind = argumentKindOf(parts.at(-2)!, {});
  return kind === 'path' ? undefined : kind;
}

/**
 * The body of a response a browser tool serves in place of the real one (`modifyResponse.body`):
 * the page runs it as its own HTML and script, so it is checked as code.
 */
function isResponseBody(arg: Partial<Pick<SchemaArgument, 'steps'>> & Pick<SchemaArgument, 'name'>): boolean {
  if (words(arg.name).at(-1) !== 'body') return false;
  const parent = arg.steps?.filter((step) => step.kind === 'name').at(-2);
  return parent?.kind === 'name' && words(parent.name).includes('response');
}

/** Last words that name where a tool writes (`docx_output`, `destination`). */
const OUTPUT_WORDS = new Set(['output', 'destination', 'dest']);
/** A description that calls the argument a path to write to. */
const OUTPUT_PATH_DESCRIPTION = /\b(output|destination|target|save)\s+(file\s*)?path\b|\bpath\s+(of|to|for)\s+the\s+(output|file)\b/i;

/**
 * A text argument the classifier's lexicon does not read as a path but that names where the
 * tool writes: a name ending in output or destination, or a description that says output path.
 * A write to an unchecked path is as harmful as a read, so it gets the path check.
 */
function isOutputPath(name: string, schema: unknown, types: ReadonlySet<string>): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const record = schema as Record<string, unknown>;
  if (!types.has('string')) return false;
  const last = words(name).at(-1);
  const description = typeof record['description'] === 'string' ? record['description'] : '';
  return (last !== undefined && OUTPUT_WORDS.has(last)) || OUTPUT_PATH_DESCRIPTION.test(description);
}

/**
 * The argument checks for a tool: every property of its schema that carries a dangerous kind
 * gets a check, or a condition that refuses calls sending it. All are `deny_if`, so an optional
 * argument left out stays allowed.
 */
export function argumentConditions(
  inputSchema: unknown,
  options: RecommendOptions = {},
): { require: Condition[]; deny_if: Condition[]; uncheckable: boolean } {
  const walked = walkArguments(inputSchema);
  const denyIf: Condition[] = [];
  const seen = new Set<string>();
  for (const arg of walked.args) {
    const kind = kindOf(arg);
    if (!kind) continue;
    for (const condition of conditionsFor(kind, arg, options)) {
      const key = JSON.stringify(condition);
      if (!seen.has(key)) {
        seen.add(key);
        denyIf.push(condition);
      }
    }
  }
  // A tool with checks refuses every name it does not know, so no value reaches the server
  // under a name no check tested (PATH for path, __proto__, a key of a free-form object).
  if (denyIf.length > 0) denyIf.push(...knownNameConditions(walked.args));
  return { require: [], deny_if: denyIf, uncheckable: walked.truncated };
}

/**
 * Names a JavaScript server may read through the prototype chain (`Object.assign({}, defaults,
 * args)` reads `path` from a `__proto__` object): refused even where a schema declares them.
 */
export const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * One `has_key_not_in` for each object the schema describes (the arguments themselves, nested
 * objects, list elements): only the names it declares may be sent. An object or list the schema
 * leaves open (no properties, no type, a map) may hold no names at all.
 */
function knownNameConditions(args: readonly SchemaArgument[]): Condition[] {
  const containers = new Map<string, Set<string>>([['args', new Set()]]);
  const container = (steps: SchemaArgument['steps']) => {
    const path = formatConditionPath(steps);
    let names = containers.get(path);
    if (!names) containers.set(path, (names = new Set()));
    return names;
  };
  // An object with declared properties lists them; one the schema leaves open (no properties, no
  // type, a map) holds no name the policy knows. A list's elements are read the same way.
  const open = (node: SchemaArgument | undefined, steps: SchemaArgument['steps']): void => {
    if (!node || node.hasProperties || node.types.size === 0 || node.types.has('object')) container(steps);
    else if (node.types.has('array')) open(node.element, [...steps, { kind: 'each' }]);
  };
  for (const arg of args) {
    const names = container(arg.steps.slice(0, -1));
    if (!PROTOTYPE_NAMES.has(arg.name)) names.add(arg.name);
    open(arg, arg.steps);
  }
  return [...containers].map(([path, names]) => ({ path, op: 'has_key_not_in', value: [...names] }) as Condition);
}

const limit = (tool: PolicyTool, rate: { max: number; window: LimitWindow }): Limit => ({
  counter: `${tool.name}_rate`,
  window: rate.window,
  max: rate.max,
  scope: 'grant',
});

function ruleWith(tool: PolicyTool, rate: { max: number; window: LimitWindow }, options: RecommendOptions): Rule {
  const rule: Rule = {};
  const { require, deny_if } = argumentConditions(tool.inputSchema, options);
  if (require.length > 0) rule.require = require;
  if (deny_if.length > 0) rule.deny_if = deny_if;
  rule.limits = [limit(tool, rate)];
  return rule;
}

/**
 * Whether the recommendation hides the tool rather than allowing it under a rule: by the
 * fail-closed treatment (or category and risk), or because its schema is too big or too deep
 * to check every argument.
 */
export function isHiddenByDefault(tool: Pick<PolicyTool, 'category' | 'risk' | 'treatment' | 'inputSchema'>): boolean {
  const { category, risk } = tool.treatment ?? tool;
  return category === 'destructive' || category === 'financial' || risk === 'critical' || walkArguments(tool.inputSchema).truncated;
}

/** The recommended rule for a tool, or `undefined` when the recommendation is to hide it. */
export function recommendedRule(tool: PolicyTool, options: RecommendOptions = {}): Rule | undefined {
  if (isHiddenByDefault(tool)) return undefined;
  const rate = RATE[tool.category][tool.risk] ?? STRICT_FALLBACK;
  // Every dangerous argument gets its checks, whatever the category: a Write that takes a
  // path must not write to ../../.ssh/authorized_keys.
  const rule = ruleWith(tool, rate, options);
  return (tool.treatment ?? tool).category === 'execute' ? { ...rule, ask: true } : rule;
}

/** The recommended policy for one tool on its own. */
export function recommendedPolicy(tool: PolicyTool, options: RecommendOptions = {}): Policy {
  const rule = recommendedRule(tool, options);
  return rule ? { version: '1', default: 'deny', tools: { [tool.name]: rule } } : { version: '1', default: 'deny', hide: [tool.name] };
}

export interface PolicyAlternative {
  id: 'allow-with-conditions' | 'stricter' | 'deny' | 'hide';
  title: string;
  summary: string;
  policy: Policy;
}

/** Other reasonable policies for the same tool, most permissive first. */
export function policyAlternatives(tool: PolicyTool, options: RecommendOptions = {}): PolicyAlternative[] {
  const alternatives: PolicyAlternative[] = [];
  const hidden = isHiddenByDefault(tool);
  const rate = RATE[tool.category][tool.risk] ?? STRICT_FALLBACK;
  if (hidden) {
    const strict = RATE[tool.category].high ?? STRICT_FALLBACK;
    alternatives.push({
      id: 'allow-with-conditions',
      title: 'Allow it, tightly limited',
      summary: `If an agent truly needs it: at most ${strict.max} calls per ${strict.window}, with every dangerous argument constrained. Pair it with human approval in your client.`,
      policy: { version: '1', default: 'deny', tools: { [tool.name]: ruleWith(tool, strict, options) } },
    });
  } else {
    const stricter = { max: Math.max(1, Math.floor(rate.max / 6)), window: rate.window === 'minute' ? ('hour' as const) : rate.window };
    alternatives.push({
      id: 'stricter',
      title: 'Stricter limits',
      summary: `For unattended agents: at most ${stricter.max} calls per ${stricter.window}.`,
      policy: { version: '1', default: 'deny', tools: { [tool.name]: ruleWith(tool, stricter, options) } },
    });
    alternatives.push({
      id: 'hide',
      title: 'Hide it',
      summary: 'Remove it from tools/list so the model never sees it, and deny any call.',
      policy: { version: '1', default: 'deny', hide: [tool.name] },
    });
  }
  alternatives.push({
    id: 'deny',
    title: 'Deny it, keep it visible',
    summary: 'Under default deny, a tool the policy does not list is denied; the model still sees it in tools/list.',
    policy: { version: '1', default: 'deny', tools: {} },
  });
  return alternatives;
}

/** One policy.json for a whole server: every tool with its recommended rule, or hidden. */
export function serverBundle(tools: readonly PolicyTool[], options: RecommendOptions = {}): Policy {
  const rules: Record<string, Rule> = {};
  const hide: string[] = [];
  for (const tool of tools) {
    const rule = recommendedRule(tool, options);
    if (rule) rules[tool.name] = rule;
    else hide.push(tool.name);
  }
  return {
    version: '1',
    default: 'deny',
    ...(hide.length > 0 ? { hide } : {}),
    all_tools: { limits: [ALL_TOOLS_LIMIT] },
    tools: rules,
  };
}

/** Throws with every problem listed if a policy does not match the schema. */
export function assertValidPolicy(policy: unknown, where: string): Policy {
  const result = policySchema.safeParse(policy);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`Invalid policy for ${where}: ${problems.join('; ')}`);
  }
  return result.data;
}

const WINDOW_WORD: Record<LimitWindow, string> = { minute: 'minute', hour: 'hour', day: 'day' };

function describeCondition(condition: Condition): string {
  const why = conditionPurpose(condition);
  const value = typeof condition.value === 'string' && why ? why : JSON.stringify(condition.value);
  switch (condition.op) {
    case 'regex':
      return `${condition.path} matches ${why ? `a pattern for ${value}` : value}`;
    case 'not_regex':
      return `${condition.path} ${why ? `is ${value}` : `does not match ${value}`}`;
    case 'gt':
      return `${condition.path} is greater than ${value}`;
    case 'gte':
      return `${condition.path} is at least ${value}`;
    case 'lt':
      return `${condition.path} is less than ${value}`;
    case 'lte':
      return `${condition.path} is at most ${value}`;
    case 'exists':
      return `${condition.path} ${condition.value ? 'is present' : 'is absent'}`;
    case 'has_key_not_in':
      return condition.value.length > 0
        ? `${condition.path} holds a name other than ${condition.value.map((name) => JSON.stringify(name)).join(', ')}`
        : `${condition.path} holds any name at all`;
    default:
      return `${condition.path} ${condition.op.replace('_', ' ')} ${value}`;
  }
}

/** Plain-language sentences for what a policy does to one tool, read off the policy itself. */
/** `subject` names the policy when the sentence stands alone (an FAQ answer): "The hide policy hides …". */
export function describePolicyFor(policy: Policy, toolName: string, label = toolName, subject = 'It'): string[] {
  const how = treatment(policy, toolName);
  if (how.kind === 'hidden')
    return [`${subject} hides ${label}: the gateway removes it from tools/list, so the model never sees it, and denies any call to it.`];
  if (how.kind === 'denied') return [`${subject} denies ${label}: the policy does not list it and its default is deny.`];
  const { rule } = how;
  if (!rule) return [`${subject} allows ${label} without conditions (default allow).`];
  const sentences = [`${subject} allows ${label} and denies every tool it does not list (default ${policy.default}).`];
  for (const l of rule.limits ?? []) {
    sentences.push(
      `At most ${l.max} call${l.max === 1 ? '' : 's'} per ${WINDOW_WORD[l.window]} for each grant (counter ${plainLine(l.counter)}).`,
    );
  }
  if (rule.require?.length) sentences.push(`A call is denied unless ${rule.require.map(describeCondition).join(' and ')}.`);
  if (rule.deny_if?.length) sentences.push(`A call is denied if ${rule.deny_if.map(describeCondition).join(', or if ')}.`);
  if (rule.ask)
    sentences.push('A call that passes runs only once a person approves it (ask); a gateway or client that cannot ask denies it.');
  return sentences;
}

/**
 * What the policy's argument checks cannot stop, one sentence a check, so a page never promises
 * more than a pattern can keep.
 */
export function checkCaveats(policy: Policy, toolName: string): string[] {
  const how = treatment(policy, toolName);
  if (how.kind !== 'allowed') return [];
  const ids = new Set<PatternId>();
  for (const condition of how.checks) {
    const id = patternIdOf(condition);
    if (id) ids.add(id);
    else if (conditionPurpose(condition)) ids.add('rootedPath');
  }
  const sentences: string[] = [];
  for (const id of ids) {
    const { cannot } = CONDITION_PATTERNS[id];
    if (cannot !== 'nothing more than the field-code check says') sentences.push(`${CHECK_NAMES[id]} cannot stop ${cannot}.`);
  }
  if (how.checks.some((c) => c.op === 'has_key_not_in'))
    sentences.push(
      'Only the argument names the schema declares may be sent: any other name (PATH beside path, which a Go server matching names without letter case reads as path; __proto__; a key inside an object the schema leaves open) is refused. It cannot stop a server that reads a declared argument in a way its schema does not say.',
    );
  if (how.checks.some((c) => c.op === 'exists' && c.value === true))
    sentences.push(
      'An argument the policy cannot check (an object with no described properties, a list of lists) is refused when sent; leave it out and the call is decided on the rest.',
    );
  return sentences;
}

const CHECK_NAMES: Record<PatternId, string> = {
  path: 'The path check',
  rootedPath: 'The root check',
  shortName: 'The short-name check',
  windowsDevice: 'The device-name check',
  systemFolder: 'The system-folder check',
  url: 'The URL check',
  internalHost: 'The internal-name check',
  command: 'The command check',
  sql: 'The SQL check',
  code: 'The code check',
  fieldCode: 'The field-code check',
  fieldType: 'The field-type check',
  amountText: 'The amount check',
};

/** For a tool that asks for absolute paths: the sentence that says which root to set, or undefined. */
export function rootAdvice(tool: { inputSchema: unknown; description?: string | undefined }, server: string): string | undefined {
  if (!asksForAbsolutePaths(tool)) return undefined;
  return `This tool asks for absolute paths, and the recommended policy allows only relative paths inside the workspace, which the tool may not accept. Set a root, the folder the server may use: npx atlas policy --server ${server} --root /srv/work (your folder in place of /srv/work) writes a bundle that allows absolute paths under it, with the same segment rules.`;
}

export { policyJson } from './json.ts';

/** What a policy does with one tool, in a line: "Hidden", "Denied", or "Allowed, at most 30 calls a minute, with checks on path". */
export function policyAtAGlance(policy: Policy, toolName: string): { action: 'allowed' | 'hidden' | 'denied'; text: string } {
  const how = treatment(policy, toolName);
  if (how.kind === 'hidden') return { action: 'hidden', text: 'Hidden: removed from tools/list, and any call is denied' };
  if (how.kind === 'denied') return { action: 'denied', text: 'Denied: not listed under default deny' };
  if (!how.rule) return { action: 'allowed', text: 'Allowed without conditions' };
  const parts = [how.rule.ask ? 'Allowed once a person approves each call' : 'Allowed'];
  for (const l of how.rule.limits ?? []) parts.push(`at most ${l.max} call${l.max === 1 ? '' : 's'} a ${WINDOW_WORD[l.window]}`);
  const checked = [...new Set(how.checks.filter((c) => c.op !== 'has_key_not_in').map((c) => plainLine(argumentLabel(c.path))))];
  if (checked.length > 0) parts.push(`with checks on ${checked.join(', ')}`);
  return { action: 'allowed', text: parts.join(', ') };
}
