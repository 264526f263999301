import {
  ACTIVE_TARGET_PATTERN,
  BOOKKEEPING_OBJECTS,
  BOOKKEEPING_SWITCH_VERBS,
  CONNECTION_VERBS,
  DEPLOYABLE_ARGUMENTS,
  DEPLOY_VERBS,
  ENDED_OBJECTS,
  ENDING_VERBS,
  EPHEMERAL_OBJECTS,
  IRREVERSIBLE_PATTERN,
  KEEPS_CONTENT_PATTERN,
  OUTBOUND_VERBS,
  OUTPUT_ARGUMENT,
  PIPELINE_OBJECTS,
  REPORT_OBJECTS,
  REPORT_VERBS,
  REVISION_FINALISING_VERBS,
  REVISION_OBJECTS,
  TRACKED_CHANGE_PATTERN,
  TRIGGER_VERBS,
} from '../lexicon.ts';
import { verbStems, words } from '../words.ts';
import type { CodeFacts } from './code.ts';
import type { Reading } from './reading.ts';
import { quote } from './shared.ts';

/**
 * Pass 5, conventions (docs/classification-rubric.md) that settle close cases. A convention that
 * lowers a category names the kind of thing it applies to and checks that the tool acts on it
 * (`actedOn`), never a word found anywhere in the text.
 */

export interface ConventionFacts {
  /** Deploys or installs what the caller supplies (convention 8). */
  deploysSupplied: boolean;
  /** Finalises tracked changes (convention 1). */
  revision: boolean;
  /** Ends a process, session or connection (convention 11). */
  endsRunningState: boolean;
}

export function applyConventions(r: Reading, code: CodeFacts): ConventionFacts {
  const {
    settle,
    leadWords,
    nameWords,
    nameVerbs,
    nameVerb,
    description,
    lead,
    leadVerb,
    nameAndLead,
    actedOn,
    verbsSaid,
    discovered,
    args,
    argKinds,
    properties,
  } = r;
  const { codeThatRuns, runsCodePhrase, modelCall } = code;
  // Convention 8: deploying or installing what the caller supplies (a chart and its values, a
  // manifest, a bundle of source) runs it, though no argument is called "code".
  const deploysSupplied =
    verbsSaid.some((v) => DEPLOY_VERBS.has(v.verb)) &&
    discovered.some((arg) => words(arg.name).some((word) => DEPLOYABLE_ARGUMENTS.has(word)));
  if (deploysSupplied && r.category !== 'destructive' && r.category !== 'financial') {
    const supplied = discovered.find((arg) => words(arg.name).some((word) => DEPLOYABLE_ARGUMENTS.has(word)))!;
    settle(
      'execute',
      supplied.path,
      `It deploys or installs what the caller supplies (${quote(supplied.path)}), which then runs: Execute (rubric, convention 8).`,
    );
  }
  if (r.category === 'execute' && !codeThatRuns && !runsCodePhrase && !deploysSupplied) {
    settle(
      modelCall ? 'read' : 'write',
      nameVerb?.verb ?? '',
      modelCall
        ? 'It sends a request to a model and returns its answer; nothing in its arguments is code that runs, so it is a Read.'
        : 'Its verb says it runs something, but no argument carries code, a command or a query, so it starts work rather than executing caller code.',
    );
  }
  if (r.category === 'write' && modelCall && !argKinds.has('recipient') && !nameVerbs.some((v) => OUTBOUND_VERBS.has(v.verb))) {
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
  if ((r.category === 'write' || r.category === 'destructive') && (bookkeepingSwitch || activeTarget || connectionHandle)) {
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
  if (runsExistingPipeline && !modelCall && (r.category === 'read' || r.category === 'execute')) {
    settle(
      'write',
      nameWords.join(' '),
      'It starts an existing workflow, pipeline or job and supplies no code: a Write (rubric, convention 9).',
    );
  }
  // Convention 4: a Read tool that saves its own output (a report, log or screenshot) stays Read.
  if (
    r.category === 'write' &&
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
  if (r.category === 'write' && (nameVerb ?? leadVerb)?.verb === 'export' && /\bas (an? )?(\w+ )?string\b/i.test(lead)) {
    settle('read', lead, 'It exports to a string it returns, writing nothing.');
  }
  // Finalising revisions throws away the alternative text and its history for good.
  const revision = nameVerbs.find((v) => REVISION_FINALISING_VERBS.has(v.verb)) && nameAndLead.some((w) => REVISION_OBJECTS.has(w));
  if (revision && r.category !== 'financial' && r.category !== 'execute') {
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
  if (r.category === 'destructive' && endsRunningState && !IRREVERSIBLE_PATTERN.test(description)) {
    settle(
      'write',
      nameWords.join(' '),
      'It ends a process, session or connection, which loses only running state: a Write (rubric, convention 11).',
    );
  }
  if (r.category === 'destructive' && !revision) {
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

  return { deploysSupplied, revision: Boolean(revision), endsRunningState };
}
