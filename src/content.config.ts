import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { contentDir } from './lib/catalogue/files.ts';
import { serversLoader, toolsLoader } from './loaders/catalog.ts';
import { attackFrontmatterSchema } from './schemas/attack.ts';
import { serverMetaSchema } from './schemas/server.ts';
import { catalogToolSchema } from './schemas/tool.ts';

const catalogDir = contentDir();
// A catalogue built elsewhere (ATLAS_CONTENT) may bring its own attack pages; if it
// has none, the project's own pages are used.
const attacksDir = existsSync(join(catalogDir, 'attacks')) ? join(catalogDir, 'attacks') : 'content/attacks';

const servers = defineCollection({
  loader: serversLoader(catalogDir),
  schema: serverMetaSchema.extend({
    /** File the server was read from, for messages. */
    file: z.string(),
    toolCount: z.number(),
  }),
});

const tools = defineCollection({
  loader: toolsLoader(catalogDir),
  schema: catalogToolSchema.extend({
    /** Slug of the server the tool belongs to. */
    server: z.string(),
    slug: z.string(),
  }),
});

const attacks = defineCollection({
  loader: glob({ pattern: '*.mdx', base: attacksDir }),
  schema: attackFrontmatterSchema,
});

export const collections = { servers, tools, attacks };
