import type { APIRoute, InferGetStaticPropsType } from 'astro';
import { getCatalog } from '../../data/catalog';
import { catalogShard } from '../../data/outputs';
import { serverStaticPaths } from '../../data/routes';

export const getStaticPaths = serverStaticPaths;
type Props = InferGetStaticPropsType<typeof getStaticPaths>;

/** One server's tools with their classification and definition: the catalogue sharded per server. */
export const GET: APIRoute<Props> = async ({ props: { server }, site }) => {
  const catalog = await getCatalog();
  return new Response(`${JSON.stringify(catalogShard(catalog, server, site))}\n`, {
    headers: { 'Content-Type': 'application/json' },
  });
};
