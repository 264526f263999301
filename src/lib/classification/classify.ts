import { CATEGORIES, CATEGORY_LABELS, maxRisk, type Category } from '../../schemas/risk.ts';
import type { Classification, Evidence } from '../../schemas/tool.ts';
import { HIDDEN_CLASS_LABELS } from '../text-safety/hidden.ts';
import {
  ACTION_ARGUMENTS,
  ACTIVE_TARGET_PATTERN,
  ARGUMENT_KIND_LABELS,
  BOOKKEEPING_OBJECTS,
  BOOKKEEPING_SWITCH_VERBS,
  COMPOUND_VERBS,
  CONNECTION_VERBS,
  DEPLOYABLE_ARGUMENTS,
  DEPLOY_VERBS,
  PIPELINE_OBJECTS,
  TRIGGER_VERBS,
  DESCRIPTION_PHRASES,
  DESTRUCTIVE_FLAG_WORDS,
  STATE_FLAG_WORDS,
  ENDED_OBJECTS,
  HTTP_METHODS,
  ENDING_VERBS,
  EPHEMERAL_OBJECTS,
  CHARGE_COMMITTING_VERBS,
  DRAFT_PATTERN,
  FINANCIAL_NOUNS,
  INCURS_CHARGE_PATTERN,
  MONEY_DOCUMENT_NOUNS,
  IRREVERSIBLE_PATTERN,
  KEEPS_CONTENT_PATTERN,
  LONG_DESCRIPTION,
  MODEL_CALL_PATTERN,
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
  SECRET_HEADERS_PATTERN,
  SECRET_PATTERN,
  TRACKED_CHANGE_PATTERN,
  UNTRUSTED_CONTENT_PATTERN,
  WHOLESALE_OVERWRITE_PATTERN,
  WHOLESALE_VERBS,
  WHOLE_OBJECTS,
} from './lexicon.ts';
import { failClosedTreatment, type ServerContext, type SevereReading } from './fail-closed.ts';
import { firstSentence, verbObject, verbStems, words } from './words.ts';

import { discoverArguments, findDangerousArguments, topLevelProperties } from './passes/arguments.ts';
import { attackPatternsFor } from './passes/attacks.ts';
import { findHiddenInDefinition, findModelInstructions } from './passes/poisoning.ts';
import { buildRationale, findDisagreements } from './passes/rationale.ts';
import { riskFor } from './passes/risk.ts';
import { SEVERITY, isRecord, quote, round2, verbCategory, verbMeaning, type ToolDefinition } from './passes/shared.ts';

export { argumentKindOf, findDangerousArguments, type ArgumentFinding } from './passes/arguments.ts';
export { definitionTexts, findHiddenInDefinition, findModelInstructions, type ModelInstructionFinding } from './passes/poisoning.ts';
export { findDisagreements } from './passes/rationale.ts';
export { isRecord, type ToolDefinition } from './passes/shared.ts';

