import type { APIRoute, InferGetStaticPropsType } from 'astro';
import { getCatalog } from '../../../data/catalog';
import { feedFor } from '../../../data/feeds';
import { routes, serverStaticPaths } from '../../../data/routes';
import { xmlText } from '../../../lib/text-safety/text';

export const getStaticPaths = serverStaticPaths;
type Props = InferGetStaticPropsType<typeof getStaticPaths>;

/** One server's changes feed: what each re-import found. */
export const GET: APIRoute<Props> = async ({ props: { server }, site }) => {
  const catalog = await getCatalog();
  const xml = feedFor(catalog, site, {
    title: `Policy Atlas: changes to ${xmlText(server.rawName)}`,
    self: routes.serverFeed(server.slug),
    page: routes.server(server.slug),
    events: catalog.byServer.get(server.slug)!.changes,
  });
  return new Response(xml, { headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' } });
};
