import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from '../../src/lib/policy/exports/index.ts';
import { absoluteUrl, routes, withBase } from '../../src/lib/site/routes.ts';

// The paths are a public contract (links, catalog.json, feeds, badges in READMEs): a change here
// breaks someone's link, so each is spelled out as a reader would type it.
describe('the routes of the site', () => {
  it('gives each page its path below the base, ending in a slash', () => {
    expect(routes.tool('acme-files', 'read-file')).toBe('tools/acme-files/read-file/');
    expect(routes.server('acme-files')).toBe('servers/acme-files/');
    expect(routes.serverTools('acme-files')).toBe('servers/acme-files/tools/');
    expect(routes.risk('critical')).toBe('risk/critical/');
    expect(routes.category('destructive')).toBe('category/destructive/');
    expect(routes.attack('mcp03')).toBe('attacks/mcp03/');
    for (const page of [
      routes.search,
      routes.servers,
      routes.risks,
      routes.categories,
      routes.attacks,
      routes.changes,
      routes.poisoning,
      routes.review,
    ])
      expect(page).toMatch(/^[a-z]+\/$/);
    expect(routes.home).toBe('');
  });

  it('gives each file its path, beside its server or at the top', () => {
    expect(routes.serverPolicy('acme-files')).toBe('servers/acme-files/policy.json');
    expect(routes.serverFeed('acme-files')).toBe('servers/acme-files/changes.xml');
    expect(routes.serverBadge('acme-files')).toBe('servers/acme-files/badge.svg');
    expect(routes.catalogShard('acme-files')).toBe('catalog/acme-files.json');
    expect(routes.catalogIndex).toBe('catalog.json');
    expect(routes.changesFeed).toBe('changes.xml');
    expect(routes.policySchema).toBe('schemas/policy.schema.json');
    expect(routes.sitemap).toBe('sitemap-index.xml');
    // Every export format is a distinct file beside the server's page.
    const files = EXPORT_FORMATS.map((format) => routes.serverFile('acme-files', format.file));
    expect(new Set(files).size).toBe(EXPORT_FORMATS.length);
    for (const file of files) expect(file).toMatch(/^servers\/acme-files\/[\w.-]+$/);
    expect(files).toContain(routes.serverPolicy('acme-files'));
  });

  it('prepends the base once, whatever slashes the base and the path carry', () => {
    expect(withBase('tools/a/b/', '/')).toBe('/tools/a/b/');
    expect(withBase('tools/a/b/', '/atlas')).toBe('/atlas/tools/a/b/');
    expect(withBase('tools/a/b/', '/atlas/')).toBe('/atlas/tools/a/b/');
    expect(withBase('/tools/a/b/', '/atlas/')).toBe('/atlas/tools/a/b/');
    expect(withBase('', '/atlas/')).toBe('/atlas/');
  });

  it('makes a full URL on the deployed site, and refuses to without an origin', () => {
    expect(absoluteUrl(routes.server('x'), new URL('https://atlas.example'), '/')).toBe('https://atlas.example/servers/x/');
    expect(absoluteUrl(routes.serverBadge('x'), 'https://atlas.example', '/atlas/')).toBe(
      'https://atlas.example/atlas/servers/x/badge.svg',
    );
    // An origin with a path of its own does not add to the base.
    expect(absoluteUrl(routes.catalogIndex, 'https://atlas.example/ignored/', '/atlas/')).toBe('https://atlas.example/atlas/catalog.json');
    expect(() => absoluteUrl(routes.catalogIndex, undefined)).toThrow("needs the site's origin: set ATLAS_SITE");
    expect(() => absoluteUrl(routes.catalogIndex, '')).toThrow('ATLAS_SITE');
  });
});
