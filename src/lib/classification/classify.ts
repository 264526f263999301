import type { AttackId } from '../../schemas/attack.ts';
import { CATEGORIES, CATEGORY_LABELS, RISK_LABELS, maxRisk, type Category, type Risk } from '../../schemas/risk.ts';
import type { Classification, Evidence, McpTool } from '../../schemas/tool.ts';
import { HIDDEN_CLASS_LABELS, decodeTagText, findHidden, type HiddenFinding } from '../text-safety/hidden.ts';
import {
  ACTION_ARGUMENTS,
  ACTIVE_TARGET_PATTERN,
  ARGUMENT_KINDS,
  ARGUMENT_KIND_LABELS,
  BOOKKEEPING_OBJECTS,
  BOOKKEEPING_SWITCH_VERBS,
  CODE_IDENTIFIER_QUALIFIERS,
  COMPOUND_VERBS,
  DESCRIPTION_PHRASES,
  DESTRUCTIVE_FLAG_WORDS,
  ENDED_OBJECTS,
  ENDING_VERBS,
  EPHEMERAL_OBJECTS,
  FINANCIAL_NOUNS,
  IRREVERSIBLE_PATTERN,
  KEEPS_CONTENT_PATTERN,
  LONG_DESCRIPTION,
  MODEL_CALL_PATTERN,
  MODEL_INSTRUCTION_PATTERNS,
  MONEY_DESTINATION_WORDS,
  MONEY_MOVING_PATTERN,
  MONEY_VERBS,
  OUTBOUND_VERBS,
  OUTPUT_ARGUMENT,
  PROMPT_ARGUMENTS,
  QUERY_LANGUAGE_PATTERN,
  REPORT_OBJECTS,
  REPORT_VERBS,
  REVISION_FINALISING_VERBS,
  REVISION_OBJECTS,
  RUNS_CODE_PATTERN,
  SECRET_PATTERN,
  TRACKED_CHANGE_PATTERN,
  UNTRUSTED_CONTENT_PATTERN,
  VERBS,
  WHOLESALE_OVERWRITE_PATTERN,
  type ArgumentKind,
} from './lexicon.ts';
import { failClosedTreatment, type ServerContext, type SevereReading } from './fail-closed.ts';
import { firstSentence, verbObject, verbStems, words } from './words.ts';

/** The definition fields the classifier reads. */
export type ToolDefinition = Pick<McpTool, 'name' | 'title' | 'description' | 'inputSchema' | 'annotations'>;

const VERB_CATEGORY = new Map<string, Category>();
// Severity order: a verb listed under several categories counts as the most severe.
for (const category of ['financial', 'destructive', 'execute', 'write', 'read'] as const) {
  for (const verb of VERBS[category]) if (!VERB_CATEGORY.has(verb)) VERB_CATEGORY.set(verb, category);
}

const SEVERITY: Record<Category, number> = { read: 0, write: 1, execute: 2, destructive: 3, financial: 4 };

function verbCategory(word: string): { verb: string; category: Category } | undefined {
  for (const stem of verbStems(word)) {
    const category = VERB_CATEGORY.get(stem);
    if (category) return { verb: stem, category };
  }
  return undefined;
}

export interface ArgumentFinding {
  /** Dotted path of the argument, e.g. "options.path". */
  path: string;
  kind: ArgumentKind;
  /** The JSON Schema type, when the schema states a single one. */
  type: string | undefined;
}

const ARGUMENT_KIND_BY_WORD = new Map<string, ArgumentKind>();
for (const [kind, names] of Object.entries(ARGUMENT_KINDS) as Array<[ArgumentKind, readonly string[]]>) {
  for (const name of names) ARGUMENT_KIND_BY_WORD.set(name, kind);
}

/** How deep into nested argument schemas we look; schemas can be cyclic or huge. */
const MAX_SCHEMA_DEPTH = 4;
const MAX_ARGUMENTS = 200;

/**
 * The kind of danger one argument carries, from its name (the last word decides: `output_path`
 * is a path) and, for a `query` or an unnamed URL, its schema. The recommender calls this for
 * every property it walks, so the evidence table and the policy read arguments the same way.
 */
