import type { APIRoute, GetStaticPaths, InferGetStaticPropsType } from 'astro';
import { getCatalog } from '../../data/catalog';
import { serverKey } from '../../data/page-keys';
import { catalogShard } from '../../data/outputs';

export const getStaticPaths = (async () => {
  const catalog = await getCatalog();
  return catalog.servers.map((server) => ({
    params: { server: server.slug },
    props: { server },
    cacheKey: serverKey(catalog, server.slug),
  }));
}) satisfies GetStaticPaths;

type Props = InferGetStaticPropsType<typeof getStaticPaths>;

/** One server's tools with their classification and definition: the catalogue sharded per server. */
export const GET: APIRoute<Props> = async ({ props, site }) => {
  const catalog = await getCatalog();
  return new Response(`${JSON.stringify(catalogShard(catalog, props.server, site))}\n`, {
    headers: { 'Content-Type': 'application/json' },
  });
};
