import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';
import { contentDir, readCatalogShared } from '../lib/catalog/files.ts';
import type { SearchRecord } from '../lib/site/search-records.ts';
import { searchShards, shardFolder, shardSizeFrom } from '../lib/site/search-shards.ts';
import { fullBuildRequested } from './full-build.ts';
import { mark } from './timings.ts';

/**
 * Builds the Pagefind search index as part of `astro build`; there is no separate step.
 * Records come from the catalogue, not from parsing the HTML, so the index is built while
 * Astro renders pages, in Pagefind's own process on the other core.
 *
 * The index is split into shards (src/lib/site/search-shards.ts; ATLAS_SEARCH_SHARD_SIZE tools
 * each, 4,000 by default) kept in the build cache with a hash of their records: a rebuild
 * indexes only the shards whose records changed and reuses the rest; a full build (`--full`,
 * `--force`, ATLAS_FULL_BUILD=1) indexes every shard. In build:done the shards are copied into
 * the output folder (Astro owns it during the build) with shards.json, which names them for
 * the browser.
 */

/** Raise when the way shards are indexed changes (options, record shape): every shard is then indexed again. */
const MANIFEST_VERSION = 1;

interface ShardManifest {
  version: number;
  pagefind: string;
  digests: string[];
}

/** Pagefind's version: an upgrade may write different files, so it re-indexes every shard. */
function pagefindVersion(root: string): string {
  // The package exports no package.json, so it is read from the project's node_modules.
  const file = join(root, 'node_modules/pagefind/package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'unknown';
}

function readManifest(file: string, version: string): ShardManifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as ShardManifest;
    return manifest.version === MANIFEST_VERSION && manifest.pagefind === version ? manifest : undefined;
  } catch {
    return undefined;
  }
}

async function indexShard(records: SearchRecord[], outputPath: string): Promise<void> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
  if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
  const BATCH = 500;
  for (let i = 0; i < records.length; i += BATCH) {
    const results = await Promise.all(records.slice(i, i + BATCH).map((record) => index.addCustomRecord(record)));
    const failed = results.flatMap((r) => r.errors);
    if (failed.length > 0) throw new Error(`Pagefind could not index: ${failed.slice(0, 3).join('; ')}`);
  }
  rmSync(outputPath, { recursive: true, force: true });
  const written = await index.writeFiles({ outputPath });
  if (written.errors.length > 0) throw new Error(`Pagefind could not write its files: ${written.errors.join('; ')}`);
  await index.deleteIndex();
}

const SHARDS_FILE = 'shards.json';

/**
 * Puts the shards into the output folder. The output folder is kept between builds, so a
 * shard already there is left alone when the cache's record of that folder says it holds
 * the same records; anything else is copied from the cache.
 */
function copyShards(cache: string, target: string, digests: string[], indexed: Set<number>): number {
  const stateFile = join(cache, 'in-output.json');
  let state: { target: string; digests: string[] } | undefined;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    state = undefined;
  }
  const present = state?.target === target ? state.digests : [];
  rmSync(stateFile, { force: true });
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(target)) {
    if (!(/^\d+$/.test(name) && Number(name) < digests.length) && name !== SHARDS_FILE)
      rmSync(join(target, name), { recursive: true, force: true });
  }
  let copied = 0;
  for (const [i, digest] of digests.entries()) {
    const folder = join(target, shardFolder(i));
    if (present[i] === digest && !indexed.has(i) && existsSync(folder)) continue;
    rmSync(folder, { recursive: true, force: true });
    cpSync(join(cache, String(i)), folder, { recursive: true });
    copied++;
  }
  writeFileSync(join(target, SHARDS_FILE), `${JSON.stringify({ shards: digests.map((_, i) => shardFolder(i)) })}\n`);
  writeFileSync(stateFile, JSON.stringify({ target, digests }));
  return copied;
}

export function pagefindIntegration(): AstroIntegration {
  let cache = '';
  let version = '';
  let shardSize = 0;
  let indexing: Promise<{ records: number; digests: string[]; changed: Set<number> }> | undefined;
  return {
    name: 'policy-atlas-pagefind',
    hooks: {
      'astro:config:done': ({ config }) => {
        cache = join(fileURLToPath(config.cacheDir), 'search-index');
        version = pagefindVersion(fileURLToPath(config.root));
        // Read before any page renders, so a bad value stops the build at once.
        shardSize = shardSizeFrom(process.env);
      },
      'astro:build:start': () => {
        mark('search:start');
        const force = fullBuildRequested();
        indexing = (async () => {
          try {
            const shards = searchShards(readCatalogShared(contentDir()), shardSize);
            const manifestFile = join(cache, 'manifest.json');
            const previous = force ? undefined : readManifest(manifestFile, version);
            // Until every shard is written, the cache claims none of them.
            rmSync(manifestFile, { force: true });
            mkdirSync(cache, { recursive: true });
            // Shards beyond the new count, and any left half-written by a failed build.
            for (const name of readdirSync(cache)) {
              const shard = /^(\d+)(\.new)?$/.exec(name);
              if (shard && (shard[2] || Number(shard[1]) >= shards.length)) rmSync(join(cache, name), { recursive: true, force: true });
            }
            const changed = new Set<number>();
            for (const [i, shard] of shards.entries()) {
              const folder = join(cache, String(i));
              if (previous?.digests[i] === shard.digest && previous.digests.length === shards.length && existsSync(folder)) continue;
              const staging = `${folder}.new`;
              await indexShard(shard.records, staging);
              rmSync(folder, { recursive: true, force: true });
              renameSync(staging, folder);
              changed.add(i);
            }
            mark('search:indexed');
            const manifest: ShardManifest = { version: MANIFEST_VERSION, pagefind: version, digests: shards.map((s) => s.digest) };
            writeFileSync(`${manifestFile}.new`, JSON.stringify(manifest));
            renameSync(`${manifestFile}.new`, manifestFile);
            mark('search:written');
            return { records: shards.reduce((sum, s) => sum + s.records.length, 0), digests: shards.map((s) => s.digest), changed };
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
        const { records, digests, changed } = await indexing;
        const copied = copyShards(cache, join(fileURLToPath(dir), 'pagefind'), digests, changed);
        mark('search:done');
        logger.info(
          `search index: ${records} records in ${digests.length} shard(s); ${changed.size} indexed and ${copied} copied in this build`,
        );
      },
    },
  };
}
