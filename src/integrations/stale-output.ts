import { existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { fullBuildRequested } from './full-build.ts';

/**
 * Incremental builds keep the output folder between builds (astro.config sets
 * `emptyOutDir: false`), so pages Astro skips stay where they are instead of being copied
 * back. What the new build no longer produces must then go, or the output would differ
 * from a clean build's: a removed tool's page, an old script bundle, a sitemap shard.
 *
 * In build:done a file is stale when this build neither wrote it (its modification time is
 * before the build started) nor kept it as a cached page (Astro lists those among the
 * route outputs). The search index folder is left to the search integration, which
 * replaces its shards itself. Empty folders left behind are removed too.
 *
 * A build that stops half-way has written some pages without recording them in Astro's
 * incremental manifest, which still describes the build before. So a marker is kept in the
 * cache while a build runs; if the next build finds it, it drops the manifest and renders
 * every page, rather than keep a page the failed build overwrote. A full build on request
 * (`--full`, see full-build.ts) drops it the same way.
 */

/** Folders below the output folder that another integration keeps up to date itself. */
const MANAGED_ELSEWHERE = new Set(['pagefind']);

export function staleOutputIntegration(): AstroIntegration {
  // Taken when the config is loaded: everything this build writes comes later.
  const startedAt = Date.now();
  let root = '';
  let cacheDir = '';
  const marker = () => join(cacheDir, 'build-in-progress');
  return {
    name: 'policy-atlas-stale-output',
    hooks: {
      'astro:config:done': ({ config }) => {
        root = fileURLToPath(config.root);
        cacheDir = fileURLToPath(config.cacheDir);
      },
      'astro:build:start': ({ logger }) => {
        const unfinished = existsSync(marker());
        if (unfinished) logger.warn('the last build did not finish: rendering every page');
        if (unfinished || fullBuildRequested()) {
          // Astro reads its manifest after build:start, when it generates pages; without one it renders them all.
          rmSync(join(cacheDir, 'incremental-build.json'), { force: true });
        }
        mkdirSync(cacheDir, { recursive: true });
        writeFileSync(marker(), `${new Date(startedAt).toISOString()}\n`);
      },
      'astro:build:done': ({ dir, assets, logger }) => {
        const outDir = fileURLToPath(dir);
        // Never sweep a folder that holds the project itself (a misconfigured outDir).
        const inside = relative(outDir, root);
        if (inside === '' || !inside.startsWith('..')) {
          logger.warn(`not removing stale files: the output folder ${outDir} contains the project`);
          rmSync(marker(), { force: true });
          return;
        }
        const kept = new Set<string>();
        for (const urls of assets.values()) for (const url of urls) kept.add(fileURLToPath(url));
        let removed = 0;
        const sweep = (folder: string, top: boolean): boolean => {
          let empty = true;
          for (const entry of readdirSync(folder, { withFileTypes: true })) {
            const path = join(folder, entry.name);
            if (entry.isDirectory()) {
              if (top && MANAGED_ELSEWHERE.has(entry.name)) {
                empty = false;
                continue;
              }
              if (sweep(path, false)) rmdirSync(path);
              else empty = false;
            } else if (!kept.has(path) && statSync(path).mtimeMs < startedAt) {
              unlinkSync(path);
              removed++;
            } else {
              empty = false;
            }
          }
          return empty;
        };
        sweep(outDir.endsWith(sep) ? outDir.slice(0, -1) : outDir, true);
        if (removed > 0) logger.info(`removed ${removed} file(s) the previous build wrote and this one does not`);
        rmSync(marker(), { force: true });
      },
    },
  };
}
