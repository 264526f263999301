import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';

/**
 * Builds the Pagefind index at the end of `astro build`, from the pages that mark
 * themselves with data-pagefind-body (tool and server pages). No separate step to run.
 */
export function pagefindIntegration(): AstroIntegration {
  return {
    name: 'policy-atlas-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const started = performance.now();
        const outDir = fileURLToPath(dir);
        try {
          const { index, errors } = await pagefind.createIndex({});
          if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
          const added = await index.addDirectory({ path: outDir });
          if (added.errors.length > 0) throw new Error(`Pagefind indexing failed: ${added.errors.join('; ')}`);
          const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
          if (written.errors.length > 0) throw new Error(`Pagefind could not write its files: ${written.errors.join('; ')}`);
          logger.info(`search index: ${added.page_count} pages in ${((performance.now() - started) / 1000).toFixed(1)}s`);
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}
