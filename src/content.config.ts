import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { contentDir } from './lib/catalog/files.ts';
import { attackFrontmatterSchema } from './schemas/attack.ts';

/**
 * The attack-pattern pages are MDX, so they are a content collection. The servers and their
 * tools are not: src/data/catalog.ts reads them with the shared schemas in
 * src/lib/catalog/files.ts, which name the file, the entry and the field of any problem.
 * Kept out of Astro's content store, 31,000 tools are parsed once per build instead of being
 * stored, serialised into a module and parsed again, which at 250,000 tools cost gigabytes.
 */
const catalogDir = contentDir();
// A catalogue built elsewhere (ATLAS_CONTENT) may bring its own attack pages; if it
// has none, the project's own pages are used.
const attacksDir = existsSync(join(catalogDir, 'attacks')) ? join(catalogDir, 'attacks') : 'content/attacks';

const attacks = defineCollection({
  loader: glob({ pattern: '*.mdx', base: attacksDir }),
  schema: attackFrontmatterSchema,
});

export const collections = { attacks };