export function argumentKindOf(name: string, schema: unknown): ArgumentKind | undefined {
  const parts = words(name);
  const last = parts[parts.length - 1];
  const argDescription = isRecord(schema) && typeof schema['description'] === 'string' ? schema['description'] : '';
  let kind = last === undefined ? undefined : ARGUMENT_KIND_BY_WORD.get(last);
  if (kind === 'code' && parts.length > 1 && CODE_IDENTIFIER_QUALIFIERS.has(parts[parts.length - 2]!)) kind = undefined;
  // A `query` is a search string unless its own description names a query language that can write.
  if (!kind && last === 'query' && QUERY_LANGUAGE_PATTERN.test(argDescription)) kind = 'sql';
  const format = isRecord(schema) ? schema['format'] : undefined;
  if (!kind && (format === 'uri' || format === 'url')) kind = 'url';
  return kind;
}

/** Dangerous arguments of an input schema, found by name (the last word decides: `output_path` is a path). */
export function findDangerousArguments(inputSchema: McpTool['inputSchema']): ArgumentFinding[] {
  const found: ArgumentFinding[] = [];
  let visited = 0;
  const walk = (schema: unknown, prefix: string, depth: number) => {
    if (depth > MAX_SCHEMA_DEPTH || !isRecord(schema)) return;
    const properties = schema['properties'];
    if (!isRecord(properties)) return;
    for (const [name, child] of Object.entries(properties)) {
      if (++visited > MAX_ARGUMENTS) return;
      const path = prefix ? `${prefix}.${name}` : name;
      const kind = argumentKindOf(name, child);
      const type = isRecord(child) && typeof child['type'] === 'string' ? child['type'] : undefined;
      if (kind) found.push({ path, kind, type });
      if (isRecord(child)) {
        walk(child, path, depth + 1);
        if (isRecord(child['items'])) walk(child['items'], path, depth + 1);
      }
    }
  };
  walk(inputSchema, '', 0);
  return found;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

const round2 = (n: number) => Math.round(n * 100) / 100;
const quote = (text: string) => `“${text}”`;

/**
 * Classifies one tool from its definition alone, following the rubric
 * (../shared/docs/classification-rubric.md): the words of the name and description give a
 * first reading, the rubric's conventions settle close cases, and what the definition
 * explicitly offers (flags, action values, code that runs, money) raises the category to the
 * most severe thing it can do. Annotations are hints: they never vote, and where they
 * disagree the disagreement is recorded as a conflict.
 */
export function classifyTool(tool: ToolDefinition, context: ServerContext = {}): Classification {
  const evidence: Evidence[] = [];
  const scores: Record<Category, number> = { read: 0, write: 0, execute: 0, destructive: 0, financial: 0 };
  const vote = (category: Category, weight: number) => {
    scores[category] += weight;
  };

  // 1. Verbs anywhere in the name (verb-last names such as `issue_read` too); the first is the strongest.
  const nameWords = words(tool.name);
  const nameVerbs: Array<{ verb: string; category: Category }> = [];
  let nameVerb: { verb: string; category: Category } | undefined;
  let previousWasVerb = false;
  for (const word of nameWords) {
    if (word === 'and' || word === 'or' || word === 'then') continue;
    const hit = verbCategory(word);
    const compound: boolean = previousWasVerb && hit !== undefined && COMPOUND_VERBS.has(hit.verb);
    previousWasVerb = hit !== undefined && (nameVerb === undefined || compound);
    if (!hit) continue;
    nameVerbs.push(hit);
    // The second verb of a compound (`find_replace`) names the effect that matters.
    const weight = compound ? 8 : nameVerb ? 1 : 3;
    nameVerb ??= hit;
    vote(hit.category, weight);
    evidence.push({
      kind: 'name',
      match: word,
      detail: `The name contains the verb ${quote(hit.verb)}, which ${verbMeaning(hit.category)}.`,
      suggests: hit.category,
    });
  }

  // 2. The description: its leading verb, then known phrases.
  const description = tool.description ?? '';
  const lead = firstSentence(description);
  const leadWords = words(lead);
  const leadWord = leadWords[0];
  const leadVerb = leadWord ? verbCategory(leadWord) : undefined;
  if (leadVerb) {
    vote(leadVerb.category, 2);
    evidence.push({
      kind: 'description',
      match: lead.slice(0, 120),
      detail: `The description opens with ${quote(leadWord!)}, which ${verbMeaning(leadVerb.category)}.`,
      suggests: leadVerb.category,
    });
  }
  for (const phrase of DESCRIPTION_PHRASES) {
    const match = phrase.pattern.exec(description);
    if (!match) continue;
    vote(phrase.suggests, phrase.weight);
    evidence.push({
      kind: 'description',
      match: match[0].slice(0, 120),
      detail: `The description ${phrase.why}: ${quote(match[0].trim().slice(0, 120))}.`,
      suggests: phrase.suggests,
    });
  }

  // 3. Dangerous arguments (they inform risk and the policy; execution and money are decided below).
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

  // 4. The category the words point to: highest score; ties go to the more severe category.
  const ranked = [...CATEGORIES].sort((a, b) => scores[b] - scores[a] || SEVERITY[b] - SEVERITY[a]);
  const top = ranked[0]!;
  const noSignal = scores[top] === 0;
  let category: Category = noSignal ? 'read' : top;
  /** Rubric conventions that moved the category away from what the words alone say. */
  const settled: string[] = [];
  const settle = (to: Category, match: string, why: string) => {
    if (to === category) return;
    category = to;
    settled.push(why);
    evidence.push({ kind: 'convention', match, detail: why, suggests: to });
  };
  if (noSignal) {
    evidence.push({ kind: 'default', match: '', detail: 'No verb, phrase, argument or annotation pointed to a side effect.' });
  }
  const nameAndLead = [...nameWords, ...leadWords];
  // What the tool acts on: the objects of the name's verbs and of the description's leading verb
  // (the whole name when it has no verb). Conventions that lower a category check these words only.
  const actedOn: string[] = [];
  nameWords.forEach((word, index) => {
    if (!verbCategory(word)) return;
    const object = verbObject(nameWords, index);
    // A verb-last name (`issue_read`, `usage_stats`) acts on the words before its verb.
    actedOn.push(...(object.length > 0 ? object : nameWords.slice(0, index)));
  });
  if (nameVerbs.length === 0) actedOn.push(...nameWords);
  if (leadVerb) actedOn.push(...verbObject(leadWords, 0));

  // 5. Conventions that settle close cases (../shared/docs/classification-rubric.md).
  // Execution needs code the caller supplies: "execute a prompt technique" runs nothing.
  const codeArgument = args.find(
    (arg) =>
      (arg.kind === 'code' || arg.kind === 'command' || arg.kind === 'sql') &&
      (arg.type === undefined || arg.type === 'string' || arg.type === 'array' || arg.type === 'object'),
  );
  const runsCodePhrase = DESCRIPTION_PHRASES.filter((p) => p.suggests === 'execute').some((p) => p.pattern.test(description));
  const saysItRuns = category === 'execute' || nameVerbs.some((v) => v.category === 'execute') || leadVerb?.category === 'execute';
  const codeThatRuns =
    codeArgument && (saysItRuns || runsCodePhrase || RUNS_CODE_PATTERN.test(argumentDescription(properties, codeArgument.path)));
  const modelCall =
    MODEL_CALL_PATTERN.test(`${nameWords.join(' ')} ${description.slice(0, 400)}`) &&
    Object.keys(properties).some((name) => words(name).some((word) => PROMPT_ARGUMENTS.has(word)));

  if (category === 'execute' && !codeThatRuns && !runsCodePhrase) {
    settle(
      modelCall ? 'read' : 'write',
      nameVerb?.verb ?? '',
      modelCall
        ? 'It sends a request to a model and returns its answer; nothing in its arguments is code that runs, so it is a Read.'
        : 'Its verb says it runs something, but no argument carries code, a command or a query, so it starts work rather than executing caller code.',
    );
  }
  if (category === 'write' && modelCall && !argKinds.has('recipient') && !nameVerbs.some((v) => OUTBOUND_VERBS.has(v.verb))) {
    const writesFile = properties && args.some((arg) => arg.kind === 'path' && OUTPUT_ARGUMENT.test(arg.path.split('.').pop() ?? ''));
    if (!writesFile)
      settle('read', nameVerb?.verb ?? '', 'It asks a model for text and returns it; the answer changes nothing until someone acts on it.');
  }
  // Convention 2: the server's own bookkeeping (capture on/off, the active page) is a Read.
  const bookkeepingSwitch =
    nameVerbs.some((v) => BOOKKEEPING_SWITCH_VERBS.has(v.verb)) && actedOn.some((word) => BOOKKEEPING_OBJECTS.has(word));
  const activeTarget = ACTIVE_TARGET_PATTERN.exec(lead);
  if ((category === 'write' || category === 'destructive') && (bookkeepingSwitch || activeTarget)) {
    settle(
      'read',
      activeTarget?.[0] ?? nameWords.join(' '),
      'It only changes the server’s own bookkeeping (what it captures, or which page later calls target), not the world (rubric, convention 2).',
    );
  }
  // Convention 4: a Read tool that saves its own output (a report, log or screenshot) stays Read.
  if (
    category === 'write' &&
    nameWords.some((word) => REPORT_VERBS.has(word)) &&
    nameWords.some((word) => REPORT_OBJECTS.has(word)) &&
    !nameVerbs.some((v) => v.verb === 'export' || v.verb === 'write')
  ) {
    settle(
      'read',
      nameWords.join(' '),
      'It produces a report of what is already there; saving its own output keeps it a Read (rubric, convention 4).',
    );
  }
  if (category === 'write' && (nameVerb ?? leadVerb)?.verb === 'export' && /\bas (an? )?(\w+ )?string\b/i.test(lead)) {
    settle('read', lead, 'It exports to a string it returns, writing nothing.');
  }
  // Finalising revisions throws away the alternative text and its history for good.
  const revision = nameVerbs.find((v) => REVISION_FINALISING_VERBS.has(v.verb)) && nameAndLead.some((w) => REVISION_OBJECTS.has(w));
  if (revision && category !== 'financial' && category !== 'execute') {
    settle(
      'destructive',
      nameWords.join(' '),
      'Accepting, rejecting or flattening tracked changes discards text and its revision record for good (rubric, convention 1).',
    );
  }
  // Convention 11: ending a process, session or connection loses only running state.
  const endsRunningState =
    [...nameVerbs, ...(leadVerb ? [leadVerb] : [])].some((v) => ENDING_VERBS.has(v.verb)) &&
    actedOn.some((word) => ENDED_OBJECTS.has(word));
  if (category === 'destructive' && endsRunningState && !IRREVERSIBLE_PATTERN.test(description)) {
    settle(
      'write',
      nameWords.join(' '),
      'It ends a process, session or connection, which loses only running state: a Write (rubric, convention 11).',
    );
  }
  if (category === 'destructive' && !revision) {
    const ephemeral = actedOn.find((word) => EPHEMERAL_OBJECTS.has(word));
    const keeps = KEEPS_CONTENT_PATTERN.exec(description);
    const tracked = TRACKED_CHANGE_PATTERN.exec(description);
    const trackingCanBeOff = Object.keys(properties).some((name) => /^track(ed|_?changes)?$/i.test(name));
    if (keeps) settle('write', keeps[0], `It removes a wrapper and keeps what was inside (${quote(keeps[0])}): a change, not a loss.`);
    else if (tracked && !trackingCanBeOff)
      settle('write', tracked[0], 'The deletion is recorded as a tracked change a reviewer can reject, so nothing is lost for good.');
    else if (ephemeral && !IRREVERSIBLE_PATTERN.test(description))
      settle(
        'write',
        ephemeral,
        `What it clears (${quote(ephemeral)}) is temporary or derived state that can be rebuilt, so it is a Write, not Destructive (rubric, conventions 2 and 3).`,
      );
  }

  // 6. What the definition explicitly offers raises the category, whatever the main purpose.
  if (category === 'write' || category === 'destructive') {
    for (const [name, schema] of Object.entries(properties)) {
      const flagWords = words(name);
      if (!isRecord(schema) || schema['type'] !== 'boolean') continue;
      const destroys = flagWords.find((word) => DESTRUCTIVE_FLAG_WORDS.has(word));
      if (destroys && !flagWords.includes('dry')) {
        evidence.push({
          kind: 'argument',
          match: name,
          detail: `The flag ${quote(name)} makes the call ${destroys === 'archived' || destroys === 'archive' || destroys.startsWith('trash') ? 'archive or trash (delete)' : 'delete or overwrite'} what it touches.`,
          suggests: 'destructive',
        });
        settle('destructive', name, `It offers a flag, ${quote(name)}, that deletes or overwrites; the most severe option decides.`);
      }
      if (/^track(ed|_?changes)?$/i.test(name) && nameVerbs.some((v) => v.category === 'destructive') && category !== 'destructive') {
        settle('destructive', name, `With ${quote(`${name}: false`)} the deletion is not tracked, so it cannot be undone.`);
      }
    }
  }
  for (const [name, schema] of Object.entries(properties)) {
    if (!ACTION_ARGUMENTS.has(words(name).pop() ?? '') || !isRecord(schema) || !Array.isArray(schema['enum'])) continue;
    for (const value of schema['enum']) {
      if (typeof value !== 'string') continue;
      const hit = words(value)
        .map((word) => verbCategory(word))
        .find((h) => h !== undefined);
      if (!hit || SEVERITY[hit.category] <= SEVERITY[category]) continue;
      // A model call's "fix" or "generate" comes back as text; only loss or money would count.
      if (modelCall && SEVERITY[hit.category] < SEVERITY.destructive) continue;
      let offered: Category = hit.category === 'execute' && !codeArgument ? 'write' : hit.category;
      if (offered === 'destructive' && actedOn.some((word) => EPHEMERAL_OBJECTS.has(word))) offered = 'write';
      evidence.push({
        kind: 'argument',
        match: `${name}: ${value}`,
        detail: `Its ${quote(name)} argument offers ${quote(value)}, which ${verbMeaning(hit.category)}.`,
        suggests: offered,
      });
      if (SEVERITY[offered] > SEVERITY[category])
        settle(
          offered,
          `${name}: ${value}`,
          `One of the actions it offers, ${quote(value)}, is ${CATEGORY_LABELS[offered]}; the most severe option decides.`,
        );
    }
  }
  if (category !== 'read' && category !== 'financial' && category !== 'destructive' && codeThatRuns) {
    settle(
      'execute',
      codeArgument.path,
      `Its ${quote(codeArgument.path)} argument takes ${ARGUMENT_KIND_LABELS[codeArgument.kind]} that it runs.`,
    );
  }
  if (category === 'read' && codeThatRuns && saysItRuns) {
    settle(
      'execute',
      codeArgument.path,
      `Its ${quote(codeArgument.path)} argument takes ${ARGUMENT_KIND_LABELS[codeArgument.kind]} that it runs.`,
    );
  }
  const irreversible = IRREVERSIBLE_PATTERN.exec(description);
  if (
    (category === 'write' || category === 'execute') &&
    irreversible &&
    !/\bnot\b[^.]{0,20}$/i.test(description.slice(0, irreversible.index))
  ) {
    settle('destructive', irreversible[0], `The description says the effect is permanent (${quote(irreversible[0])}).`);
  }
  const wholesale = WHOLESALE_OVERWRITE_PATTERN.exec(description);
  if (category === 'write' && wholesale && !TRACKED_CHANGE_PATTERN.test(description) && !/\bcells?\b|\bparagraphs?\b/i.test(wholesale[0])) {
    settle(
      'destructive',
      wholesale[0],
      `It overwrites wholesale (the description says ${quote(wholesale[0])}), and the old content is gone (rubric, convention 1).`,
    );
  }

  // 7. Money: moving it, never reading about it.
  const readsMoney = nameVerb?.category === 'read' || (leadVerb?.category === 'read' && !nameVerb);
  const moneyVerb = nameVerbs.find((v) => MONEY_VERBS.has(v.verb));
  const moneyNoun = nameWords.find((word) => FINANCIAL_NOUNS.has(word));
  const amountArg = args.find((arg) => arg.kind === 'amount');
  const destinationArg = Object.keys(properties).find((name) => words(name).some((word) => MONEY_DESTINATION_WORDS.has(word)));
  const moneyPhrase = MONEY_MOVING_PATTERN.exec(description);
  if (!readsMoney) {
    const money =
      moneyVerb !== undefined
        ? `the name’s verb ${quote(moneyVerb.verb)} moves money`
        : moneyNoun && nameVerb
          ? `the name ${quote(nameVerb.verb)}s ${quote(moneyNoun)}`
          : amountArg && (destinationArg || argKinds.has('recipient'))
            ? `it takes an amount (${quote(amountArg.path)}) and where it goes (${quote(destinationArg ?? 'recipient')})`
            : moneyPhrase && nameVerb && nameVerb.category !== 'read'
              ? `the description says it ${quote(moneyPhrase[0])}`
              : undefined;
    if (money) {
      evidence.push({
        kind: 'name',
        match: moneyVerb?.verb ?? moneyNoun ?? amountArg?.path ?? moneyPhrase?.[0] ?? '',
        detail: `It moves money: ${money}.`,
        suggests: 'financial',
      });
      settle(
        'financial',
        moneyVerb?.verb ?? moneyNoun ?? amountArg?.path ?? '',
        `It moves money or incurs a charge on purpose: ${money} (rubric, convention 7).`,
      );
    }
  }

  // 8. Fail closed (convention 13): readings more severe than the category, from the name, the
  // description and the annotations. The category stays the best judgement; the policy uses these.
  const hints = tool.annotations ?? {};
  const readings: SevereReading[] = [];
  // A removal the rubric itself defines by its object (a captured buffer, a wrapper that keeps its
  // content, a tracked deletion, an ending process) is not a delete however the verb reads.
  const definedByItsObject =
    actedOn.some((word) => EPHEMERAL_OBJECTS.has(word)) ||
    endsRunningState ||
    KEEPS_CONTENT_PATTERN.test(description) ||
    (TRACKED_CHANGE_PATTERN.test(description) && !Object.keys(properties).some((name) => /^track(ed|_?changes)?$/i.test(name)));
  const severeNameVerb = nameVerbs.find((v) => v.category === 'destructive');
  if (severeNameVerb && !definedByItsObject) {
    readings.push({
      category: 'destructive',
      reason: `Its name says ${quote(severeNameVerb.verb)}, and no convention names what it removes as temporary.`,
    });
  }
  if (leadVerb?.category === 'destructive' && !definedByItsObject) {
    readings.push({ category: 'destructive', reason: `Its description opens with ${quote(leadWord!)}.` });
  }
  const moneyNameVerb = nameVerbs.find((v) => MONEY_VERBS.has(v.verb));
  if (moneyNameVerb) readings.push({ category: 'financial', reason: `Its name says ${quote(moneyNameVerb.verb)}, which moves money.` });
  if (hints.destructiveHint === true && !context.destructiveHintOnEveryChangingTool) {
    readings.push({
      category: 'destructive',
      reason:
        'The server annotates it destructiveHint: true, more danger than the definition shows; the hint holds until a person checks it.',
    });
  }
  const treatment = failClosedTreatment(category, readings);

  // 9. Annotations: hints from an untrusted server. They never vote; they show agreement or a conflict.
  if (hints.destructiveHint === true) {
    evidence.push({
      kind: 'annotation',
      match: 'destructiveHint: true',
      detail: 'The server marks it destructive (destructiveHint), a hint checked against the definition.',
      suggests: 'destructive',
    });
  }
  if (hints.readOnlyHint === true) {
    evidence.push({
      kind: 'annotation',
      match: 'readOnlyHint: true',
      detail: 'The server marks it read-only (readOnlyHint), a claim the classifier checks against the rest of the definition.',
      suggests: 'read',
    });
  }
  if (hints.openWorldHint === true) {
    evidence.push({
      kind: 'annotation',
      match: 'openWorldHint: true',
      detail: 'The server says it reaches an open world of outside systems (openWorldHint).',
    });
  }

  // 9. Risk, as the rubric sets it for each category.
  const secrets = SECRET_PATTERN.exec(`${nameWords.join(' ')} ${lead}`);
  const outbound = nameWords.some((word) => verbStems(word).some((stem) => OUTBOUND_VERBS.has(stem)));
  const untrustedContent = UNTRUSTED_CONTENT_PATTERN.exec(`${nameWords.join(' ')} ${lead}`);
  if (untrustedContent && category === 'read') {
    evidence.push({
      kind: 'description',
      match: untrustedContent[0],
      detail: `It returns content from outside (${quote(untrustedContent[0])}), written by whoever controls that source.`,
    });
  }
  const { risk: baseRisk, reason: riskReason } = riskFor(category, {
    argKinds,
    secrets: category === 'read' ? secrets?.[0] : undefined,
    outbound,
    untrustedContent: Boolean(untrustedContent),
  });
  let risk = baseRisk;

  // 10. Annotations that contradict the evidence.
  const conflicts: string[] = [];
  if (hints.readOnlyHint === true && category !== 'read') {
    conflicts.push(
      `Annotated read-only (readOnlyHint), but the ${nameVerb && nameVerb.category === category ? `name's verb ${quote(nameVerb.verb)}` : 'definition'} says it is ${CATEGORY_LABELS[category]}.`,
    );
  }
  if (hints.readOnlyHint === true && secrets) {
    conflicts.push(`Annotated read-only, which reads as harmless, but it exposes ${quote(secrets[0])}: reading secrets is how they leak.`);
  }
  if (hints.readOnlyHint === true && hints.destructiveHint === true) {
    conflicts.push('Annotated both read-only and destructive: the hints contradict each other.');
  }
  if (hints.destructiveHint === false && category === 'destructive') {
    conflicts.push('Annotated non-destructive (destructiveHint: false), but the definition says it deletes or overwrites.');
  }
  if (hints.openWorldHint === false && argKinds.has('url')) {
    conflicts.push('Annotated closed-world (openWorldHint: false), but it takes a URL argument.');
  }
  for (const conflict of conflicts) evidence.push({ kind: 'conflict', match: '', detail: conflict });

  // 11. Tool poisoning: hidden characters and instructions aimed at the model.
  const hidden = findHiddenInDefinition(tool);
  const instructions = findModelInstructions(tool);
  for (const { field, findings, decoded } of hidden) {
    const names = findings.map((f) => `${f.label}${f.count > 1 ? ` ×${f.count}` : ''}`).join(', ');
    evidence.push({
      kind: 'hidden-characters',
      match: names,
      detail: `The ${field} hides ${[...new Set(findings.map((f) => HIDDEN_CLASS_LABELS[f.class]))].join(', ')}: ${names}${decoded ? `; the tag characters spell ${quote(decoded)}` : ''}.`,
    });
  }
  for (const { field, match, why } of instructions) {
    evidence.push({ kind: 'model-instruction', match, detail: `The ${field} ${why}: ${quote(match)}.` });
  }
  const oversized = description.length > LONG_DESCRIPTION;
  if (oversized) {
    evidence.push({
      kind: 'description',
      match: `${description.length} characters`,
      detail: `The description runs to ${description.length.toLocaleString('en')} characters, far more than a tool needs: a long description can bury instructions a reviewer will not read.`,
    });
    risk = maxRisk(risk, 'medium');
  }
  const poisoned = hidden.length > 0 || instructions.length > 0;
  if (poisoned)
    risk = maxRisk(
      risk,
      hidden.some((h) => h.findings.some((f) => f.class === 'tag' || f.class === 'bidi' || f.class === 'ansi-escape')) ||
        instructions.length > 0
        ? 'critical'
        : 'high',
    );

  // 12. Disagreement and confidence: how much of the evidence points the same way.
  const disagreements = findDisagreements(evidence, category);
  // Each independent source (name, description, arguments, a rubric convention) that points to the
  // category adds confidence; each that points elsewhere takes some away.
  const supporting = new Set(evidence.filter((e) => e.suggests === category && e.kind !== 'annotation').map((e) => e.kind));
  let confidence = noSignal ? 0.3 : 0.45 + 0.2 * Math.min(supporting.size, 3) - 0.1 * disagreements.length;
  const annotationAgrees =
    (hints.readOnlyHint === true && category === 'read') || (hints.destructiveHint === true && category === 'destructive');
  if (annotationAgrees) confidence += 0.05;
  if (conflicts.length > 0) confidence = Math.min(confidence, 0.55);
  confidence = round2(Math.min(0.95, Math.max(0.1, confidence)));

  const rationale = buildRationale({
    tool,
    category,
    risk,
    riskReason,
    evidence,
    conflicts,
    settled,
    hidden: hidden.length > 0,
    instructions: instructions.length > 0,
    noSignal,
  });
  const attackPatterns = attackPatternsFor({
    category,
    argKinds,
    secrets: Boolean(secrets),
    outbound,
    openWorld: hints.openWorldHint === true,
    // Contradicting annotations and a buried wall of text are both ways to mislead a reviewer.
    conflicts: conflicts.length > 0 || oversized,
    untrustedContent: category === 'read' && Boolean(untrustedContent),
    hidden,
    instructions,
  });

  return { category, risk, confidence, rationale, evidence, conflicts, disagreements, attackPatterns, ...(treatment ? { treatment } : {}) };
}

/** Top-level argument schemas, by name. */
function topLevelProperties(inputSchema: McpTool['inputSchema']): Record<string, unknown> {
  return isRecord(inputSchema.properties) ? inputSchema.properties : {};
}

function argumentDescription(properties: Record<string, unknown>, path: string): string {
  const schema = properties[path.split('.')[0] ?? ''];
  return isRecord(schema) && typeof schema['description'] === 'string' ? schema['description'] : '';
}

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

function verbMeaning(category: Category): string {
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

interface Reach {
  argKinds: ReadonlySet<ArgumentKind>;
  /** Set only for a Read whose purpose or output is secrets. */
  secrets: string | undefined;
  outbound: boolean;
  untrustedContent: boolean;
}

/**
 * Risk follows the rubric: Read is Low (Medium when it returns secrets), Write Medium,
 * Execute High, Destructive and Financial Critical. The reason names what in the
 * definition makes the risk concrete; poisoning can raise it further.
 */
function riskFor(category: Category, reach: Reach): { risk: Risk; reason: string } {
  const { argKinds } = reach;
  switch (category) {
    case 'read':
      if (reach.secrets)
        return {
          risk: 'medium',
          reason: `it returns secrets (${quote(reach.secrets)}), which an injected prompt can then send elsewhere`,
        };
      if (argKinds.has('path'))
        return {
          risk: 'low',
          reason: 'it changes nothing, though the caller chooses which file it reads, so keep it to the files the task needs',
        };
      if (argKinds.has('url'))
        return {
          risk: 'low',
          reason: 'it changes nothing, though the caller chooses the URL it fetches, which can reach internal services',
        };
      if (reach.untrustedContent)
        return {
          risk: 'low',
          reason: 'it changes nothing, though it returns content written by outsiders, which can carry instructions the model may follow',
        };
      return { risk: 'low', reason: 'it only returns data, though even reads get a limit against runaway loops' };
    case 'write':
      if (reach.outbound || argKinds.has('recipient'))
        return {
          risk: 'medium',
          reason: 'its changes persist, and it sends data out, so an injected prompt can use it to exfiltrate what the agent can read',
        };
      if (argKinds.has('path') || argKinds.has('url'))
        return {
          risk: 'medium',
          reason: `its changes persist, and the caller chooses ${argKinds.has('path') ? 'the path it writes to' : 'the URL it acts on'}, so the change can land outside what the user intended`,
        };
      return { risk: 'medium', reason: 'its changes persist beyond the conversation, though they can be reversed' };
    case 'execute':
      if (argKinds.has('command'))
        return {
          risk: 'high',
          reason: 'it runs a shell command the caller supplies: command injection gives an attacker the server’s full authority',
        };
      return {
        risk: 'high',
        reason: `it runs ${argKinds.has('sql') ? 'a query' : 'code'} the caller supplies, so an injected prompt chooses what runs`,
      };
    case 'destructive':
      return { risk: 'critical', reason: 'it deletes or overwrites, and neither the agent nor a gateway can undo that' };
    case 'financial':
      return {
        risk: 'critical',
        reason: argKinds.has('amount')
          ? 'it moves money in an amount the caller chooses'
          : 'it moves money or incurs a charge on the user’s behalf',
      };
  }
}

function buildRationale(input: {
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

function attackPatternsFor(input: {
  category: Category;
  argKinds: ReadonlySet<ArgumentKind>;
  secrets: boolean;
  outbound: boolean;
  openWorld: boolean;
  conflicts: boolean;
  untrustedContent: boolean;
  hidden: Array<{ findings: HiddenFinding[] }>;
  instructions: ModelInstructionFinding[];
}): AttackId[] {
  const ids = new Set<AttackId>();
  const { argKinds } = input;
  if (input.category === 'execute' || argKinds.has('command') || argKinds.has('sql')) ids.add('mcp05');
  if (input.category === 'execute') ids.add('denial-of-wallet');
  if (input.category === 'destructive') {
    ids.add('mcp02');
    ids.add('consent-fatigue');
  }
  if (input.category === 'financial') {
    ids.add('denial-of-wallet');
    ids.add('confused-deputy');
    ids.add('consent-fatigue');
  }
  if (input.secrets) ids.add('mcp01');
  if (argKinds.has('credential')) {
    ids.add('mcp01');
    ids.add('confused-deputy');
  }
  if (argKinds.has('url') || input.outbound || argKinds.has('recipient')) ids.add('argument-exfiltration');
  if (input.openWorld || argKinds.has('url') || input.untrustedContent) ids.add('mcp06');
  if (input.category === 'read' && argKinds.has('path')) ids.add('mcp10');
  if ((input.secrets || argKinds.has('path')) && (input.openWorld || input.outbound || argKinds.has('url'))) ids.add('lethal-trifecta');
  if (input.conflicts) ids.add('mcp03');
  if (input.hidden.length > 0 || input.instructions.length > 0) {
    ids.add('mcp03');
    ids.add('line-jumping');
  }
  if (input.hidden.some((h) => h.findings.some((f) => f.class !== 'ansi-escape'))) ids.add('hidden-unicode');
  if (input.hidden.some((h) => h.findings.some((f) => f.class === 'ansi-escape'))) ids.add('ansi-escape');
  if (input.instructions.some((i) => /tool/i.test(i.match))) ids.add('tool-shadowing');
  return [...ids];
}
