import { describe, expect, it } from 'vitest';
import type { LoadedServer } from '../../src/lib/catalog/files.ts';
import { classifyTool } from '../../src/lib/classification/classify.ts';
import { routes, withBase } from '../../src/lib/site/routes.ts';
import { searchRecords } from '../../src/lib/site/search-records.ts';
import { DEFAULT_SHARD_SIZE, searchShards, shardCount, shardOf, shardSizeFrom } from '../../src/lib/site/search-shards.ts';

const server = (slug: string, toolNames: string[], description = 'Does things.'): LoadedServer => ({
  file: `content/servers/${slug}.json`,
  server: { slug, name: slug, importedOn: '2026-11-01', transport: 'unknown' },
  tools: toolNames.map((name) => {
    const definition = { name, description, inputSchema: { type: 'object' as const } };
    return { ...definition, slug: name.replace(/_/g, '-'), classification: classifyTool(definition) };
  }),
});

/** A catalogue of `servers` servers with `perServer` tools each. */
const catalogue = (servers: number, perServer: number) =>
  Array.from({ length: servers }, (_, i) =>
    server(
      `server-${i}`,
      Array.from({ length: perServer }, (_, j) => `tool_${j}`),
    ),
  );

describe('search index shards', () => {
  it('grows with the catalogue, one shard per 4,000 tools, at most 16', () => {
    expect(shardCount(0)).toBe(1);
    expect(shardCount(394)).toBe(1);
    expect(shardCount(4_000)).toBe(1);
    expect(shardCount(4_001)).toBe(2);
    expect(shardCount(31_000)).toBe(8);
    expect(shardCount(250_000)).toBe(16);
  });

  it('puts every record of a server in one shard, the same one on every build', () => {
    const servers = catalogue(300, 20);
    const shards = searchShards(servers);
    expect(shards).toHaveLength(2);
    for (const { server: meta, tools } of servers) {
      const pages = new Set(tools.map((tool) => withBase(routes.tool(meta.slug, tool.slug!), '/')));
      const holding = shards.filter((shard) => shard.records.some((record) => pages.has(record.url)));
      expect(holding).toEqual([shards[shardOf(meta.slug, 2)]]);
    }
    expect(searchShards(catalogue(300, 20)).map((shard) => shard.digest)).toEqual(shards.map((shard) => shard.digest));
    // Both shards get a fair share.
    for (const shard of shards) expect(shard.records.length).toBeGreaterThan(2_000);
  });

  it('changes the records of exactly one shard when one server changes', () => {
    const before = searchShards(catalogue(300, 20));
    const servers = catalogue(300, 20);
    servers[7] = server('server-7', ['tool_0', 'tool_1', 'new_tool'], 'Does other things now.');
    const after = searchShards(servers);
    const changed = after.map((shard, i) => shard.digest !== before[i]!.digest);
    expect(changed.filter(Boolean)).toHaveLength(1);
    expect(changed[shardOf('server-7', 2)]).toBe(true);
  });

  it('leaves no shard empty (an empty one has no index, and the browser then refuses every search)', () => {
    // Two servers whose slugs hash to the same one of two shards, with enough tools for two.
    const first = 'server-0';
    const second = Array.from({ length: 50 }, (_, i) => `server-${i + 1}`).find((slug) => shardOf(slug, 2) === shardOf(first, 2))!;
    const servers = [
      server(
        first,
        Array.from({ length: 4_001 }, (_, j) => `tool_${j}`),
      ),
      server(second, ['tool_0']),
    ];
    expect(shardCount(4_002)).toBe(2);
    const shards = searchShards(servers);
    for (const shard of shards) expect(shard.records.length).toBeGreaterThan(0);
    expect(shards.flatMap((shard) => shard.records)).toHaveLength(searchRecords(servers).length);
  });
});

describe('the shard size a build aims at (ATLAS_SEARCH_SHARD_SIZE)', () => {
  it('is the default when unset or empty, and the number given when it is a whole number of at least 1', () => {
    expect(shardSizeFrom({})).toBe(DEFAULT_SHARD_SIZE);
    expect(shardSizeFrom({ ATLAS_SEARCH_SHARD_SIZE: '' })).toBe(DEFAULT_SHARD_SIZE);
    expect(shardSizeFrom({ ATLAS_SEARCH_SHARD_SIZE: '1' })).toBe(1);
    expect(shardSizeFrom({ ATLAS_SEARCH_SHARD_SIZE: '250' })).toBe(250);
  });

  it('refuses anything else, naming the variable and the value, rather than guessing', () => {
    for (const value of ['0', '-1', '2.5', 'abc', ' 3', '1e3', '0x10']) {
      expect(() => shardSizeFrom({ ATLAS_SEARCH_SHARD_SIZE: value }), value).toThrow(`ATLAS_SEARCH_SHARD_SIZE`);
      expect(() => shardSizeFrom({ ATLAS_SEARCH_SHARD_SIZE: value }), value).toThrow(`"${value}"`);
    }
  });
});
