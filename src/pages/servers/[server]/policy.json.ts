import type { APIRoute, GetStaticPaths, InferGetStaticPropsType } from 'astro';
import { getCatalog } from '../../../data/catalog';
import { serverKey } from '../../../data/page-keys';
import { policyJson } from '../../../lib/policy/recommend';

export const getStaticPaths = (async () => {
  const catalog = await getCatalog();
  return catalog.servers.map((server) => ({
    params: { server: server.slug },
    props: { server },
    cacheKey: serverKey(catalog, server.slug),
  }));
}) satisfies GetStaticPaths;

type Props = InferGetStaticPropsType<typeof getStaticPaths>;

/** The server's policy bundle as a static file: the same validated bundle its page shows. */
export const GET: APIRoute<Props> = async ({ props }) => {
  const catalog = await getCatalog();
  const { bundle } = catalog.byServer.get(props.server.slug)!;
  return new Response(policyJson(bundle), { headers: { 'Content-Type': 'application/json' } });
};
