import { cpSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';
import { contentDir, readCatalogShared } from '../lib/catalogue/files.ts';
import { searchRecords } from '../lib/site/search-records.ts';
import { mark } from './timings.ts';

/**
 * Builds the Pagefind search index as part of `astro build`; there is no separate step.
 * Records come from the catalogue, not from parsing the HTML, so the whole index can be
 * built and written while Astro renders pages: Pagefind runs in its own process, on the
 * other core. It is written to a staging folder (Astro owns the output folder during the
 * build) and moved into place in build:done.
 */
export function pagefindIntegration(): AstroIntegration {
  let staging = '';
  let indexing: Promise<number> | undefined;
  return {
    name: 'policy-atlas-pagefind',
    hooks: {
      'astro:config:done': ({ config }) => {
        staging = join(fileURLToPath(config.cacheDir), 'pagefind-staging');
      },
      'astro:build:start': () => {
        mark('search:start');
        indexing = (async () => {
          try {
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
            rmSync(staging, { recursive: true, force: true });
            const written = await index.writeFiles({ outputPath: staging });
            if (written.errors.length > 0) throw new Error(`Pagefind could not write its files: ${written.errors.join('; ')}`);
            mark('search:written');
            return records.length;
          } finally {
            await pagefind.close();
          }
        })();
        // Surfaced in build:done; keep Node from reporting it as unhandled meanwhile.
        indexing.catch(() => undefined);
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (!indexing) throw new Error('the search index was never started');
        mark('search:waiting');
        const count = await indexing;
        const target = join(fileURLToPath(dir), 'pagefind');
        rmSync(target, { recursive: true, force: true });
        try {
          renameSync(staging, target);
        } catch {
          // A cache on another file system: copy instead.
          cpSync(staging, target, { recursive: true });
          rmSync(staging, { recursive: true, force: true });
        }
        mark('search:done');
        logger.info(`search index: ${count} records`);
      },
    },
  };
}
