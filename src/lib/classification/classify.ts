import type { AttackId } from '../../schemas/attack.ts';
import { CATEGORIES, CATEGORY_LABELS, RISK_LABELS, maxRisk, type Category, type Risk } from '../../schemas/risk.ts';
import type { Classification, Evidence, McpTool } from '../../schemas/tool.ts';
import { HIDDEN_CLASS_LABELS, decodeTagText, findHidden, type HiddenFinding } from '../text-safety/hidden.ts';
import {
  ARGUMENT_KINDS,
  ARGUMENT_KIND_LABELS,
  COMPOUND_VERBS,
  FINANCIAL_NOUNS,
  LONG_DESCRIPTION,
  OUTPUT_ARGUMENT,
  SEVERE_PATTERN,
  UNTRUSTED_CONTENT_PATTERN,
  DESCRIPTION_PHRASES,
  MODEL_INSTRUCTION_PATTERNS,
  OUTBOUND_VERBS,
  SECRET_PATTERN,
  VERBS,
  type ArgumentKind,
} from './lexicon.ts';
import { firstSentence, verbStems, words } from './words.ts';

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
      const parts = words(name);
      const last = parts[parts.length - 1];
      const kind = last === undefined ? undefined : ARGUMENT_KIND_BY_WORD.get(last);
      const format = isRecord(child) ? child['format'] : undefined;
      const type = isRecord(child) && typeof child['type'] === 'string' ? child['type'] : undefined;
      if (kind) found.push({ path, kind, type });
      else if (format === 'uri' || format === 'url') found.push({ path, kind: 'url', type });
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
 * Classifies one tool from its definition alone. Annotations are weighed as hints:
 * they never lower the category the name and description point to, and where they
 * disagree the disagreement is recorded as a conflict.
 */
