import { CATEGORY_LABELS, RISK_LABELS } from '../../schemas/risk.ts';
import type { LoadedServer } from '../catalog/files.ts';
import { effectiveClassification } from '../classification/effective.ts';
import { routes } from './routes.ts';
import { plainLine } from '../text-safety/text.ts';

/** One entry of the search index (Pagefind's custom record shape). */
export interface SearchRecord {
  url: string;
  content: string;
  language: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
}

/** Words of a description worth indexing; the page shows the rest. */
const MAX_INDEXED_DESCRIPTION = 2000;

/**
 * Search records for every tool and server page, from the same catalogue and the same
 * effective classification the pages render. Only what a reader searches for goes in:
 * names, titles, descriptions, risk and category; never policy JSON, generated
 * explanations or navigation. URLs are below the
 * base; the search UI adds it.
 */
export function searchRecords(servers: readonly LoadedServer[]): SearchRecord[] {
  const records: SearchRecord[] = [];
  for (const { server, tools } of servers) {
    const serverName = plainLine(server.name);
    const active = tools.filter((tool) => !tool.history?.removedOn);
    records.push({
      url: `/${routes.server(server.slug)}`,
      content: [
        serverName,
        plainLine(server.description ?? ''),
        `${active.length} tool${active.length === 1 ? '' : 's'}`,
        active.map((t) => plainLine(t.name)).join(' '),
      ].join('. '),
      language: 'en',
      meta: { title: serverName, kind: 'Server' },
      filters: { server: [serverName] },
    });
    // Removed tools keep their pages (linked from the server page) but leave search.
    for (const tool of active) {
      const { category, risk } = effectiveClassification(tool);
      const name = plainLine(tool.name);
      const description = plainLine(tool.description ?? '').slice(0, MAX_INDEXED_DESCRIPTION);
      records.push({
        url: `/${routes.tool(server.slug, tool.slug!)}`,
        content: [
          name,
          tool.title ? plainLine(tool.title) : '',
          description,
          `${RISK_LABELS[risk]} risk ${CATEGORY_LABELS[category]} tool on ${serverName}.`,
        ]
          .filter(Boolean)
          .join(' '),
        language: 'en',
        meta: { title: name, server: serverName, risk: RISK_LABELS[risk], category: CATEGORY_LABELS[category] },
        filters: { risk: [RISK_LABELS[risk]], category: [CATEGORY_LABELS[category]], server: [serverName] },
      });
    }
  }
  return records;
}
