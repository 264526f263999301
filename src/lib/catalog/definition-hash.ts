import { createHash } from 'node:crypto';
import { DEFINITION_FIELDS } from '../../schemas/definition-fields.ts';

type DefinitionField = (typeof DEFINITION_FIELDS)[number];

/** JSON with object keys sorted, so key order in a server's output never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Hash of what a client sees of a tool: the fields a rug pull would change. */
export function definitionHash(tool: Partial<Record<DefinitionField, unknown>>): string {
  return `sha256:${sha256(canonicalJson(Object.fromEntries(DEFINITION_FIELDS.map((f) => [f, tool[f]]))))}`;
}

/** Per-field hashes, to say which fields changed between two imports. */
export function fieldHashes(tool: Partial<Record<DefinitionField, unknown>>): Record<DefinitionField, string> {
  return Object.fromEntries(DEFINITION_FIELDS.map((f) => [f, sha256(canonicalJson(tool[f] ?? null)).slice(0, 16)])) as Record<
    DefinitionField,
    string
  >;
}
