import type { APIRoute, InferGetStaticPropsType } from 'astro';
import { getCatalog } from '../../../data/catalog';
import { serverStaticPaths } from '../../../data/routes';
import { riskBadgeSvg } from '../../../lib/site/badge';

export const getStaticPaths = serverStaticPaths;
type Props = InferGetStaticPropsType<typeof getStaticPaths>;

/** The server's risk badge, at a stable URL for its README. */
export const GET: APIRoute<Props> = async ({ props: { server } }) => {
  const catalog = await getCatalog();
  const svg = riskBadgeSvg(server.rawName, catalog.byServer.get(server.slug)!.riskCounts);
  return new Response(svg, { headers: { 'Content-Type': 'image/svg+xml' } });
};
