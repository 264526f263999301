import type { APIRoute, InferGetStaticPropsType } from 'astro';
import { getCatalog } from '../../../data/catalog';
import { serverStaticPaths } from '../../../data/routes';
import { policyJson } from '../../../lib/policy/recommend';

export const getStaticPaths = serverStaticPaths;
type Props = InferGetStaticPropsType<typeof getStaticPaths>;

/** The server's policy bundle as a static file: the same validated bundle its page shows. */
export const GET: APIRoute<Props> = async ({ props: { server } }) => {
  const catalog = await getCatalog();
  const { bundle } = catalog.byServer.get(server.slug)!;
  return new Response(policyJson(bundle), { headers: { 'Content-Type': 'application/json' } });
};
