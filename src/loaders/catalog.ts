import type { Loader } from 'astro/loaders';
import { readCatalog, type LoadedServer } from '../lib/catalog-files.ts';

/**
 * Loaders for the catalogue (content/servers/*.json, one file per server). Both
 * collections read the same files, so the parsed catalogue is shared for the length
 * of one sync. Validation happens in readCatalog with the shared schemas, which
 * name the file, the entry and the field; the collection schemas give types only,
 * so 31,000 tools are validated once, not twice.
 */
let shared: { dir: string; at: number; servers: LoadedServer[] } | undefined;
const SHARE_FOR_MS = 30_000;

function catalog(dir: string): LoadedServer[] {
  if (!shared || shared.dir !== dir || Date.now() - shared.at > SHARE_FOR_MS) {
    shared = { dir, at: Date.now(), servers: readCatalog(dir) };
  }
  return shared.servers;
}

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
