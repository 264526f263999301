import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog, type Catalog, type Tool } from '../../src/data/build-catalog.ts';
import { serverKey, toolPageKey } from '../../src/data/page-keys.ts';
import { relatedTools, serverNeighbours } from '../../src/data/related.ts';
import { readCatalog } from '../../src/lib/catalog/files.ts';
import { whatItDoes } from '../../src/lib/classification/explain.ts';
import { routes } from '../../src/lib/site/routes.ts';
import { catalogOf, projectAttacks } from '../helpers/catalog.ts';
import { fixtureCatalog } from '../helpers/site.ts';

/**
 * The data layer without a build: the catalogue computed from the fixture servers and the
 * project's attack pages, as getCatalog() computes it from what Astro reads.
 */
const attacks = projectAttacks();
const byId = (catalog: Catalog, id: string) => catalog.tools.find((tool) => tool.id === id)!;
const ids = (tools: Tool[]) => tools.map((tool) => tool.id);

describe('buildCatalog', () => {
  const catalog = catalogOf(fixtureCatalog());

  it('groups and counts every current tool once', () => {
    expect(catalog.servers.map((server) => server.slug)).toEqual(['acme-files', 'acme-pay']);
    const current = catalog.tools.filter((tool) => !tool.removed);
    expect(catalog.activeCount).toBe(current.length);
    for (const groups of [catalog.byRisk, catalog.byCategory]) {
      expect(
        [...groups.values()]
          .flat()
          .map((tool) => tool.id)
          .sort(),
      ).toEqual(ids(current).sort());
    }
    expect(Object.values(catalog.riskCounts).reduce((a, b) => a + b, 0)).toBe(current.length);
    expect(catalog.byServer.get('acme-files')!.active.every((tool) => tool.server === 'acme-files')).toBe(true);
    // Each tool's page path is the route a reader follows.
    expect(byId(catalog, 'acme-files/read-file').path).toBe(routes.tool('acme-files', 'read-file'));
  });

  it('keeps only the dangerous arguments in dangerousArguments, and the page says what they take', () => {
    const kinds = (id: string) => byId(catalog, id).dangerousArguments.map(({ path, kind }) => `${path}:${kind}`);
    // `text` and `city` are arguments too, but carry no danger, so the page marks no row for them.
    expect(kinds('acme-files/write-note')).toEqual(['output_path:path']);
    expect(kinds('acme-files/get-weather')).toEqual([]);
    expect(kinds('acme-files/run-command')).toEqual(expect.arrayContaining(['command:command', 'cwd:path']));
    const runCommand = byId(catalog, 'acme-files/run-command');
    const sentences = whatItDoes(
      {
        ...runCommand,
        argumentCount: Object.keys(runCommand.inputSchema.properties ?? {}).length,
        required: runCommand.inputSchema.required ?? [],
      },
      'Acme Files',
    );
    expect(sentences).toContain('The caller supplies a shell command, a filesystem path.');
    const weather = byId(catalog, 'acme-files/get-weather');
    expect(whatItDoes({ ...weather, argumentCount: 1, required: [] }, 'Acme Files').join(' ')).not.toMatch(/The caller supplies/);
  });

  it('refuses a tool whose attack pattern has no page', () => {
    expect(() => buildCatalog(readCatalog(fixtureCatalog()), attacks.slice(1))).toThrow(
      `Attack pattern pages missing: content/attacks/${attacks[0]!.id}.mdx`,
    );
  });
});

describe('relatedTools', () => {
  const catalog = catalogOf(fixtureCatalog());

  it('lists the same server and category first, then the same name on another server, never the tool itself', () => {
    const sorted = (tools: Tool[]) => ids(tools).sort();
    const listFiles = relatedTools(catalog, byId(catalog, 'acme-files/list-files'));
    expect(sorted(listFiles.sameServer)).toEqual(['acme-files/get-weather', 'acme-files/read-file']);
    expect(ids(listFiles.elsewhere)).toEqual(['acme-pay/list-files']);
    // acme-pay has no other Read tool: the same name on acme-files comes first, then its other Read tools.
    const payListFiles = relatedTools(catalog, byId(catalog, 'acme-pay/list-files'));
    expect(payListFiles.sameServer).toEqual([]);
    expect(payListFiles.elsewhere[0]!.id).toBe('acme-files/list-files');
    expect(sorted(payListFiles.elsewhere)).toEqual(['acme-files/get-weather', 'acme-files/list-files', 'acme-files/read-file']);
    // A tool with no other tool of its category has nothing related.
    expect(relatedTools(catalog, byId(catalog, 'acme-pay/create-payment'))).toEqual({ sameServer: [], elsewhere: [] });
  });

  it('lists no more than it is asked for, and no removed tool', () => {
    expect(ids(relatedTools(catalog, byId(catalog, 'acme-pay/list-files'), 2).elsewhere)).toHaveLength(2);
    const contentDir = fixtureCatalog();
    const file = join(contentDir, 'servers/acme-files.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.tools.find((tool: { name: string }) => tool.name === 'read_file').history.removedOn = '2026-11-30';
    writeFileSync(file, JSON.stringify(data));
    const withRemoved = catalogOf(contentDir);
    expect(byId(withRemoved, 'acme-files/read-file').removed).toBe(true);
    expect(ids(relatedTools(withRemoved, byId(withRemoved, 'acme-files/list-files')).sameServer)).toEqual(['acme-files/get-weather']);
    expect(ids(relatedTools(withRemoved, byId(withRemoved, 'acme-pay/list-files')).elsewhere)).not.toContain('acme-files/read-file');
  });
});

describe('page keys', () => {
  /** The cache key of every tool page and every server's pages, by page. */
  function keys(catalog: Catalog): Map<string, string> {
    const found = new Map<string, string>();
    for (const tool of catalog.tools)
      found.set(tool.path, toolPageKey(catalog, tool, relatedTools(catalog, tool), serverNeighbours(catalog, tool)));
    for (const server of catalog.servers) found.set(routes.server(server.slug), serverKey(catalog, server.slug));
    return found;
  }
  const changedKeys = (before: Map<string, string>, after: Map<string, string>) =>
    [...after].filter(([page, key]) => before.get(page) !== key).map(([page]) => page);

  it('change for exactly the pages that show an edited tool', () => {
    const contentDir = fixtureCatalog();
    const before = catalogOf(contentDir);
    const file = join(contentDir, 'servers/acme-files.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.tools.find((tool: { name: string }) => tool.name === 'list_files').description = 'Lists the files of a folder, edited.';
    writeFileSync(file, JSON.stringify(data));
    const after = catalogOf(contentDir);

    const edited = 'acme-files/list-files';
    const showing = (catalog: Catalog) =>
      catalog.tools
        .filter((tool) => {
          const { sameServer, elsewhere } = relatedTools(catalog, tool);
          const { previous, next } = serverNeighbours(catalog, tool);
          return tool.id === edited || [...sameServer, ...elsewhere, previous, next].some((other) => other?.id === edited);
        })
        .map((tool) => tool.path);
    const expected = new Set([...showing(before), ...showing(after), routes.server('acme-files')]);
    // The edited tool is listed elsewhere, so more than its own page and its server's change.
    expect(expected.size).toBeGreaterThan(2);
    expect(changedKeys(keys(before), keys(after)).sort()).toEqual([...expected].sort());
  });

  it('stay the same for the same content, and for the same content in another folder', () => {
    const first = keys(catalogOf(fixtureCatalog()));
    expect(changedKeys(first, keys(catalogOf(fixtureCatalog())))).toEqual([]);
  });
});
