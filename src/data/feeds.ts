import { changesFeed } from '../lib/site/feeds';
import { toolPath } from '../lib/classification/effective';
import type { ChangeEvent } from '../lib/catalogue/changes';
import type { Catalog } from './catalog';
import { href } from './url';

/** An Atom feed of changes with the site's absolute links. */
export function feedFor(
  catalog: Catalog,
  site: URL | undefined,
  input: { title: string; self: string; page: string; events: readonly ChangeEvent[] },
) {
  const origin = site ?? new URL('http://localhost');
  const absolute = (path: string) => new URL(href(path), origin).href;
  return changesFeed({
    title: input.title,
    self: absolute(input.self),
    page: absolute(input.page),
    toolUrl: (server, slug) => absolute(toolPath(server, slug)),
    serverName: (server) => catalog.serverBySlug.get(server)?.rawName ?? server,
    events: input.events,
    host: origin.hostname,
  });
}