/**
 * Classifies one tool from its definition alone, following the rubric
 * (docs/classification-rubric.md): the words of the name and description give a
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
  for (const [index, word] of nameWords.entries()) {
    if (word === 'and' || word === 'or' || word === 'then') continue;
    // Names use a verb's base form: `logs` and `invoices` in a name are nouns, not "logs" and "invoices".
    const hit = verbCategory(word, { inflected: index === 0 });
    // An HTTP method before another verb is transport (`post_search` searches; rubric, convention 6).
    if (hit && HTTP_METHODS.has(word) && nameWords[index + 1] !== undefined && verbCategory(nameWords[index + 1]!, { inflected: false }))
      continue;
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

  const verbsSaid = [...nameVerbs, ...(leadVerb ? [leadVerb] : [])];

  // 5. Conventions that settle close cases (docs/classification-rubric.md).
  // Execution needs code the caller supplies: "execute a prompt technique" runs nothing.
  const codeArguments = args.filter(
    (arg) =>
      (arg.kind === 'code' || arg.kind === 'command' || arg.kind === 'sql') &&
      (arg.type === undefined || arg.type === 'string' || arg.type === 'array' || arg.type === 'object'),
  );
  const ownDescription = (path: string) => discovered.find((arg) => arg.path === path)?.description ?? '';
  const topDescription = (path: string) => discovered.find((arg) => arg.path === path.split(/[.[]/)[0])?.description ?? '';
  const runsCodePhrase = DESCRIPTION_PHRASES.filter((p) => p.suggests === 'execute').some((p) => p.pattern.test(description));
  const saysItRuns = category === 'execute' || nameVerbs.some((v) => v.category === 'execute') || leadVerb?.category === 'execute';
  // Convention 8: code offered anywhere counts. A nested script or command step (a page action,
  // a container's command) and an aggregation pipeline (which can write with $out) run by what they are.
  const runsByItself = (arg: (typeof codeArguments)[number]) =>
    (arg.path.includes('.') || arg.path.includes('[]')) && !/\bcode$/.test(arg.path.toLowerCase())
      ? true
      : arg.kind === 'sql' && QUERY_LANGUAGE_PATTERN.test(`${words(arg.path).join(' ')} ${ownDescription(arg.path)}`);
  const codeArgument =
    codeArguments.find((arg) => RUNS_CODE_PATTERN.test(ownDescription(arg.path)) || runsByItself(arg)) ?? codeArguments[0];
  const codeThatRuns =
    codeArgument &&
    (saysItRuns ||
      runsCodePhrase ||
      runsByItself(codeArgument) ||
      RUNS_CODE_PATTERN.test(ownDescription(codeArgument.path)) ||
      RUNS_CODE_PATTERN.test(topDescription(codeArgument.path)));
  const modelCall =
    MODEL_CALL_PATTERN.test(`${nameWords.join(' ')} ${description.slice(0, 400)}`) &&
    Object.keys(properties).some((name) => words(name).some((word) => PROMPT_ARGUMENTS.has(word)));

  // Convention 8: deploying or installing what the caller supplies (a chart and its values, a
  // manifest, a bundle of source) runs it, though no argument is called "code".
  const deploysSupplied =
    verbsSaid.some((v) => DEPLOY_VERBS.has(v.verb)) &&
    discovered.some((arg) => words(arg.name).some((word) => DEPLOYABLE_ARGUMENTS.has(word)));
  if (deploysSupplied && category !== 'destructive' && category !== 'financial') {
    const supplied = discovered.find((arg) => words(arg.name).some((word) => DEPLOYABLE_ARGUMENTS.has(word)))!;
    settle(
      'execute',
      supplied.path,
      `It deploys or installs what the caller supplies (${quote(supplied.path)}), which then runs: Execute (rubric, convention 8).`,
    );
  }
  if (category === 'execute' && !codeThatRuns && !runsCodePhrase && !deploysSupplied) {
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
  // Opening or closing the server's client connection handle is its own bookkeeping too.
  const connectionHandle =
    (verbsSaid.some((v) => v.verb === 'connect' || v.verb === 'disconnect') &&
      Object.keys(properties).some((name) => /^connection/i.test(name))) ||
    (verbsSaid.some((v) => CONNECTION_VERBS.has(v.verb)) && actedOn.some((word) => word === 'connection' || word === 'connections'));
  if ((category === 'write' || category === 'destructive') && (bookkeepingSwitch || activeTarget || connectionHandle)) {
    settle(
      'read',
      activeTarget?.[0] ?? nameWords.join(' '),
      'It only changes the server’s own bookkeeping (what it captures, or which page later calls target), not the world (rubric, convention 2).',
    );
  }
  // Convention 9: running an existing workflow, pipeline or job by its id supplies no code: a Write.
  const runsExistingPipeline =
    [...nameWords, ...leadWords.slice(0, 1)].some(
      (word) => TRIGGER_VERBS.has(word) || verbStems(word).some((stem) => TRIGGER_VERBS.has(stem)),
    ) &&
    [...actedOn, ...nameWords].some((word) => PIPELINE_OBJECTS.has(word)) &&
    !codeThatRuns;
  if (runsExistingPipeline && !modelCall && (category === 'read' || category === 'execute')) {
    settle(
      'write',
      nameWords.join(' '),
      'It starts an existing workflow, pipeline or job and supplies no code: a Write (rubric, convention 9).',
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
  // Flags anywhere in the arguments (convention 8): a drain's `deleteLocalData`, a nested `allow_deleting_content`.
  if (category !== 'financial') {
    for (const arg of discovered) {
      if (arg.schema['type'] !== 'boolean') continue;
      const flagWords = words(arg.name);
      // On a Read, a state flag (`archived`, `in_trash`) chooses what to find; only a flag that acts deletes.
      const destroys = flagWords.find((word) => DESTRUCTIVE_FLAG_WORDS.has(word) && (category !== 'read' || !STATE_FLAG_WORDS.has(word)));
      if (destroys && !flagWords.includes('dry') && category !== 'destructive') {
        evidence.push({
          kind: 'argument',
          match: arg.path,
          detail: `The flag ${quote(arg.path)} makes the call ${destroys === 'archived' || destroys === 'archive' || destroys.startsWith('trash') ? 'archive or trash (delete)' : 'delete or overwrite'} what it touches.`,
          suggests: 'destructive',
        });
        settle(
          'destructive',
          arg.path,
          `It offers a flag, ${quote(arg.path)}, that deletes or overwrites; the most severe option decides.`,
        );
      }
      if (
        arg.depth === 0 &&
        /^track(ed|_?changes)?$/i.test(arg.name) &&
        nameVerbs.some((v) => v.category === 'destructive') &&
        category !== 'destructive'
      ) {
        settle('destructive', arg.name, `With ${quote(`${arg.name}: false`)} the deletion is not tracked, so it cannot be undone.`);
      }
      // Convention 3: an option that reloads the page changes browser session state.
      if (category === 'read' && flagWords.includes('reload')) {
        settle(
          'write',
          arg.path,
          `It offers ${quote(arg.path)}, which reloads the page: browser session state is the world (rubric, convention 3).`,
        );
      }
    }
    // Convention 3 again, for a mode whose own description says it reloads or navigates the page.
    const reloadingMode = discovered.find(
      (arg) =>
        Array.isArray(arg.schema['enum']) &&
        /\b(reloads?|navigates?)\b[^.\n]{0,20}\b(the )?(page|tab)?/i.test(arg.description) &&
        /\breloads?\b|\bnavigates?\b/i.test(arg.description),
    );
    if (category === 'read' && reloadingMode) {
      settle(
        'write',
        reloadingMode.path,
        `Its ${quote(reloadingMode.path)} option reloads or navigates the page: browser session state is the world (rubric, convention 3).`,
      );
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
  // A Read that only takes a query or pipeline to plan or explain it stays a Read; a script step runs.
  if (category === 'read' && codeThatRuns && (saysItRuns || (runsByItself(codeArgument) && codeArgument.kind !== 'sql'))) {
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
  // Convention 10: a parameter that is the whole file or configuration, replacing the old one.
  const replacesWhole =
    leadWord !== undefined &&
    WHOLESALE_VERBS.has(leadWord) &&
    verbObject(leadWords, 0).some((word) => WHOLE_OBJECTS.has(word)) &&
    /\bwith\b/i.test(lead)
      ? /^\S+\s+(.*)$/.exec(lead)
      : null;
  const wholesale =
    WHOLESALE_OVERWRITE_PATTERN.exec(description) ??
    discovered.map((arg) => WHOLESALE_OVERWRITE_PATTERN.exec(arg.description)).find((match) => match !== null) ??
    replacesWhole;
  if (category === 'write' && wholesale && !TRACKED_CHANGE_PATTERN.test(description) && !/\bcells?\b|\bparagraphs?\b/i.test(wholesale[0])) {
    settle(
      'destructive',
      wholesale[0],
      `It overwrites wholesale (the description says ${quote(wholesale[0])}), and the old content is gone (rubric, convention 1).`,
    );
  }

  // 7. Money: moving it or committing a charge, never reading about it (conventions 7 and 12).
  const readsMoney = nameVerb?.category === 'read' || (leadVerb?.category === 'read' && !nameVerb);
  const moneyVerb = nameVerbs.find((v) => MONEY_VERBS.has(v.verb));
  // A payment, charge or refund is money moving; an invoice or a quote only once it is committed.
  const moneyNoun = nameWords.find((word) => FINANCIAL_NOUNS.has(word));
  const documentNoun = nameWords.find((word) => MONEY_DOCUMENT_NOUNS.has(word));
  const commits = nameWords.find((word) => CHARGE_COMMITTING_VERBS.has(word));
  const amountArg = args.find((arg) => arg.kind === 'amount');
  const destinationArg = Object.keys(properties).find((name) => words(name).some((word) => MONEY_DESTINATION_WORDS.has(word)));
  const moneyPhrase = MONEY_MOVING_PATTERN.exec(description);
  const chargePhrase = INCURS_CHARGE_PATTERN.exec(description);
  // "Creates a draft invoice": nothing is charged until a later step (convention 12).
  const draft = DRAFT_PATTERN.test(`${nameWords.join(' ')} ${lead}`) && !commits;
  if (!readsMoney && !draft) {
    const money =
      moneyVerb !== undefined
        ? `the name’s verb ${quote(moneyVerb.verb)} moves money`
        : moneyNoun && nameVerb
          ? `the name ${quote(nameVerb.verb)}s ${quote(moneyNoun)}`
          : documentNoun && commits
            ? `the name commits ${quote(documentNoun)} (${quote(commits)})`
            : amountArg && (destinationArg || argKinds.has('recipient'))
              ? `it takes an amount (${quote(amountArg.path)}) and where it goes (${quote(destinationArg ?? 'recipient')})`
              : chargePhrase && nameVerb && nameVerb.category !== 'read'
                ? `the description says it ${quote(chargePhrase[0])}`
                : moneyPhrase && nameVerb && nameVerb.category !== 'read'
                  ? `the description says it ${quote(moneyPhrase[0])}`
                  : undefined;
    if (money) {
      evidence.push({
        kind: 'name',
        match: moneyVerb?.verb ?? moneyNoun ?? documentNoun ?? amountArg?.path ?? chargePhrase?.[0] ?? moneyPhrase?.[0] ?? '',
        detail: `It moves money: ${money}.`,
        suggests: 'financial',
      });
      settle(
        'financial',
        moneyVerb?.verb ?? moneyNoun ?? documentNoun ?? amountArg?.path ?? '',
        `It moves money or commits a charge on purpose: ${money} (rubric, conventions 7 and 12).`,
      );
    }
  }
  if (category === 'financial' && (readsMoney || draft) && !moneyVerb) {
    settle(
      readsMoney ? 'read' : 'write',
      nameWords.join(' '),
      readsMoney
        ? 'It reads balances, invoices or charges; reading money moves none (rubric, convention 12).'
        : 'It prepares a draft that charges nobody until a later step: a Write (rubric, convention 12).',
    );
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
  // Secrets are the purpose (the name or the lead says so) or the output (headers with cookies or auth).
  const secrets = SECRET_PATTERN.exec(`${nameWords.join(' ')} ${lead}`) ?? SECRET_HEADERS_PATTERN.exec(description);
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
