import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { goString, isObject } from './go-json.ts';

/**
 * A Cedar export decided the way ToolHive decides it (stacklok/toolhive
 * pkg/authz/authorizers/cedar): the call's arguments prepared by preprocessArguments and
 * convertToCedarValue, the entities ToolHive builds, the real Cedar engine (cedar-wasm) on the
 * whole policy set, and a deny whenever the diagnostics hold an error. Every test that asks
 * "would ToolHive let this call through?" uses this one model.
 */

const TWO_63 = 2n ** 63n;

/**
 * cedar-go's NewDecimalFromFloat, as ToolHive calls it for a JSON number: multiply by 10^4 in
 * float64, refuse only values strictly above float64(MaxInt64) (= 2^63) or below -2^63, then
 * truncate to int64. A product of exactly 2^63 passes the check and overflows the conversion,
 * which on amd64 (CVTTSD2SI) gives MinInt64. Undefined: dropped (ToolHive skips the attribute).
 */
export function toolhiveDecimal(value: number): string | undefined {
  const scaled = value * 10_000;
  if (!Number.isFinite(scaled) || scaled > 2 ** 63 || scaled < -(2 ** 63)) return undefined;
  let units = BigInt(Math.trunc(scaled));
  if (units >= TWO_63) units = -TWO_63;
  const negative = units < 0n;
  const abs = negative ? -units : units;
  return `${negative ? '-' : ''}${abs / 10_000n}.${(abs % 10_000n).toString().padStart(4, '0')}`;
}

/** ToolHive's preprocessArguments then convertToCedarValue: the attributes Cedar sees. */
export function toolhiveAttributes(args: unknown): Record<string, cedar.CedarValueJson> {
  const attrs: Record<string, cedar.CedarValueJson> = {};
  // handleNamedResourceMethod keeps `arguments` only when it is an object.
  if (!isObject(args)) return attrs;
  for (const [name, value] of Object.entries(args)) {
    const key = goString(`arg_${name}`);
    if (typeof value === 'string') attrs[key] = goString(value);
    else if (typeof value === 'boolean') attrs[key] = value;
    else if (typeof value === 'number') {
      const decimal = toolhiveDecimal(value);
      if (decimal !== undefined) attrs[key] = { __extn: { fn: 'decimal', arg: decimal } };
    } else attrs[`${key}_present`] = true;
  }
  return attrs;
}

interface PolicySet {
  /** Each statement's text, and the tool its scope names (`resource == Tool::"…"`), if any. */
  statements: Array<{ text: string; tool: string | undefined }>;
  /** The engine's id of the statements that can apply to a tool's calls, by tool. */
  idsByTool: Map<string, string>;
}

/** A statement's head: its annotations, its effect and its scope, up to the scope's closing parenthesis. */
const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const HEAD = new RegExp(String.raw`^\s*(?:@\w+(?:\(\s*${STRING}\s*\))?\s*)*(?:permit|forbid)\s*\((?:[^()"]|${STRING})*\)`);

/**
 * The tool a statement's scope names (`resource == Tool::"…"`), read by the engine from the
 * statement's head alone (the conditions can be large, and converting them costs more than
 * deciding every call). Undefined when the head names no single tool or cannot be read: such a
 * statement is kept for every call.
 */
function scopedTool(statement: string): string | undefined {
  const head = HEAD.exec(statement)?.[0];
  if (head === undefined) return undefined;
  const json = cedar.policyToJson(`${head};`);
  if (json.type !== 'success') return undefined;
  const scope = json.json.resource;
  const entity = scope.op === '==' && 'entity' in scope ? scope.entity : undefined;
  const uid = entity && '__entity' in entity ? entity.__entity : entity;
  return uid?.type === 'Tool' ? uid.id : undefined;
}

/**
 * The export's `cedar.policies` as ToolHive loads them (one policy set), split into statements
 * once. A set given as a list is looked up by the list itself (so a list must not change once
 * decided against): joining and hashing a few hundred kilobytes per call costs more than the call.
 */
const setsByText = new Map<string, PolicySet>();
const setsByList = new WeakMap<readonly string[], PolicySet>();
function policySetOf(policies: string | readonly string[]): PolicySet {
  let set = typeof policies === 'string' ? setsByText.get(policies) : setsByList.get(policies);
  if (set) return set;
  const text = typeof policies === 'string' ? policies : policies.join('\n');
  set = setsByText.get(text);
  if (!set) {
    const parts = cedar.policySetTextToParts(text);
    if (parts.type !== 'success') throw new Error(`cedar: ${JSON.stringify(parts.errors)}`);
    if (parts.policy_templates.length > 0) throw new Error('cedar: the export holds templates, which this model does not link');
    const statements = parts.policies.map((statement) => ({ text: statement, tool: scopedTool(statement) }));
    set = { statements, idsByTool: new Map() };
    setsByText.set(text, set);
  }
  if (typeof policies !== 'string') setsByList.set(policies, set);
  return set;
}

/**
 * The engine's id of the statements that can apply to a call of `tool`: all but those whose scope
 * names another tool. Cedar matches the scope `resource == Tool::"other"` only when the resource
 * is that entity, so those statements can neither permit nor forbid this call, and the decision
 * is the whole set's. Parsed once (the engine keeps parsed sets per thread, so an id means
 * something in this worker only): deciding against a tool's few statements, parsed beforehand,
 * is many times faster than parsing and deciding the whole set per call, and the corpora decide
 * thousands of calls.
 */
let parsedSets = 0;
function parsedSetId(policies: string | readonly string[], tool: string): string {
  const set = policySetOf(policies);
  let id = set.idsByTool.get(tool);
  if (id === undefined) {
    id = `set-${parsedSets++}`;
    const mine = set.statements.filter((statement) => statement.tool === undefined || statement.tool === tool);
    const parsed = cedar.preparsePolicySet(id, { staticPolicies: mine.map((statement) => statement.text).join('\n') });
    if (parsed.type !== 'success') throw new Error(`cedar: ${JSON.stringify(parsed.errors)}`);
    set.idsByTool.set(tool, id);
  }
  return id;
}

/** ToolHive's decision on one call of `tool` with `args`. */
export function cedarDecides(policies: string | readonly string[], tool: string, args: unknown): 'allow' | 'deny' {
  const attrs = toolhiveAttributes(args);
  const answer = cedar.statefulIsAuthorized({
    principal: { type: 'Client', id: 'user' },
    action: { type: 'Action', id: 'call_tool' },
    resource: { type: 'Tool', id: tool },
    context: attrs,
    preparsedPolicySetId: parsedSetId(policies, tool),
    entities: [
      { uid: { type: 'Client', id: 'user' }, attrs: {}, parents: [] },
      { uid: { type: 'Action', id: 'call_tool' }, attrs: { operation: 'call_tool' }, parents: [] },
      { uid: { type: 'Tool', id: tool }, attrs: { ...attrs, name: tool, operation: 'call', feature: 'tool' }, parents: [] },
    ],
  });
  if (answer.type !== 'success') throw new Error(`cedar: ${JSON.stringify(answer.errors)}`);
  // ToolHive's IsAuthorized denies whenever the diagnostics hold an error.
  return answer.response.decision === 'allow' && answer.response.diagnostics.errors.length === 0 ? 'allow' : 'deny';
}
