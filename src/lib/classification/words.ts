/** Splits a tool name or sentence into lowercase words: camelCase, snake_case, kebab-case, dots. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** "deletes" → "delete", "creates" → "create", "runs" → "run": enough for verb look-up. */
export function verbStems(word: string): string[] {
  const stems = [word];
  if (word.endsWith('ies')) stems.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) stems.push(word.slice(0, -2));
  if (word.endsWith('s')) stems.push(word.slice(0, -1));
  return stems;
}

/** The first sentence (or line) of a description, trimmed. */
export function firstSentence(text: string): string {
  const line = text.trim().split(/\n\s*\n|\n/)[0] ?? '';
  const match = /^(.*?[.!?])(\s|$)/.exec(line);
  return (match?.[1] ?? line).trim();
}

/** Words that end the object of a verb: "removes all documents | that match the filter". */
const OBJECT_STOP_WORDS = new Set([
  'that',
  'which',
  'who',
  'whose',
  'where',
  'when',
  'from',
  'in',
  'inside',
  'on',
  'of',
  'for',
  'with',
  'by',
  'matching',
  'to',
  'into',
  'at',
  'and',
  'or',
  'if',
  'using',
  'via',
  'as',
]);

/**
 * The object of the verb at `index`: the words after it up to the first word that starts a
 * clause or a qualifier. A convention that lowers a category checks the thing the verb acts
 * on, never a word found anywhere in the text ("match the filter" is not what is removed).
 */
export function verbObject(text: readonly string[], index: number): string[] {
  const out: string[] = [];
  const rest = text.slice(index + 1);
  // "view or reset tool usage statistics": two verbs share one object.
  const start = (rest[0] === 'or' || rest[0] === 'and') && rest.length > 2 ? 2 : 0;
  for (const word of rest.slice(start)) {
    if (OBJECT_STOP_WORDS.has(word)) break;
    out.push(word);
  }
  return out;
}
