import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';
import { contentDir, readCatalogShared } from '../lib/catalog-files.ts';
import { searchRecords } from '../lib/search-records.ts';
import { mark } from './timings.ts';

/**
 * Builds the Pagefind search index as part of `astro build`; there is no separate step.
 * Records come from the catalogue, not from parsing the HTML: indexing starts when the
 * build starts and runs in Pagefind's own process while Astro renders pages, so on a
 * 2-core machine the two overlap. The files are written at the end, in build:done.
 */
export function pagefindIntegration(): AstroIntegration {
  let indexing: Promise<{ index: pagefind.PagefindIndex; count: number }> | undefined;
  return {
    name: 'policy-atlas-pagefind',
    hooks: {
      'astro:build:start': () => {
        mark('search:start');
        indexing = (async () => {
          const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
          if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
          const records = searchRecords(readCatalogShared(contentDir()));
          const BATCH = 500;
          for (let i = 0; i < records.length; i += BATCH) {
            const results = await Promise.all(records.slice(i, i + BATCH).map((record) => index.addCustomRecord(record)));
            const failed = results.flatMap((r) => r.errors);
            if (failed.length > 0) throw new Error(`Pagefind could not index: ${failed.slice(0, 3).join('; ')}`);
          }
          mark('search:indexed');
          return { index, count: records.length };
        })();
        // Surfaced in build:done; keep Node from reporting it as unhandled meanwhile.
        indexing.catch(() => undefined);
      },
      'astro:build:done': async ({ dir, logger }) => {
        try {
          if (!indexing) throw new Error('the search index was never started');
          const { index, count } = await indexing;
          mark('search:writing');
          const written = await index.writeFiles({ outputPath: join(fileURLToPath(dir), 'pagefind') });
          if (written.errors.length > 0) throw new Error(`Pagefind could not write its files: ${written.errors.join('; ')}`);
          mark('search:done');
          logger.info(`search index: ${count} records`);
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}
