import type { Category, Risk } from '../../schemas/risk.ts';

/**
 * Every path the site publishes, in one place. Paths, catalog.json, the feeds, the sitemap,
 * badges and export files are a public contract: people link to them and scripts fetch them.
 *
 * A path here is below the site's base and has no leading slash; a page's path ends in a slash
 * (the site is built with `trailingSlash: 'always'`), a file's does not. Turn one into a link
 * with `href` (src/data/routes.ts, which adds the base) or into a full URL with `absoluteUrl`.
 */
export const routes = {
  home: '',
  search: 'search/',
  servers: 'servers/',
  risks: 'risk/',
  categories: 'category/',
  attacks: 'attacks/',
  changes: 'changes/',
  poisoning: 'poisoning/',
  review: 'review/',
  /** The catalogue's index: totals and a link to each server's files. */
  catalogIndex: 'catalog.json',
  /** The Atom feed of every change across the catalogue. */
  changesFeed: 'changes.xml',
  policySchema: 'schemas/policy.schema.json',
  sitemap: 'sitemap-index.xml',

  tool: (server: string, tool: string) => `tools/${server}/${tool}/`,
  server: (server: string) => `servers/${server}/`,
  /** The paginated list of every tool of a large server. */
  serverTools: (server: string) => `servers/${server}/tools/`,
  /** A file beside a server's page: its policy bundle and each export format (`EXPORT_FORMATS[].file`). */
  serverFile: (server: string, file: string) => `servers/${server}/${file}`,
  serverPolicy: (server: string) => routes.serverFile(server, 'policy.json'),
  serverFeed: (server: string) => routes.serverFile(server, 'changes.xml'),
  serverBadge: (server: string) => routes.serverFile(server, 'badge.svg'),
  /** One server's tools in full: the catalogue, sharded per server. */
  catalogShard: (server: string) => `catalog/${server}.json`,
  risk: (risk: Risk) => `risk/${risk}/`,
  category: (category: Category) => `category/${category}/`,
  /** An attack pattern's page; `id` is a content entry's id (content/attacks/<id>.mdx). */
  attack: (id: string) => `attacks/${id}/`,
} as const;

/**
 * A path as a full URL on the deployed site: `site` is its origin (astro.config.mjs `site`,
 * set by ATLAS_SITE), `base` the sub-path it is served from. Feeds, catalog.json, llms.txt,
 * robots.txt and badge Markdown are read away from the site, so a relative link there is
 * broken: without an origin this throws rather than write one.
 */
export function absoluteUrl(path: string, site: URL | string | undefined, base = '/'): string {
  if (site === undefined || site === '') throw new Error(`an absolute URL for "${path}" needs the site's origin: set ATLAS_SITE`);
  return new URL(withBase(path, base), site).href;
}

/** A path below the base as the path a browser requests: `withBase('tools/a/b/', '/atlas')` → `/atlas/tools/a/b/`. */
export function withBase(path: string, base: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
