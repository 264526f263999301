import type { APIRoute } from 'astro';
import { getCatalog } from '../data/catalog';

/**
 * The counts beside Review and Changes in every page's navigation. They come from this one small
 * file, fetched by the page script, rather than from each page: a count in every page would tie
 * every page to the whole catalogue, and a one-server import would re-render the site.
 */
export const GET: APIRoute = async () => {
  const catalog = await getCatalog();
  const signals = catalog.changes.filter((event) => event.kind !== 'added').length;
  return new Response(`${JSON.stringify({ review: catalog.reviewQueue.length, changes: signals })}\n`, {
    headers: { 'Content-Type': 'application/json' },
  });
};
