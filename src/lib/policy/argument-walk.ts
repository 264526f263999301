import { isRecord } from '../shared/records.ts';
import type { PathStep } from '../../schemas/condition-path.ts';

/**
 * Every property of a tool's input schema, with the condition path that reaches its values:
 * nested objects by name, lists element by element (`[*]`), `anyOf`/`oneOf`/`allOf` variants
 * merged, local `$ref`s (`#/$defs/…`, the shape pydantic and FastMCP emit for a nested model)
 * followed. The recommender decides a check for each one, so no argument is dropped on the way.
 * A schema too big or too deep to walk, or one that points where this walk cannot follow (a
 * remote or dynamic `$ref`, a cycle, variants nested too deep), is reported as such, and the
 * recommender refuses the tool.
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
  /** The schema of each element, when the property is a list (`$ref` followed). */
  items: Record<string, unknown> | undefined;
  /** Each element read as an argument of the same name, when the property is a list. */
  element: SchemaArgument | undefined;
  /**
   * The schemas of values under names the schema does not list (`additionalProperties`,
   * `patternProperties`): a map whose keys the caller chooses.
   */
  mapValues: Array<Record<string, unknown>>;
  /** Whether the property holds named sub-properties. */
  hasProperties: boolean;
  description: string;
}

export const MAX_WALKED_PROPERTIES = 2000;
export const MAX_WALK_DEPTH = 8;

const MAX_VARIANT_DEPTH = 4;

/** What a walk could not follow; any of these makes the whole schema unwalkable. */
interface WalkState {
  root: Record<string, unknown>;
  unwalkable: boolean;
}

/** The target of a local JSON pointer `$ref` (`#`, `#/$defs/Name`, `#/definitions/Name`), or undefined. */
function resolveRef(ref: string, root: Record<string, unknown>): Record<string, unknown> | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let at: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (!isRecord(at) || !Object.hasOwn(at, token)) return undefined;
    at = at[token];
  }
  return isRecord(at) ? at : undefined;
}

/**
 * The schema and each `anyOf`/`oneOf`/`allOf` variant and `$ref` target, recursively. A
 * reference this walk cannot follow, a reference cycle or variants nested too deep mark the
 * walk unwalkable rather than being skipped.
 */
function variants(
  schema: Record<string, unknown>,
  state: WalkState,
  depth = 0,
  refs: readonly string[] = [],
): Array<Record<string, unknown>> {
  const out = [schema];
  if ('$dynamicRef' in schema || '$recursiveRef' in schema) state.unwalkable = true;
  const ref = schema['$ref'];
  const hasVariants = ref !== undefined || ['anyOf', 'oneOf', 'allOf'].some((key) => schema[key] !== undefined);
  if (!hasVariants) return out;
  if (depth >= MAX_VARIANT_DEPTH) {
    state.unwalkable = true;
    return out;
  }
  if (ref !== undefined) {
    const target = typeof ref === 'string' && !refs.includes(ref) ? resolveRef(ref, state.root) : undefined;
    if (target === undefined) state.unwalkable = true;
    else out.push(...variants(target, state, depth + 1, [...refs, ref as string]));
  }
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = schema[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      state.unwalkable = true;
      continue;
    }
    for (const v of list) if (isRecord(v)) out.push(...variants(v, state, depth + 1, refs));
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

/** The first value of `key` that is a schema object, over the variants. */
const firstRecord = (all: Array<Record<string, unknown>>, key: string) => all.map((v) => v[key]).find(isRecord);

function mapValuesOf(all: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const v of all) {
    const additional = v['additionalProperties'];
    if (isRecord(additional)) out.push(additional);
    else if (additional === true) out.push({});
    const patterns = v['patternProperties'];
    if (isRecord(patterns)) for (const value of Object.values(patterns)) out.push(isRecord(value) ? value : {});
  }
  return out;
}

export function walkArguments(inputSchema: unknown): { args: SchemaArgument[]; truncated: boolean } {
  const args: SchemaArgument[] = [];
  let truncated = false;
  const state: WalkState = { root: isRecord(inputSchema) ? inputSchema : {}, unwalkable: false };
  const describe = (name: string, childSchema: Record<string, unknown>, here: PathStep[], depth: number): SchemaArgument => {
    const all = variants(childSchema, state);
    const items = firstRecord(all, 'items');
    if (all.some((v) => Array.isArray(v['items']) || v['prefixItems'] !== undefined)) state.unwalkable = true;
    const description = all.map((v) => v['description']).find((d): d is string => typeof d === 'string') ?? '';
    const format = all.map((v) => v['format']).find((f) => typeof f === 'string');
    return {
      steps: here,
      name,
      // The property's own keywords first, then what its references and variants add (a format, a type).
      schema: { ...(format !== undefined ? { format } : {}), ...childSchema, description },
      types: typesOf(all),
      enumValues: enumOf(all),
      items,
      element: items && depth < MAX_WALK_DEPTH ? describe(name, items, [...here, { kind: 'each' }], depth + 1) : undefined,
      mapValues: mapValuesOf(all),
      hasProperties: all.some((v) => isRecord(v['properties'])),
      description,
    };
  };
  const walk = (schema: Record<string, unknown>, steps: PathStep[], depth: number) => {
    if (depth > MAX_WALK_DEPTH) {
      truncated = true;
      return;
    }
    for (const variant of variants(schema, state)) {
      const properties = variant['properties'];
      if (!isRecord(properties)) continue;
      for (const [name, child] of Object.entries(properties)) {
        if (args.length >= MAX_WALKED_PROPERTIES) {
          truncated = true;
          return;
        }
        const here: PathStep[] = [...steps, { kind: 'name', name }];
        const arg = describe(name, isRecord(child) ? child : {}, here, depth);
        args.push(arg);
        walk(isRecord(child) ? child : {}, here, depth + 1);
        if (arg.items) walk(arg.items, [...here, { kind: 'each' }], depth + 1);
      }
    }
  };
  if (isRecord(inputSchema)) walk(inputSchema, [], 0);
  return { args, truncated: truncated || state.unwalkable };
}
