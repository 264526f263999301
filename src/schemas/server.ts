import { z } from 'astro/zod';
import { catalogToolSchema } from './tool.ts';

/** Lowercase URL-safe identifier of a server: also its file name and URL segment. */
export const serverSlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be lowercase letters, digits and hyphens, starting with a letter or digit (at most 80)');

/** Where a server's tools were read from, so the import can be re-run. */
export const sourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file'), file: z.string().min(1) }),
  z.strictObject({
    kind: z.literal('stdio'),
    command: z.string().min(1),
    /** Names of environment variables passed through (values are never stored). */
    env: z.array(z.string()).optional(),
  }),
  z.strictObject({
    kind: z.literal('http'),
    url: z.url(),
    /** Names of headers sent (values are never stored). */
    headers: z.array(z.string()).optional(),
  }),
]);

/** Metadata of one MCP server in the catalogue. */
export const serverMetaSchema = z.strictObject({
  slug: serverSlugSchema,
  /** Display name. */
  name: z.string().min(1),
  description: z.string().optional(),
  /** http(s) only: a repository link is rendered as a link. */
  repository: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Package and registry, e.g. "camoufox-mcp@1.0.0 (npm)". */
  package: z.string().optional(),
  version: z.string().optional(),
  /** Commit the definitions were read from. */
  commit: z.string().optional(),
  transport: z.enum(['stdio', 'http', 'unknown']).default('unknown'),
  /** Day of the last import. */
  importedOn: z.iso.date(),
  source: sourceSchema.optional(),
  /** What the server reported in `initialize`; untrusted text. */
  serverInfo: z.looseObject({ name: z.string(), version: z.string().optional(), title: z.string().optional() }).optional(),
  /** The server's `instructions`; untrusted text. */
  instructions: z.string().optional(),
  notes: z.string().optional(),
});

/** One content file: content/servers/<slug>.json. */
export const serverFileSchema = z.strictObject({
  $schema: z.string().optional(),
  server: serverMetaSchema,
  tools: z.array(catalogToolSchema),
});

export type ServerMeta = z.output<typeof serverMetaSchema>;
export type ServerSource = z.output<typeof sourceSchema>;
export type ServerFile = z.output<typeof serverFileSchema>;
