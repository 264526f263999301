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
