/**
 * The condition path syntax: where in a call's arguments a condition looks. No imports, so the
 * evaluator can run it in the reader's browser.
 *
 * Grammar: `args` (the arguments object itself) followed by steps, the first a name:
 * - `.name` a property whose name is letters, digits, `_`, `$` or `-`;
 * - `["any name"]` a property by its exact name, as a JSON string (dots, spaces, quotes and all);
 * - `[*]` every element of a list: a condition on `args.files[*]` is tested on each element
 *   (a `deny_if` fires if any element matches; a `require` must hold for every one).
 * `args.file.path` is the property `path` inside the object `file`; the single property named
 * `file.path` is `args["file.path"]`.
 */

export type PathStep = { kind: 'name'; name: string } | { kind: 'each' };

const PLAIN_NAME = /^[A-Za-z0-9_$-]+$/;

/** The steps of a condition path, or a sentence saying why it is not one. */
export function parseConditionPath(path: string): PathStep[] | string {
  if (!path.startsWith('args')) return 'must start with "args"';
  const steps: PathStep[] = [];
  let at = 'args'.length;
  while (at < path.length) {
    if (path[at] === '.') {
      const match = /^[A-Za-z0-9_$-]+/.exec(path.slice(at + 1));
      if (!match) return `expected a property name after "." at character ${at + 1}`;
      steps.push({ kind: 'name', name: match[0] });
      at += 1 + match[0].length;
    } else if (path.startsWith('[*]', at)) {
      if (steps.length === 0) return '"[*]" must follow an argument name';
      steps.push({ kind: 'each' });
      at += 3;
    } else if (path.startsWith('["', at)) {
      const end = closingQuote(path, at + 2);
      if (end < 0 || path[end + 1] !== ']') return `unterminated quoted name at character ${at + 1}`;
      let name: unknown;
      try {
        name = JSON.parse(path.slice(at + 1, end + 1));
      } catch {
        return `the quoted name at character ${at + 1} is not a JSON string`;
      }
      if (typeof name !== 'string' || name.length === 0) return `the quoted name at character ${at + 1} is empty`;
      steps.push({ kind: 'name', name });
      at = end + 2;
    } else {
      return `unexpected ${JSON.stringify(path[at])} at character ${at + 1}; use .name, ["name"] or [*]`;
    }
  }
  return steps;
}

/** Index of the `"` that ends a JSON string whose body starts at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** The path for a sequence of steps: plain names dotted, any other name quoted. */
export function formatConditionPath(steps: readonly PathStep[]): string {
  let out = 'args';
  for (const step of steps) {
    if (step.kind === 'each') out += '[*]';
    else out += PLAIN_NAME.test(step.name) ? `.${step.name}` : `[${JSON.stringify(step.name)}]`;
  }
  return out;
}

/** The path for one top-level argument. */
export const argumentPath = (name: string) => formatConditionPath([{ kind: 'name', name }]);

/** The argument path as a reader sees it, without the leading `args.`. */
export function argumentLabel(path: string): string {
  return path.startsWith('args.') ? path.slice('args.'.length) : path.slice('args'.length);
}
