import { EXPORT_FORMATS, type ExportId } from '../lib/policy/exports/index.ts';
import { absoluteUrl, withBase } from '../lib/site/routes.ts';
import { getCatalog, type Server } from './catalog.ts';
import { relatedTools, serverNeighbours } from './related.ts';
import { serverKey, toolPageKey } from './page-keys.ts';

/**
 * The site's routes as the build uses them: the paths themselves are in src/lib/site/routes.ts
 * (re-exported here, so a page imports one module); this adds the configured base and origin,
 * and the static paths every per-server route shares.
 */
export { routes } from '../lib/site/routes.ts';

/** A link within the site: the path with the configured base prepended (`href('tools/a/b/')` → `/base/tools/a/b/`). */
export function href(path = ''): string {
  return withBase(path, import.meta.env.BASE_URL);
}

/** A full URL on the deployed site, for what is read away from it (feeds, catalog.json, llms.txt, badge Markdown). */
export function siteUrl(path: string, site: URL | undefined): string {
  return absoluteUrl(path, site, import.meta.env.BASE_URL);
}

/**
 * One entry per server for a route under `servers/[server]/` or `catalog/[server]`: the server as
 * its prop, and the cache key of everything a server's pages show, so the route re-renders
 * exactly when the server or one of its tools changes.
 */
export async function serverStaticPaths(): Promise<Array<{ params: { server: string }; props: { server: Server }; cacheKey: string }>> {
  const catalog = await getCatalog();
  return catalog.servers.map((server) => ({
    params: { server: server.slug },
    props: { server },
    cacheKey: serverKey(catalog, server.slug),
  }));
}

/** One entry per server and export format (policy.json excepted: it has its own route), beside the server's page. */
export async function serverExportStaticPaths(): Promise<
  Array<{ params: { server: string; file: string }; props: { server: Server; format: ExportId }; cacheKey: string }>
> {
  const formats = EXPORT_FORMATS.filter((format) => format.id !== 'policy-json');
  return (await serverStaticPaths()).flatMap(({ params, props, cacheKey }) =>
    formats.map((format) => ({ params: { ...params, file: format.file }, props: { ...props, format: format.id }, cacheKey })),
  );
}

/** One entry per tool page (removed tools keep theirs), with the related tools it lists and its cache key. */
export async function toolStaticPaths() {
  const catalog = await getCatalog();
  return catalog.tools.map((tool) => {
    const related = relatedTools(catalog, tool);
    const neighbours = serverNeighbours(catalog, tool);
    return {
      params: { server: tool.server, tool: tool.slug },
      props: { tool, related, neighbours },
      cacheKey: toolPageKey(catalog, tool, related, neighbours),
    };
  });
}
