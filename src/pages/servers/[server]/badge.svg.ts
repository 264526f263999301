import type { APIRoute, GetStaticPaths, InferGetStaticPropsType } from 'astro';
import { getCatalog } from '../../../data/catalog';
import { serverKey } from '../../../data/page-keys';
import { riskBadgeSvg } from '../../../lib/site/badge';

export const getStaticPaths = (async () => {
  const catalog = await getCatalog();
  return catalog.servers.map((server) => ({
    params: { server: server.slug },
    props: { server: server.slug },
    cacheKey: serverKey(catalog, server.slug),
  }));
}) satisfies GetStaticPaths;

type Props = InferGetStaticPropsType<typeof getStaticPaths>;

/** The server's risk badge, at a stable URL for its README. */
export const GET: APIRoute<Props> = async ({ props }) => {
  const catalog = await getCatalog();
  const server = catalog.serverBySlug.get(props.server)!;
  const svg = riskBadgeSvg(server.rawName, catalog.byServer.get(server.slug)!.riskCounts);
  return new Response(svg, { headers: { 'Content-Type': 'image/svg+xml' } });
};
