import { ContentError, readCatalog, type LoadedServer } from '../catalog/files.ts';
import { mergeImport } from '../catalog/importer.ts';
import { assessAdded, assessRemoved, SEVERITY_RANK, type Severity } from '../catalog/severity.ts';

/**
 * `refresh --check`: lists every server again, compares what it offers now with the catalogue,
 * and changes nothing. Each difference is a change with a severity by what it means, so CI can
 * fail on drift and say first what matters most.
 */

export interface DriftChange {
  server: string;
  /** The server's content file, where a reviewer looks. */
  file: string;
  tool: string;
  kind: 'added' | 'removed' | 'changed';
  fields: string[];
  severity: Severity;
  reasons: string[];
}

export interface DriftReport {
  checked: string[];
  changes: DriftChange[];
  skipped: Array<{ slug: string; reason: string }>;
  failed: Array<{ slug: string; reason: string }>;
}

/** Lists the tools of one catalogued server again, from its recorded source. Throws to report a failure. */
export type ListTools = (server: LoadedServer) => Promise<unknown[]>;

export async function checkCatalog(options: {
  contentDir: string;
  today: string;
  listTools: ListTools;
  progress: (line: string) => void;
}): Promise<DriftReport> {
  const servers = readCatalog(options.contentDir);
  const report: DriftReport = { checked: [], changes: [], skipped: [], failed: [] };
  for (const [index, entry] of servers.entries()) {
    const { server } = entry;
    const prefix = `[${index + 1}/${servers.length}] ${server.slug}`;
    if (!server.source) {
      report.skipped.push({ slug: server.slug, reason: 'no recorded source' });
      options.progress(`${prefix}: skipped (no recorded source)`);
      continue;
    }
    try {
      const tools = await options.listTools(entry);
      const { file, result } = mergeImport(
        {
          tools,
          server: {},
          slug: server.slug,
          source: server.source,
          transport: server.transport,
          contentDir: options.contentDir,
          today: options.today,
          origin: `tools/list of ${server.slug}`,
        },
        entry,
      );
      const merged = new Map(file.tools.map((tool) => [tool.name, tool]));
      for (const name of result.added) {
        const tool = merged.get(name)!;
        report.changes.push({
          server: server.slug,
          file: entry.file,
          tool: name,
          kind: 'added',
          fields: [],
          ...assessAdded(tool.classification),
        });
      }
      for (const change of result.changed) {
        report.changes.push({
          server: server.slug,
          file: entry.file,
          tool: change.name,
          kind: 'changed',
          fields: change.fields,
          severity: change.severity,
          reasons: change.reasons,
        });
      }
      for (const name of result.removed)
        report.changes.push({ server: server.slug, file: entry.file, tool: name, kind: 'removed', fields: [], ...assessRemoved() });
      report.checked.push(server.slug);
      options.progress(`${prefix}: ${result.added.length} added, ${result.changed.length} changed, ${result.removed.length} removed`);
    } catch (error) {
      const reason = error instanceof ContentError || error instanceof Error ? error.message : String(error);
      report.failed.push({ slug: server.slug, reason });
      options.progress(`${prefix}: FAILED: ${reason.split('\n')[0]}`);
    }
  }
  report.changes.sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.server.localeCompare(b.server) || a.tool.localeCompare(b.tool),
  );
  return report;
}
