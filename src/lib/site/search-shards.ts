import { createHash } from 'node:crypto';
import type { LoadedServer } from '../catalog/files.ts';
import { fnv1a } from '../text-safety/slug.ts';
import { searchRecords, type SearchRecord } from './search-records.ts';

/**
 * Pagefind cannot update an index in place, so the search index is split into shards that
 * the browser merges (Pagefind's `mergeIndex`). A server's records always go to the same
 * shard, chosen by a stable hash of its slug: a change to one server re-indexes one shard.
 */

/** Records per shard the count aims at: one shard re-indexes in about a second. */
const RECORDS_PER_SHARD = 4000;
/** Each shard costs the reader a few requests on first search; more than this is not worth it. */
const MAX_SHARDS = 16;

/** How many shards a catalogue of this many tools is split into. */
export function shardCount(tools: number): number {
  return Math.min(MAX_SHARDS, Math.max(1, Math.ceil(tools / RECORDS_PER_SHARD)));
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
export function searchShards(servers: readonly LoadedServer[]): SearchShard[] {
  const count = shardCount(servers.reduce((sum, server) => sum + server.tools.length, 0));
  const shards: SearchRecord[][] = Array.from({ length: count }, () => []);
  for (const server of servers) shards[shardOf(server.server.slug, count)]!.push(...searchRecords([server]));
  return shards.map((records) => ({ records, digest: createHash('sha256').update(JSON.stringify(records)).digest('hex') }));
}

/** Folder of shard `index` below the search bundle folder, as the browser finds it in shards.json. */
export const shardFolder = (index: number) => `${index}/`;
