import { createHash } from 'node:crypto';
import type { LoadedServer } from '../catalog/files.ts';
import { fnv1a } from '../text-safety/slug.ts';
import { searchRecords, type SearchRecord } from './search-records.ts';

/**
 * Pagefind cannot update an index in place, so the search index is split into shards that
 * the browser merges (Pagefind's `mergeIndex`). A server's records always go to the same
 * shard, chosen by a stable hash of its slug: a change to one server re-indexes one shard.
 */

/** Tools per shard the count aims at by default: one shard re-indexes in about a second. */
export const DEFAULT_SHARD_SIZE = 4000;
/** Each shard costs the reader a few requests on first search; more than this is not worth it. */
const MAX_SHARDS = 16;

/** How many shards a catalogue of this many tools is split into, aiming at `shardSize` tools each. */
export function shardCount(tools: number, shardSize = DEFAULT_SHARD_SIZE): number {
  return Math.min(MAX_SHARDS, Math.max(1, Math.ceil(tools / shardSize)));
}

/**
 * The shard size a build aims at: ATLAS_SEARCH_SHARD_SIZE (tools per shard), else the default.
 * Smaller shards re-index faster after an edit but cost a reader more requests on first search;
 * the tests use it to split a small catalogue. Anything but a whole number of at least 1 is
 * refused, naming the variable, rather than guessed at.
 */
export function shardSizeFrom(env: Record<string, string | undefined>): number {
  const value = env['ATLAS_SEARCH_SHARD_SIZE'];
  if (value === undefined || value === '') return DEFAULT_SHARD_SIZE;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new Error(`ATLAS_SEARCH_SHARD_SIZE must be a whole number of tools per search shard (at least 1), not "${value}"`);
  return Number(value);
}

/** The shard a server's records belong to (FNV-1a of the slug). */
export function shardOf(slug: string, count: number): number {
  return fnv1a(slug) % count;
}

export interface SearchShard {
  records: SearchRecord[];
  /** A hash of the records: an unchanged shard need not be indexed again. */
  digest: string;
}

/** The catalogue's search records, split into shards in a stable order. */
export function searchShards(servers: readonly LoadedServer[], shardSize = DEFAULT_SHARD_SIZE): SearchShard[] {
  let count = shardCount(
    servers.reduce((sum, server) => sum + server.tools.length, 0),
    shardSize,
  );
  // A shard without records has no index, and Pagefind in the browser then refuses every search
  // ("No language indexes found"). Few servers (or a few very large ones) can leave a shard
  // empty: use fewer shards until each holds a server.
  while (count > 1 && new Set(servers.map((server) => shardOf(server.server.slug, count))).size < count) count--;
  const shards: SearchRecord[][] = Array.from({ length: count }, () => []);
  for (const server of servers) shards[shardOf(server.server.slug, count)]!.push(...searchRecords([server]));
  return shards.map((records) => ({ records, digest: createHash('sha256').update(JSON.stringify(records)).digest('hex') }));
}

/** Folder of shard `index` below the search bundle folder, as the browser finds it in shards.json. */
export const shardFolder = (index: number) => `${index}/`;
