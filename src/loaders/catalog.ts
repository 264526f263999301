import type { Loader } from 'astro/loaders';
import { readCatalogShared } from '../lib/catalogue/files.ts';

/**
 * Loaders for the catalogue (content/servers/*.json, one file per server). Both
 * collections (and the search index) read the same files, so the parsed catalogue
 * is shared. Validation happens in readCatalog with the shared schemas, which
 * name the file, the entry and the field; the collection schemas give types only,
 * so 31,000 tools are validated once, not twice.
 */
const catalog = readCatalogShared;

export function serversLoader(dir: string): Loader {
  return {
    name: 'policy-atlas-servers',
    load: async ({ store, logger }) => {
      const servers = catalog(dir);
      store.clear();
      for (const { server, tools, file } of servers) {
        store.set({ id: server.slug, data: { ...server, file, toolCount: tools.length } });
      }
      logger.info(`${servers.length} servers from ${dir}`);
    },
  };
}

export function toolsLoader(dir: string): Loader {
  return {
    name: 'policy-atlas-tools',
    load: async ({ store, logger }) => {
      const servers = catalog(dir);
      store.clear();
      let count = 0;
      for (const { server, tools } of servers) {
        for (const tool of tools) {
          store.set({ id: `${server.slug}/${tool.slug}`, data: { ...tool, server: server.slug } });
          count++;
        }
      }
      logger.info(`${count} tools from ${dir}`);
    },
  };
}
