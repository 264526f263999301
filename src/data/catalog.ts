import { getCollection } from 'astro:content';
import { contentDir, readCatalogShared } from '../lib/catalog/files.ts';
import { markOnce } from '../lib/site/build-marks.ts';
import { buildCatalog, type Catalog } from './build-catalog.ts';

/**
 * The data layer's entry point: pages ask `getCatalog()` for what they render. It reads the
 * content once per build (server files from ATLAS_CONTENT, attack pages from Astro's content
 * collection) and hands it to `buildCatalog`, which computes everything else and reads nothing.
 */
export type { Attack, Catalog, Server, ServerTools, Tool } from './build-catalog.ts';

let catalog: Promise<Catalog> | undefined;

/** The whole catalogue, read and computed once per build. */
export function getCatalog(): Promise<Catalog> {
  catalog ??= (async () => {
    markOnce('render:start');
    return buildCatalog(readCatalogShared(contentDir()), await getCollection('attacks'));
  })();
  return catalog;
}
