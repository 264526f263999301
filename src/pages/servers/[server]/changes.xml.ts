import type { APIRoute, GetStaticPaths, InferGetStaticPropsType } from 'astro';
import { getCatalog, serverFeedPath } from '../../../data/catalog';
import { serverKey } from '../../../data/page-keys';
import { feedFor } from '../../../data/feeds';
import { xmlText } from '../../../lib/text-safety/text';

export const getStaticPaths = (async () => {
  const catalog = await getCatalog();
  return catalog.servers.map((server) => ({
    params: { server: server.slug },
    props: { server: server.slug },
    cacheKey: serverKey(catalog, server.slug),
  }));
}) satisfies GetStaticPaths;

type Props = InferGetStaticPropsType<typeof getStaticPaths>;

/** One server's changes feed: what each re-import found. */
export const GET: APIRoute<Props> = async ({ props, site }) => {
  const catalog = await getCatalog();
  const server = catalog.serverBySlug.get(props.server)!;
  const xml = feedFor(catalog, site, {
    title: `Policy Atlas: changes to ${xmlText(server.rawName)}`,
    self: serverFeedPath(server.slug),
    page: `servers/${server.slug}/`,
    events: catalog.byServer.get(server.slug)!.changes,
  });
  return new Response(xml, { headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' } });
};
