import { isRecord } from '../shared/records.ts';
import type { PathStep } from '../../schemas/condition-path.ts';

/**
 * Every property of a tool's input schema, with the condition path that reaches its values:
 * nested objects by name, lists element by element (`[*]`), `anyOf`/`oneOf`/`allOf` variants
 * merged. The recommender decides a check for each one, so no argument is dropped on the way.
 * A schema too big or too deep to walk is reported as such, and the recommender refuses the tool.
 */

export interface SchemaArgument {
  /** Path steps from `args`. */
  steps: PathStep[];
  /** The property's own name (the last named step). */
  name: string;
  /** The property's schema (variants merged in `types`, `enumValues`). */
  schema: Record<string, unknown>;
  /** JSON types the schema allows; empty when it does not say. */
  types: Set<string>;
  /** The values an `enum` or `const` limits it to, when every variant says. */
  enumValues: unknown[] | undefined;
  /** The schema of each element, when the property is a list. */
  items: Record<string, unknown> | undefined;
  /** Whether the property holds named sub-properties. */
  hasProperties: boolean;
  description: string;
}

export const MAX_WALKED_PROPERTIES = 2000;
export const MAX_WALK_DEPTH = 8;

/** The schema and each `anyOf`/`oneOf`/`allOf` variant (one level; variants inside variants are walked the same way). */
function variants(schema: Record<string, unknown>, depth = 0): Array<Record<string, unknown>> {
  const out = [schema];
  if (depth > 3) return out;
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = schema[key];
    if (Array.isArray(list)) for (const v of list) if (isRecord(v)) out.push(...variants(v, depth + 1));
  }
  return out;
}

function typesOf(all: Array<Record<string, unknown>>): Set<string> {
  const types = new Set<string>();
  for (const v of all) {
    const type = v['type'];
    if (typeof type === 'string') types.add(type);
    else if (Array.isArray(type)) for (const t of type) if (typeof t === 'string') types.add(t);
    if (isRecord(v['properties'])) types.add('object');
    if (isRecord(v['items'])) types.add('array');
  }
  return types;
}

function enumOf(all: Array<Record<string, unknown>>): unknown[] | undefined {
  // An enum limits the value only if no variant without one lets anything else through.
  const typed = all.filter((v) => v['type'] !== undefined || Array.isArray(v['enum']) || 'const' in v);
  if (typed.length === 0) return undefined;
  const values: unknown[] = [];
  for (const v of typed) {
    if (Array.isArray(v['enum'])) values.push(...v['enum']);
    else if ('const' in v) values.push(v['const']);
    else if (v['type'] === 'null') values.push(null);
    else return undefined;
  }
  return values;
}

export function walkArguments(inputSchema: unknown): { args: SchemaArgument[]; truncated: boolean } {
  const args: SchemaArgument[] = [];
  let truncated = false;
  const walk = (schema: Record<string, unknown>, steps: PathStep[], depth: number) => {
    if (depth > MAX_WALK_DEPTH) {
      truncated = true;
      return;
    }
    for (const variant of variants(schema)) {
      const properties = variant['properties'];
      if (!isRecord(properties)) continue;
      for (const [name, child] of Object.entries(properties)) {
        if (args.length >= MAX_WALKED_PROPERTIES) {
          truncated = true;
          return;
        }
        const childSchema = isRecord(child) ? child : {};
        const all = variants(childSchema);
        const items = all.map((v) => v['items']).find(isRecord);
        const here: PathStep[] = [...steps, { kind: 'name', name }];
        args.push({
          steps: here,
          name,
          schema: childSchema,
          types: typesOf(all),
          enumValues: enumOf(all),
          items,
          hasProperties: all.some((v) => isRecord(v['properties'])),
          description: typeof childSchema['description'] === 'string' ? childSchema['description'] : '',
        });
        walk(childSchema, here, depth + 1);
        if (items) walk(items, [...here, { kind: 'each' }], depth + 1);
      }
    }
  };
  if (isRecord(inputSchema)) walk(inputSchema, [], 0);
  return { args, truncated };
}
