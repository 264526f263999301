import { z } from 'astro/zod';
import { attackIdSchema } from './attack.ts';
import { categorySchema, riskSchema } from './risk.ts';
import { DEFINITION_FIELDS } from './definition-fields.ts';

/** A JSON Schema object as a server sends it: any keys, kept verbatim. */
const jsonObject = z.record(z.string(), z.unknown());

/** MCP tool annotations. They are hints from an untrusted server, never proof. */
export const annotationsSchema = z.looseObject({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});

/** The input schema of a tool; MCP requires an object schema. */
export const inputSchemaSchema = z.looseObject({
  type: z.literal('object', {
    error: (issue) => `must be "object" (MCP requires tools to take an object; got ${JSON.stringify(issue.input)})`,
  }),
  properties: jsonObject.optional(),
  required: z.array(z.string()).optional(),
});

/** The fields of one entry of an MCP `tools/list` result, as the server sent them. */
export const mcpToolShape = {
  /** The tool's name, unique within its server; untrusted text. */
  name: z.string().min(1, 'must not be empty').max(512, 'must be at most 512 characters'),
  /** Human-readable title. */
  title: z.string().optional(),
  /** The server's description of the tool; untrusted text. */
  description: z.string().optional(),
  /** JSON Schema of the arguments. */
  inputSchema: inputSchemaSchema,
  /** JSON Schema of structured results. */
  outputSchema: jsonObject.optional(),
  /** Behaviour hints. */
  annotations: annotationsSchema.optional(),
  /** Icons the server offers for the tool. */
  icons: z.array(z.unknown()).optional(),
  /** Task-execution hints (MCP 2025-11). */
  execution: jsonObject.optional(),
  /** Server-specific metadata, kept but never interpreted. */
  _meta: jsonObject.optional(),
};

/** One `tools/list` entry. Unknown keys are tolerated here and dropped by the importer. */
export const mcpToolSchema = z.looseObject(mcpToolShape);

export const EVIDENCE_KINDS = [
  'name',
  'description',
  'annotation',
  'argument',
  'convention',
  'conflict',
  'hidden-characters',
  'model-instruction',
  'default',
] as const;

/** One signal the classifier read from the definition. */
export const evidenceSchema = z.strictObject({
  /** Where the signal came from. */
  kind: z.enum(EVIDENCE_KINDS),
  /** The exact text matched (a verb, a phrase, an argument name, an annotation). */
  match: z.string(),
  /** One sentence a reader can check against the definition. */
  detail: z.string().min(1),
  /** The category this signal points to, if any. */
  suggests: categorySchema.optional(),
});

/**
 * How the recommended policy treats a tool until a person reviews it, when the name, the
 * description, the arguments or an annotation read it as more dangerous than its category
 * (rubric, convention 13: fail closed).
 */
export const treatmentSchema = z.strictObject({
  category: categorySchema,
  risk: riskSchema,
  /** Which pieces of the definition support the more severe reading. */
  reasons: z.array(z.string().min(1)).min(1, 'must give at least one reason'),
});
export type Treatment = z.infer<typeof treatmentSchema>;

/** What the classifier decided, regenerated on every import. */
export const classificationSchema = z.strictObject({
  category: categorySchema,
  risk: riskSchema,
  /** 0 to 1: how strongly the evidence agrees. */
  confidence: z.number().min(0).max(1),
  /** Sentences explaining the decision. */
  rationale: z.array(z.string().min(1)).min(1, 'must hold at least one sentence'),
  evidence: z.array(evidenceSchema),
  /** Where the server's annotations contradict the evidence. */
  conflicts: z.array(z.string()).default([]),
  /** Where the name, description, arguments and annotations point to different categories. */
  disagreements: z.array(z.string()).default([]),
  attackPatterns: z.array(attackIdSchema).default([]),
  /** Present only when the policy must fail closed: a more severe reading than the category. */
  treatment: treatmentSchema.optional(),
});

const isoDate = z.iso.date({ error: 'must be a date like 2026-11-21' });

/** A person's reviewed decision, recorded by `atlas review`. Re-importing keeps it. */
export const reviewSchema = z.strictObject({
  /** The day a person reviewed the tool. */
  on: isoDate,
  /** `accepted`: the automatic classification was confirmed; `set`: a person chose the category and risk. */
  decision: z.enum(['accepted', 'set']),
  category: categorySchema,
  risk: riskSchema,
  /** Why, in the reviewer's words (required when the decision is `set`). */
  reason: z.string().min(1).optional(),
  /** Hash of the definition the person read; a later change puts the tool back in the review queue. */
  definitionHash: z.string().min(1),
});

/** Hand corrections by a maintainer. Re-importing never touches these. */
export const overridesSchema = z.strictObject({
  category: categorySchema.optional(),
  risk: riskSchema.optional(),
  /** Replaces the generated rationale. */
  rationale: z.string().min(1).optional(),
  /** Added to the generated attack patterns. */
  attackPatterns: z.array(attackIdSchema).optional(),
  /** A maintainer's note shown on the page. */
  notes: z.string().min(1).optional(),
});

export { DEFINITION_FIELDS };

/** Change tracking across imports. */
export const historySchema = z.strictObject({
  /** Hash of the definition as last imported. */
  hash: z.string().min(1),
  firstSeen: isoDate,
  /** Set when a re-import no longer finds the tool. */
  removedOn: isoDate.optional(),
  /** Definition changes, oldest first. */
  changes: z
    .array(
      z.strictObject({
        date: isoDate,
        fields: z.array(z.enum(DEFINITION_FIELDS)).min(1),
        previousHash: z.string().min(1),
        /** The description before this change (first 5,000 characters), so a reader can compare. */
        previousDescription: z.string().optional(),
        /** How serious the change is by what it means (src/lib/catalog/severity.ts), and why. */
        severity: z.enum(['high', 'medium', 'low']).optional(),
        reasons: z.array(z.string()).optional(),
      }),
    )
    .default([]),
});

/** A tool in the catalogue: its MCP definition plus what the catalogue says about it. */
export const catalogToolSchema = z.strictObject({
  ...mcpToolShape,
  /** URL segment, unique within the server; assigned at import and kept stable. */
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be lowercase letters, digits and hyphens (at most 80)')
    .optional(),
  classification: classificationSchema,
  overrides: overridesSchema.optional(),
  review: reviewSchema
    .refine((review) => review.decision !== 'set' || review.reason !== undefined, {
      message: 'a decision of "set" needs a reason',
      path: ['reason'],
    })
    .optional(),
  history: historySchema.optional(),
});

export type McpTool = z.output<typeof mcpToolSchema>;
export type Annotations = z.output<typeof annotationsSchema>;
export type Evidence = z.output<typeof evidenceSchema>;
export type Classification = z.output<typeof classificationSchema>;
export type Overrides = z.output<typeof overridesSchema>;
export type Review = z.output<typeof reviewSchema>;
export type ToolHistory = z.output<typeof historySchema>;
export type CatalogTool = z.output<typeof catalogToolSchema>;
