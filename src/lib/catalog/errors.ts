/**
 * The catalogue's error types, apart from the code that throws them: the CLI tells them from a
 * bug by their class, and must not load the importer and its schemas to do so (`atlas guard`
 * starts with every client session).
 */

/** A content problem, located precisely enough to fix without searching. */
export interface ContentProblem {
  file: string;
  /** "server", or `tool "name" (tools[3])`. */
  entry: string;
  /** Dotted field path within the entry, e.g. "classification.risk". */
  field: string;
  message: string;
}

export class ContentError extends Error {
  readonly problems: ContentProblem[];
  constructor(problems: ContentProblem[]) {
    super(formatProblems(problems));
    this.name = 'ContentError';
    this.problems = problems;
  }
}

export function formatProblems(problems: readonly ContentProblem[]): string {
  const shown = problems.slice(0, 20).map((p) => `  ${p.file}: ${p.entry}${p.field ? ` › ${p.field}` : ''}: ${p.message}`);
  if (problems.length > 20) shown.push(`  … and ${problems.length - 20} more`);
  return `Invalid catalogue content (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${shown.join('\n')}`;
}

/** A live server could not be listed: it failed to start, timed out, died or broke the protocol. */
export class LiveImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveImportError';
  }
}

/** A review request that names no tool a person could review (`atlas review --accept`/`--set`): said in one line, nothing written. */
export class ReviewTargetError extends Error {}
