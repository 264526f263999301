import { z } from 'astro/zod';
import { attackIdSchema } from './attack.ts';
import { EXPORT_IDS, policySchema, type ExportId } from './policy.ts';
import { CATEGORIES, RISK_LEVELS, categorySchema, riskSchema } from './risk.ts';
import { serverMetaSchema } from './server.ts';
import { annotationsSchema, evidenceSchema, historySchema, inputSchemaSchema } from './tool.ts';

/** The machine-readable outputs' formats: what scripts can rely on at their stable URLs. */

const countsBy = <T extends readonly [string, ...string[]]>(keys: T) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, z.int().nonnegative()])) as Record<T[number], z.ZodInt>);

/** /catalog.json */
export const catalogIndexSchema = z.strictObject({
  version: z.literal(1),
  generatedOn: z.iso.date(),
  totals: z.strictObject({
    servers: z.int().nonnegative(),
    tools: z.int().nonnegative(),
    byRisk: countsBy(RISK_LEVELS),
    byCategory: countsBy(CATEGORIES),
  }),
  policySchema: z.string(),
  servers: z.array(
    z.strictObject({
      slug: z.string(),
      name: z.string(),
      toolCount: z.int().nonnegative(),
      byRisk: countsBy(RISK_LEVELS),
      page: z.string(),
      tools: z.string(),
      policy: z.string(),
      /** The server's bundle in every export format, by id (policy-json, intercept-yaml, claude-code, gemini-cli, codex, cedar). */
      exports: z.strictObject(Object.fromEntries(EXPORT_IDS.map((id) => [id, z.string()])) as Record<ExportId, z.ZodString>),
    }),
  ),
});

/** /catalog/<server>.json */
export const catalogShardSchema = z.strictObject({
  version: z.literal(1),
  server: serverMetaSchema,
  tools: z.array(
    z.strictObject({
      name: z.string(),
      slug: z.string(),
      page: z.string(),
      title: z.string().optional(),
      description: z.string().optional(),
      inputSchema: inputSchemaSchema,
      /** The tool's output schema, when it declares one: with the fields above, what its definition hash covers (guard pins). */
      outputSchema: z.record(z.string(), z.unknown()).optional(),
      annotations: annotationsSchema.optional(),
      category: categorySchema,
      risk: riskSchema,
      confidence: z.number(),
      rationale: z.array(z.string()),
      conflicts: z.array(z.string()),
      /** Where the name, description, arguments and annotations point to different categories. */
      disagreements: z.array(z.string()),
      /** A person's reviewed decision; null for an automatic classification not yet reviewed. */
      review: z
        .strictObject({ on: z.string(), decision: z.enum(['accepted', 'set']), stale: z.boolean(), reason: z.string().optional() })
        .nullable(),
      attackPatterns: z.array(attackIdSchema),
      evidence: z.array(evidenceSchema),
      overridden: z.array(z.string()),
      removed: z.boolean(),
      history: historySchema.optional(),
      policy: policySchema,
    }),
  ),
});

export type CatalogIndex = z.output<typeof catalogIndexSchema>;
export type CatalogShard = z.input<typeof catalogShardSchema>;
