import type { APIRoute } from 'astro';
import { getCatalog } from '../data/catalog';
import { feedFor } from '../data/feeds';
import { routes } from '../data/routes';

/** The catalogue's changes feed: tools added, removed and changed by imports, newest first. */
export const GET: APIRoute = async ({ site }) => {
  const catalog = await getCatalog();
  const xml = feedFor(catalog, site, {
    title: 'Policy Atlas: catalogue changes',
    self: routes.changesFeed,
    page: routes.changes,
    events: catalog.changes,
  });
  return new Response(xml, { headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' } });
};