export function classifyTool(tool: ToolDefinition): Classification {
  const evidence: Evidence[] = [];
  const scores: Record<Category, number> = { read: 0, write: 0, execute: 0, destructive: 0, financial: 0 };
  const vote = (category: Category, weight: number) => {
    scores[category] += weight;
  };

  // 1. Verbs in the name: the first verb is the strongest signal.
  const nameWords = words(tool.name);
  let nameVerb: { verb: string; category: Category } | undefined;
  let previousWasVerb = false;
  for (const word of nameWords) {
    if (word === 'and' || word === 'or' || word === 'then') continue;
    const hit = verbCategory(word);
    const compound: boolean = previousWasVerb && hit !== undefined && COMPOUND_VERBS.has(hit.verb);
    previousWasVerb = hit !== undefined && (nameVerb === undefined || compound);
    if (!hit) continue;
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

  const moneyNoun = nameWords.find((word) => FINANCIAL_NOUNS.has(word));
  if (moneyNoun && nameVerb && nameVerb.category !== 'read') {
    vote('financial', 4);
    evidence.push({
      kind: 'name',
      match: moneyNoun,
      detail: `The name acts on ${quote(moneyNoun)}, which moves money.`,
      suggests: 'financial',
    });
  }

  // 2. The description: its leading verb, then known phrases.
  const description = tool.description ?? '';
  const lead = firstSentence(description);
  const leadWord = words(lead)[0];
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

  // 3. Dangerous arguments.
  const args = findDangerousArguments(tool.inputSchema);
  const argKinds = new Set(args.map((arg) => arg.kind));
  for (const arg of args) {
    evidence.push({
      kind: 'argument',
      match: arg.path,
      detail: `The argument ${quote(arg.path)} takes ${ARGUMENT_KIND_LABELS[arg.kind]}.`,
      ...(arg.kind === 'command' ? { suggests: 'execute' as const } : {}),
      ...(arg.kind === 'amount' ? { suggests: 'financial' as const } : {}),
    });
    if (arg.kind === 'command') vote('execute', 1.5);
    if (arg.kind === 'amount') vote('financial', 1);
  }

  // 4. Annotations: hints from the server.
  const hints = tool.annotations ?? {};
  if (hints.destructiveHint === true && hints.readOnlyHint !== true) {
    vote('destructive', 2);
    evidence.push({
      kind: 'annotation',
      match: 'destructiveHint: true',
      detail: 'The server marks it destructive (destructiveHint).',
      suggests: 'destructive',
    });
  }
  if (hints.readOnlyHint === true) {
    vote('read', 1.5);
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

  // 5. Decide the category: highest score; ties go to the more severe category.
  const ranked = [...CATEGORIES].sort((a, b) => scores[b] - scores[a] || SEVERITY[b] - SEVERITY[a]);
  const top = ranked[0]!;
  const noSignal = scores[top] === 0;
  let category: Category = noSignal ? 'read' : top;
  if (noSignal) {
    evidence.push({ kind: 'default', match: '', detail: 'No verb, phrase, argument or annotation pointed to a side effect.' });
  }
  // Effects the name understates: a "compare" that saves a file writes; a "save" that overwrites destroys.
  const outputArg = args.find((arg) => arg.kind === 'path' && OUTPUT_ARGUMENT.test(arg.path.split('.').pop() ?? ''));
  if (category === 'read' && outputArg) {
    category = 'write';
    evidence.push({
      kind: 'argument',
      match: outputArg.path,
      detail: `It writes its result to a path the caller chooses (${quote(outputArg.path)}).`,
      suggests: 'write',
    });
  }
  if (category === 'write' && evidence.some((e) => e.kind === 'description' && /overwrit/i.test(e.match))) {
    category = 'destructive';
  }

  // 6. Risk from category and reach.
  const secrets = SECRET_PATTERN.exec(`${tool.name} ${description}`);
  const outbound = nameWords.some((word) => verbStems(word).some((stem) => OUTBOUND_VERBS.has(stem)));
  const touchesFiles = argKinds.has('path') || /\bfiles?\b|\bdisk\b|\bfilesystem\b/i.test(description);
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
    secrets: secrets?.[0],
    outbound,
    touchesFiles,
    severe: SEVERE_PATTERN.test(`${nameWords.join(' ')} ${lead}`),
    openWorld: hints.openWorldHint === true,
    untrustedContent: Boolean(untrustedContent),
  });
  let risk = baseRisk;

  // 7. Annotations that contradict the evidence.
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

  // 8. Tool poisoning: hidden characters and instructions aimed at the model.
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

  // 9. Confidence: how clearly the winning category beats the runner-up.
  const runnerUp = ranked.find((c) => c !== category) ?? category;
  const margin = scores[category] - scores[runnerUp];
  const confidence = noSignal
    ? 0.3
    : category !== top
      ? 0.6
      : round2(Math.min(0.95, 0.45 + 0.5 * (margin / Math.max(scores[category], 1)) + (scores[category] >= 3 ? 0.1 : 0)));

  const rationale = buildRationale({
    tool,
    category,
    risk,
    riskReason,
    evidence,
    conflicts,
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

  return { category, risk, confidence, rationale, evidence, conflicts, attackPatterns };
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
  secrets: string | undefined;
  outbound: boolean;
  touchesFiles: boolean;
  severe: boolean;
  openWorld: boolean;
  untrustedContent: boolean;
}

function riskFor(category: Category, reach: Reach): { risk: Risk; reason: string } {
  const { argKinds } = reach;
  switch (category) {
    case 'read':
      if (reach.secrets)
        return {
          risk: 'high',
          reason: `it can return secrets (${quote(reach.secrets)}), which an injected prompt can then send elsewhere`,
        };
      if (argKinds.has('path') && reach.openWorld)
        return {
          risk: 'high',
          reason:
            'it reads files chosen by the caller and reaches outside systems, so private data and an outbound channel meet in one call',
        };
      if (argKinds.has('path'))
        return {
          risk: 'medium',
          reason: 'the caller chooses which file it reads, so a prompt-injected call can read files it was never meant to',
        };
      if (argKinds.has('url'))
        return {
          risk: 'medium',
          reason: 'the caller chooses the URL it fetches, which can reach internal services or carry data out in the address',
        };
      if (reach.untrustedContent)
        return {
          risk: 'medium',
          reason:
            'it returns content written by outsiders (web pages, mail, search results), which can carry instructions the model may follow',
        };
      if (reach.openWorld)
        return {
          risk: 'medium',
          reason: 'it sends its input to outside systems and returns their content, which the model then reads as context',
        };
      return { risk: 'low', reason: 'it only returns data, though even reads get a limit against runaway loops' };
    case 'write':
      if (reach.outbound || argKinds.has('recipient'))
        return { risk: 'high', reason: 'it sends data out, so an injected prompt can use it to exfiltrate what the agent can read' };
      if (argKinds.has('credential'))
        return { risk: 'high', reason: 'it takes a credential as an argument, which puts a secret within reach of the model' };
      if (argKinds.has('path') || argKinds.has('url'))
        return {
          risk: 'medium',
          reason: `the caller chooses ${argKinds.has('path') ? 'the path it writes to' : 'the URL it acts on'}, so the change can land outside what the user intended`,
        };
      return { risk: 'medium', reason: 'its changes persist beyond the conversation' };
    case 'execute':
      if (argKinds.has('command'))
        return {
          risk: 'critical',
          reason: 'it runs a shell command the caller supplies: command injection gives an attacker the server’s full authority',
        };
      if (argKinds.has('code') || argKinds.has('sql'))
        return {
          risk: 'high',
          reason: `it runs ${argKinds.has('sql') ? 'a query' : 'code'} the caller supplies, so an injected prompt chooses what runs`,
        };
      return { risk: 'medium', reason: 'it starts work on the server, though the definition shows no argument that carries code' };
    case 'destructive':
      if (reach.severe)
        return { risk: 'critical', reason: 'it deletes permanently or in bulk (recursively, whole databases), with no undo' };
      if (reach.touchesFiles || reach.openWorld)
        return {
          risk: 'high',
          reason: `it deletes or overwrites ${reach.touchesFiles ? 'files' : 'data in outside systems'}, and a gateway cannot undo that`,
        };
      return { risk: 'medium', reason: 'it deletes or discards data, though within the server’s own working state' };
    case 'financial':
      if (argKinds.has('amount')) return { risk: 'critical', reason: 'it moves money in an amount the caller chooses' };
      return { risk: 'high', reason: 'it commits money or a purchase on the user’s behalf' };
  }
}

function buildRationale(input: {
  tool: ToolDefinition;
  category: Category;
  risk: Risk;
  riskReason: string;
  evidence: Evidence[];
  conflicts: string[];
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
    sentences.push(`Classified as ${CATEGORY_LABELS[category]} because ${reasons.join(', and ') || 'of the weight of the evidence'}.`);
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
