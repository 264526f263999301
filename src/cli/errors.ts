import { ContentError, LiveImportError, ReviewTargetError } from '../lib/catalog/errors.ts';

/** The command line itself is wrong: exit 2 with the problem and the usage text. */
export class UsageError extends Error {}
/** Bad input data (a file, a field): exit 2 with the problem, without the usage text. */
export class InputError extends Error {}
/** `--help` given to a command: print the usage text and exit 0. */
export class HelpRequested extends Error {}

/** What the user sees for an error a command threw, and the exit code; undefined for a bug. */
export function describeFailure(
  command: string | undefined,
  error: unknown,
  usage: string,
): { stderr: string; exitCode: number } | undefined {
  if (error instanceof ContentError || error instanceof LiveImportError) {
    return { stderr: `atlas ${command}: ${error.message}\n`, exitCode: 1 };
  }
  if (error instanceof InputError || error instanceof ReviewTargetError)
    return { stderr: `atlas ${command}: ${error.message}\n`, exitCode: 2 };
  if (error instanceof UsageError || (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))) {
    return { stderr: `atlas ${command}: ${error.message}\n\n${usage}`, exitCode: 2 };
  }
  return undefined;
}
