import { CATEGORY_LABELS, type Category } from '../../../schemas/risk.ts';
import {
  ACTION_ARGUMENTS,
  ARGUMENT_KIND_LABELS,
  DESTRUCTIVE_FLAG_WORDS,
  EPHEMERAL_OBJECTS,
  IRREVERSIBLE_PATTERN,
  STATE_FLAG_WORDS,
  TRACKED_CHANGE_PATTERN,
  WHOLESALE_OVERWRITE_PATTERN,
  WHOLESALE_VERBS,
  WHOLE_OBJECTS,
} from '../lexicon.ts';
import { verbObject, words } from '../words.ts';
import type { CodeFacts } from './code.ts';
import type { Reading } from './reading.ts';
import { SEVERITY, isRecord, quote, verbCategory, verbMeaning } from './shared.ts';

/**
 * Pass 6, explicit offers: what the definition offers raises the category to the most severe
 * option, whatever the main purpose (flags at any depth, action values, code that runs, a reload,
 * a permanent or wholesale effect).
 */
export function applyOffers(r: Reading, code: CodeFacts): void {
  const { evidence, settle, nameVerbs, description, lead, leadWords, leadWord, actedOn, discovered, properties } = r;
  const { codeArgument, codeThatRuns, saysItRuns, runsByItself, modelCall } = code;
  // 6. What the definition explicitly offers raises the r.category, whatever the main purpose.
  // Flags anywhere in the arguments (convention 8): a drain's `deleteLocalData`, a nested `allow_deleting_content`.
  if (r.category !== 'financial') {
    for (const arg of discovered) {
      if (arg.schema['type'] !== 'boolean') continue;
      const flagWords = words(arg.name);
      // On a Read, a state flag (`archived`, `in_trash`) chooses what to find; only a flag that acts deletes.
      const destroys = flagWords.find((word) => DESTRUCTIVE_FLAG_WORDS.has(word) && (r.category !== 'read' || !STATE_FLAG_WORDS.has(word)));
      if (destroys && !flagWords.includes('dry') && r.category !== 'destructive') {
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
        r.category !== 'destructive'
      ) {
        settle('destructive', arg.name, `With ${quote(`${arg.name}: false`)} the deletion is not tracked, so it cannot be undone.`);
      }
      // Convention 3: an option that reloads the page changes browser session state.
      if (r.category === 'read' && flagWords.includes('reload')) {
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
    if (r.category === 'read' && reloadingMode) {
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
      if (!hit || SEVERITY[hit.category] <= SEVERITY[r.category]) continue;
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
      if (SEVERITY[offered] > SEVERITY[r.category])
        settle(
          offered,
          `${name}: ${value}`,
          `One of the actions it offers, ${quote(value)}, is ${CATEGORY_LABELS[offered]}; the most severe option decides.`,
        );
    }
  }
  if (r.category !== 'read' && r.category !== 'financial' && r.category !== 'destructive' && codeThatRuns && codeArgument) {
    settle(
      'execute',
      codeArgument.path,
      `Its ${quote(codeArgument.path)} argument takes ${ARGUMENT_KIND_LABELS[codeArgument.kind]} that it runs.`,
    );
  }
  // A Read that only takes a query or pipeline to plan or explain it stays a Read; a script step runs.
  if (
    r.category === 'read' &&
    codeThatRuns &&
    codeArgument &&
    (saysItRuns || (runsByItself(codeArgument) && codeArgument.kind !== 'sql'))
  ) {
    settle(
      'execute',
      codeArgument.path,
      `Its ${quote(codeArgument.path)} argument takes ${ARGUMENT_KIND_LABELS[codeArgument.kind]} that it runs.`,
    );
  }
  const irreversible = IRREVERSIBLE_PATTERN.exec(description);
  if (
    (r.category === 'write' || r.category === 'execute') &&
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
  if (
    r.category === 'write' &&
    wholesale &&
    !TRACKED_CHANGE_PATTERN.test(description) &&
    !/\bcells?\b|\bparagraphs?\b/i.test(wholesale[0])
  ) {
    settle(
      'destructive',
      wholesale[0],
      `It overwrites wholesale (the description says ${quote(wholesale[0])}), and the old content is gone (rubric, convention 1).`,
    );
  }
}
