import { z } from 'astro/zod';

/**
 * Every attack pattern the catalogue documents. The ids are the file names of the
 * MDX pages in content/attacks and the values tools reference; the classifier may
 * only assign ids from this list, and the build checks each page exists.
 */
export const ATTACK_IDS = [
  'mcp01',
  'mcp02',
  'mcp03',
  'mcp04',
  'mcp05',
  'mcp06',
  'mcp07',
  'mcp08',
  'mcp09',
  'mcp10',
  'rug-pull',
  'line-jumping',
  'tool-shadowing',
  'name-collision',
  'hidden-unicode',
  'ansi-escape',
  'argument-exfiltration',
  'lethal-trifecta',
  'confused-deputy',
  'denial-of-wallet',
  'consent-fatigue',
] as const;

/** A reference to an attack pattern page. */
export const attackIdSchema = z.enum(ATTACK_IDS, {
  error: (issue) => `is not a known attack pattern id (got ${JSON.stringify(issue.input)}); known ids: ${ATTACK_IDS.join(', ')}`,
});

export type AttackId = z.output<typeof attackIdSchema>;

/** Front matter of an attack-pattern page (content/attacks/<id>.mdx). */
export const attackFrontmatterSchema = z.strictObject({
  /** Page title, e.g. "Tool poisoning". */
  title: z.string().min(1),
  /** OWASP MCP Top 10 identifier (e.g. "MCP03") for top-level entries. */
  owasp: z
    .string()
    .regex(/^MCP\d{2}$/, 'must look like MCP01')
    .optional(),
  /** For a sub-pattern, the id of the OWASP entry it belongs to. */
  parent: attackIdSchema.optional(),
  /** One sentence shown in lists and as the page description. */
  summary: z.string().min(1),
  /** Public sources the page draws on. */
  references: z.array(z.strictObject({ title: z.string().min(1), url: z.url() })).default([]),
});

export type AttackFrontmatter = z.output<typeof attackFrontmatterSchema>;
