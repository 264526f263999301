// @ts-check
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import { defineConfig } from 'astro/config';
import { headersIntegration } from './src/integrations/headers.ts';
import { pagefindIntegration } from './src/integrations/pagefind.ts';
import { staleOutputIntegration } from './src/integrations/stale-output.ts';
import { timingsIntegration } from './src/integrations/timings.ts';

/**
 * Deployment is configured by environment, so one build command serves every host:
 * - ATLAS_SITE: the public origin, for canonical URLs and the sitemap (default http://localhost:4321)
 * - ATLAS_BASE: the sub-path the site is served from, e.g. /atlas (default /)
 * - ATLAS_CONTENT: the catalogue folder (default ./content)
 */
const site = process.env.ATLAS_SITE || 'http://localhost:4321';
const building = process.argv.includes('build');
// A production build without ATLAS_SITE would point canonical links, the sitemap and the badge
// Markdown at localhost: say so, naming the variable (dev and preview need no origin).
if (!process.env.ATLAS_SITE && building) {
  console.warn(
    'ATLAS_SITE is not set: canonical links, the sitemap, feeds and the badge Markdown will point at http://localhost:4321. Set ATLAS_SITE to the public origin, e.g. ATLAS_SITE=https://atlas.example.org npm run build',
  );
}
const base = process.env.ATLAS_BASE || '/';

export default defineConfig({
  // Separate caches let tests build several catalogues without sharing a content store.
  ...(process.env.ATLAS_CACHE_DIR ? { cacheDir: process.env.ATLAS_CACHE_DIR } : {}),
  site,
  base,
  trailingSlash: 'always',
  integrations: [
    mdx(),
    sitemap({ filter: (page) => !page.includes('/search/') }),
    pagefindIntegration(),
    headersIntegration(),
    // After every integration that writes files: it removes what this build did not write.
    staleOutputIntegration(),
    // Last, so its build:done runs after indexing.
    timingsIntegration(),
  ],
  experimental: {
    // A rebuild renders only pages whose cache key (src/data/page-keys.ts) or code changed.
    incrementalBuild: true,
  },
  build: {
    format: 'directory',
    // Page writes wait on the disk; more than 4 gained nothing on a 2-core machine.
    concurrency: 4,
    // Stylesheets as files: cacheable, and no inline <style> for the CSP to allow.
    inlineStylesheets: 'never',
  },
  vite: {
    // Never inline scripts or assets as data: the CSP allows only same-origin files.
    // One stylesheet for the whole site: fetched once, cached for every page, one link per page.
    // The output folder is kept between builds so skipped pages stay in place; the
    // stale-output integration removes what a build no longer produces.
    build: {
      assetsInlineLimit: 0,
      cssCodeSplit: false,
      emptyOutDir: false,
      rolldownOptions: {
        // Astro marks every MDX module with its own "use astro:head-inject" directive, and the
        // bundler warned of each, ten lines per attack page a build (withastro/astro#18087).
        // Only that marker is let through quietly; every other warning is still printed.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use astro:head-inject"')) return;
          warn(warning);
        },
      },
    },
    // A build pre-bundles nothing for a browser (the site's scripts import only local modules),
    // yet Vite's dev-time optimiser ran during the content sync and re-bundled whenever the
    // config changed (another ATLAS_CACHE_DIR or base): seconds per build for nothing.
    ...(building ? { optimizeDeps: { noDiscovery: true, include: [] } } : {}),
  },
});
