import type { CatalogTool } from '../../schemas/tool.ts';
import { assessAdded, assessRecorded, assessRemoved, SEVERITY_RANK, type Severity } from './severity.ts';

/** One thing an import found: a tool added, removed, or whose definition changed. */
export interface ChangeEvent {
  kind: 'added' | 'removed' | 'changed';
  /** YYYY-MM-DD of the import that found it. */
  date: string;
  server: string;
  tool: string;
  slug: string;
  /** For a changed definition: which fields changed, and the description as it was. */
  fields?: readonly string[];
  previousDescription?: string | undefined;
  /** How serious it is by what it means (src/lib/catalog/severity.ts), and why. */
  severity: Severity;
  reasons: readonly string[];
  /** Stable across builds: the same event always has the same id. */
  key: string;
}

/** Every change recorded in a server's tools, serious first, then newest first (ties by tool name, then kind). */
export function serverChanges(
  server: string,
  tools: ReadonlyArray<Pick<CatalogTool, 'name' | 'slug' | 'history' | 'classification' | 'description'>>,
): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const tool of tools) {
    const history = tool.history;
    const slug = tool.slug ?? '';
    if (!history) continue;
    events.push({
      kind: 'added',
      date: history.firstSeen,
      server,
      tool: tool.name,
      slug,
      ...assessAdded(tool.classification),
      key: `${server}/${slug}/added/${history.firstSeen}`,
    });
    history.changes.forEach((change, index) => {
      events.push({
        kind: 'changed',
        date: change.date,
        server,
        tool: tool.name,
        slug,
        fields: change.fields,
        previousDescription: change.previousDescription,
        ...assessRecorded(change, tool),
        key: `${server}/${slug}/changed/${change.date}/${index + 1}`,
      });
    });
    if (history.removedOn)
      events.push({
        kind: 'removed',
        date: history.removedOn,
        server,
        tool: tool.name,
        slug,
        ...assessRemoved(),
        key: `${server}/${slug}/removed/${history.removedOn}`,
      });
  }
  return sortChanges(events);
}

const KIND_ORDER = { changed: 0, removed: 1, added: 2 } as const;

/** Serious first; then newest first; on one day, changed definitions (the rug-pull signal) before removals and additions. */
export function sortChanges(events: ChangeEvent[]): ChangeEvent[] {
  return events.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.date.localeCompare(a.date) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.server.localeCompare(b.server) ||
      a.tool.localeCompare(b.tool) ||
      a.key.localeCompare(b.key),
  );
}
