import { DESCRIPTION_PHRASES, MODEL_CALL_PATTERN, PROMPT_ARGUMENTS, QUERY_LANGUAGE_PATTERN, RUNS_CODE_PATTERN } from '../lexicon.ts';
import { words } from '../words.ts';
import type { ArgumentFinding } from './arguments.ts';
import type { Reading } from './reading.ts';

/** Pass 4, code: which argument carries code, a command or a query, and whether the tool runs it. */

export interface CodeFacts {
  codeArgument: ArgumentFinding | undefined;
  /** The code argument runs (the definition says so, or it is a script step or pipeline by what it is). */
  codeThatRuns: boolean;
  runsCodePhrase: boolean;
  saysItRuns: boolean;
  runsByItself(arg: ArgumentFinding): boolean;
  /** It sends a prompt to a model and returns the model's text. */
  modelCall: boolean;
}

export function findCode(r: Reading): CodeFacts {
  const { nameWords, nameVerbs, description, leadVerb, discovered, args, properties } = r;
  // Execution needs code the caller supplies: "execute a prompt technique" runs nothing.
  const codeArguments = args.filter(
    (arg) =>
      (arg.kind === 'code' || arg.kind === 'command' || arg.kind === 'sql') &&
      (arg.type === undefined || arg.type === 'string' || arg.type === 'array' || arg.type === 'object'),
  );
  const ownDescription = (path: string) => discovered.find((arg) => arg.path === path)?.description ?? '';
  const topDescription = (path: string) => discovered.find((arg) => arg.path === path.split(/[.[]/)[0])?.description ?? '';
  const runsCodePhrase = DESCRIPTION_PHRASES.filter((p) => p.suggests === 'execute').some((p) => p.pattern.test(description));
  const saysItRuns = r.category === 'execute' || nameVerbs.some((v) => v.category === 'execute') || leadVerb?.category === 'execute';
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

  return { codeArgument, codeThatRuns: Boolean(codeThatRuns), runsCodePhrase, saysItRuns, runsByItself, modelCall };
}
