import { z } from 'astro/zod';
import { parseConditionPath } from './condition-path.ts';
import { re2Problem } from './re2.ts';

/**
 * The gateway policy document (version "1"): what an MCP gateway evaluates before a
 * call reaches the server. This schema is the single source of the format: the site
 * validates every policy it shows against it and publishes its JSON Schema.
 */

export { EXPORT_IDS, type ExportId } from './export-ids.ts';

export const LIMIT_WINDOWS = ['minute', 'hour', 'day'] as const;
export const CONDITION_OPS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'lt',
  'lte',
  'gt',
  'gte',
  'regex',
  'not_regex',
  'contains',
  'exists',
  'has_key_not_in',
] as const;

/** A quota on calls, counted per grant (one agent's authorisation). */
export const limitSchema = z.strictObject({
  /** Name of the counter; calls sharing a counter share the quota. */
  counter: z.string().min(1).max(600),
  /** Window the quota resets over. */
  window: z.enum(LIMIT_WINDOWS),
  /** Calls allowed per window. */
  max: z.int().positive(),
  /** What the counter is kept per; only "grant" is defined. */
  scope: z.literal('grant'),
});

/**
 * `args` (the arguments object itself), `args.<field>`, a dotted path into nested arguments, `["odd name"]` for a name with dots or
 * spaces, and `[*]` for every element of a list (src/schemas/condition-path.ts).
 */
const conditionPath = z.string().superRefine((path, ctx) => {
  const parsed = parseConditionPath(path);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: `must be a path like args.field, args["odd.name"] or args.files[*]: ${parsed}` });
  }
});

/** A regular expression RE2 can run (RE2 syntax: no lookaround, no backreferences). */
const re2Pattern = z.string().superRefine((source, ctx) => {
  const problem = re2Problem(source);
  if (problem) ctx.addIssue({ code: 'custom', message: `must be a regular expression RE2 can run (${problem})` });
});

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A test on one argument of the call. The value's type depends on the operator. */
export const conditionSchema = z.discriminatedUnion('op', [
  z.strictObject({ path: conditionPath, op: z.enum(['eq', 'neq']), value: scalar }),
  z.strictObject({ path: conditionPath, op: z.enum(['in', 'not_in']), value: z.array(scalar).min(1) }),
  z.strictObject({ path: conditionPath, op: z.enum(['lt', 'lte', 'gt', 'gte']), value: z.number() }),
  z.strictObject({ path: conditionPath, op: z.enum(['regex', 'not_regex']), value: re2Pattern }),
  z.strictObject({ path: conditionPath, op: z.literal('contains'), value: scalar }),
  z.strictObject({ path: conditionPath, op: z.literal('exists'), value: z.boolean() }),
  /**
   * Holds when the object (or list) at `path` has a key not in `value`: in a `deny_if`, a call
   * that sends a name the policy does not know is denied. Text, numbers, booleans and null have no keys.
   */
  z.strictObject({ path: conditionPath, op: z.literal('has_key_not_in'), value: z.array(z.string()) }),
]);

/** What a gateway does for one tool. Under `default: "deny"`, `{}` allows the tool. */
export const ruleSchema = z.strictObject({
  /** Every condition must hold or the call is denied. */
  require: z.array(conditionSchema).min(1).optional(),
  /** The call is denied if any condition holds. */
  deny_if: z.array(conditionSchema).min(1).optional(),
  /** Quotas for this tool. */
  limits: z.array(limitSchema).min(1).optional(),
  /** A person approves each call that passes the checks and limits, before it runs; no answer is a denial. */
  ask: z.literal(true).optional(),
});

export const policySchema = z
  .strictObject({
    /** Format version. */
    version: z.literal('1'),
    /** What happens to tools the policy does not list. */
    default: z.enum(['allow', 'deny']),
    /** Tools removed from tools/list and denied; "*" hides every tool not listed under `tools`. */
    hide: z.array(z.string().min(1)).optional(),
    /** Quotas across every call. */
    all_tools: z.strictObject({ limits: z.array(limitSchema).min(1) }).optional(),
    /** Rules by exact tool name. */
    tools: z.record(z.string().min(1), ruleSchema).optional(),
  })
  .superRefine((policy, ctx) => {
    for (const name of policy.hide ?? []) {
      if (name !== '*' && policy.tools && Object.hasOwn(policy.tools, name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['hide'],
          message: `tool "${name}" is both hidden and given a rule; a hidden tool is always denied`,
        });
      }
    }
  });

export type Limit = z.output<typeof limitSchema>;
export type Condition = z.output<typeof conditionSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type Policy = z.output<typeof policySchema>;
export type LimitWindow = (typeof LIMIT_WINDOWS)[number];

/** The JSON Schema of the policy format, generated from the zod schema. */
export function policyJsonSchema(id?: string): Record<string, unknown> {
  return {
    ...z.toJSONSchema(policySchema, { target: 'draft-2020-12', io: 'input' }),
    ...(id ? { $id: id } : {}),
    title: 'MCP gateway policy (version 1)',
  };
}
