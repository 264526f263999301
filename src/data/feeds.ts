import { changesFeed } from '../lib/site/feeds';
import type { ChangeEvent } from '../lib/catalog/changes';
import type { Catalog } from './catalog';
import { routes, siteUrl } from './routes';

/** An Atom feed of changes with the site's absolute links. */
export function feedFor(
  catalog: Catalog,
  site: URL | undefined,
  input: { title: string; self: string; page: string; events: readonly ChangeEvent[] },
) {
  const absolute = (path: string) => siteUrl(path, site);
  return changesFeed({
    title: input.title,
    self: absolute(input.self),
    page: absolute(input.page),
    toolUrl: (server, slug) => absolute(routes.tool(server, slug)),
    serverName: (server) => catalog.serverBySlug.get(server)?.rawName ?? server,
    events: input.events,
    host: new URL(absolute('')).hostname,
  });
}
