import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildCatalog, type Attack, type Catalog } from '../../src/data/build-catalog.ts';
import { readCatalog } from '../../src/lib/catalog/files.ts';
import { attackFrontmatterSchema } from '../../src/schemas/attack.ts';
import { repoRoot } from './site.ts';

let attacks: Attack[] | undefined;

/** The project's attack pages as Astro's collection hands them to getCatalog(), read without a build. */
export function projectAttacks(): Attack[] {
  const dir = join(repoRoot, 'content/attacks');
  attacks ??= readdirSync(dir)
    .filter((name) => name.endsWith('.mdx'))
    .map((name) => {
      const frontmatter = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, name), 'utf8'))![1]!;
      return { id: name.replace(/\.mdx$/, ''), collection: 'attacks', data: attackFrontmatterSchema.parse(parseYaml(frontmatter)) };
    });
  return attacks;
}

/** The catalogue the site's pages render from a content folder, computed as getCatalog() does, without a build. */
export function catalogOf(contentDir: string, attacks: readonly Attack[] = projectAttacks()): Catalog {
  return buildCatalog(readCatalog(contentDir), attacks);
}
