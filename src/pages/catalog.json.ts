import type { APIRoute } from 'astro';
import { getCatalog } from '../data/catalog';
import { catalogIndex } from '../data/outputs';

/** Catalogue index: totals and every server, with links to its tool shard and policy bundle. */
export const GET: APIRoute = async ({ site }) => {
  const catalog = await getCatalog();
  return new Response(`${JSON.stringify(catalogIndex(catalog, site), null, 2)}\n`, { headers: { 'Content-Type': 'application/json' } });
};
