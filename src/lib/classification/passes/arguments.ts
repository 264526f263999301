import type { McpTool } from '../../../schemas/tool.ts';
import { ARGUMENT_KINDS, CODE_IDENTIFIER_QUALIFIERS, QUERY_LANGUAGE_PATTERN, type ArgumentKind } from '../lexicon.ts';
import { words } from '../words.ts';
import { isRecord } from './shared.ts';

/** Pass 1, argument discovery: which arguments carry a path, a URL, code, a command, a query, money. */

export interface ArgumentFinding {
  /** Dotted path of the argument, e.g. "options.path". */
  path: string;
  kind: ArgumentKind;
  /** The JSON Schema type, when the schema states a single one. */
  type: string | undefined;
}

const ARGUMENT_KIND_BY_WORD = new Map<string, ArgumentKind>();
for (const [kind, names] of Object.entries(ARGUMENT_KINDS) as Array<[ArgumentKind, readonly string[]]>) {
  for (const name of names) ARGUMENT_KIND_BY_WORD.set(name, kind);
}

/** How deep into nested argument schemas we look; schemas can be cyclic or huge. */
export const MAX_SCHEMA_DEPTH = 4;

export const MAX_ARGUMENTS = 200;

/** One argument anywhere in an input schema: top level, nested in an object, an array item or an alternative. */
export interface DiscoveredArgument {
  /** Dotted path, e.g. "options.path"; a step into array items ends in "[]" ("steps[].script"). */
  path: string;
  /** The argument's own name (the last step). */
  name: string;
  schema: Record<string, unknown>;
  /** Its own description, or "". */
  description: string;
  /** 0 for a top-level argument. */
  depth: number;
}

/**
 * Every argument of an input schema, nested ones included (rubric, convention 8: an option
 * nested deep in an argument is offered explicitly). Follows `properties`, array `items` and the
 * alternatives of `anyOf` / `oneOf` / `allOf`, to a fixed depth and count: schemas can be cyclic or huge.
 */
export function discoverArguments(inputSchema: McpTool['inputSchema']): DiscoveredArgument[] {
  const found: DiscoveredArgument[] = [];
  const seen = new Set<string>();
  const walk = (schema: unknown, prefix: string, depth: number) => {
    if (depth > MAX_SCHEMA_DEPTH || !isRecord(schema) || found.length >= MAX_ARGUMENTS) return;
    for (const key of ['anyOf', 'oneOf', 'allOf']) {
      const alternatives = schema[key];
      if (Array.isArray(alternatives)) for (const alternative of alternatives.slice(0, 20)) walk(alternative, prefix, depth);
    }
    if (isRecord(schema['items'])) walk(schema['items'], `${prefix}[]`, depth);
    const properties = schema['properties'];
    if (!isRecord(properties)) return;
    for (const [name, child] of Object.entries(properties)) {
      if (found.length >= MAX_ARGUMENTS) return;
      if (!isRecord(child)) continue;
      const path = prefix ? `${prefix}.${name}` : name;
      // Alternatives often repeat a name (`arguments` of each `oneOf` branch): listed once, each walked.
      if (!seen.has(path)) {
        seen.add(path);
        const description = typeof child['description'] === 'string' ? child['description'] : '';
        found.push({ path, name, schema: child, description, depth });
      }
      walk(child, path, depth + 1);
    }
  };
  walk(inputSchema, '', 0);
  return found;
}

/**
 * The kind of danger one argument carries, from its name (the last word decides: `output_path`
 * is a path) and, for a `query` or an unnamed URL, its schema. The recommender calls this for
 * every property it walks, so the evidence table and the policy read arguments the same way.
 */
export function argumentKindOf(name: string, schema: unknown): ArgumentKind | undefined {
  return argumentKind({
    name,
    schema: isRecord(schema) ? schema : {},
    description: isRecord(schema) && typeof schema['description'] === 'string' ? schema['description'] : '',
  });
}

/** The kind of danger an argument carries, by its name (the last word decides: `output_path` is a path). */
export function argumentKind(argument: Pick<DiscoveredArgument, 'name' | 'schema' | 'description'>): ArgumentKind | undefined {
  const parts = words(argument.name);
  const last = parts[parts.length - 1];
  let kind = last === undefined ? undefined : ARGUMENT_KIND_BY_WORD.get(last);
  if (kind === 'code' && parts.length > 1 && CODE_IDENTIFIER_QUALIFIERS.has(parts[parts.length - 2]!)) kind = undefined;
  // A `query` is a search string unless its own description names a query language that can write.
  if (!kind && last === 'query' && QUERY_LANGUAGE_PATTERN.test(argument.description)) kind = 'sql';
  const format = argument.schema['format'];
  if (!kind && (format === 'uri' || format === 'url')) kind = 'url';
  return kind;
}

/** Dangerous arguments of an input schema, found by name. */
export function findDangerousArguments(inputSchema: McpTool['inputSchema']): ArgumentFinding[] {
  const found: ArgumentFinding[] = [];
  for (const argument of discoverArguments(inputSchema)) {
    const kind = argumentKind(argument);
    const type = typeof argument.schema['type'] === 'string' ? argument.schema['type'] : undefined;
    if (kind) found.push({ path: argument.path, kind, type });
  }
  return found;
}

/** Top-level argument schemas, by name. */
export function topLevelProperties(inputSchema: McpTool['inputSchema']): Record<string, unknown> {
  return isRecord(inputSchema.properties) ? inputSchema.properties : {};
}
