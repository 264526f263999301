import { ContentError, readCatalog } from '../lib/catalog/files.ts';
import { importServer, readToolsListFile, type ImportResult } from '../lib/catalog/importer.ts';
import { fetchLiveToolsList, LiveImportError } from '../lib/catalog/live-import.ts';
import type { ServerSource } from '../schemas/server.ts';
import { packageVersion } from './version.ts';

/** Where to read tools from, with the secrets (env and header values) a run needs but the catalogue never stores. */
export type SourceSpec =
  | { kind: 'file'; file: string }
  | { kind: 'stdio'; commandLine: string; env: Record<string, string> }
  | { kind: 'http'; url: string; headers: Record<string, string> };

export interface RunOptions {
  contentDir: string;
  slug?: string | undefined;
  timeoutMs: number;
  today: string;
}

/** Reads tools from a file or a live server and imports them into the catalogue. */
export async function importFromSource(spec: SourceSpec, options: RunOptions): Promise<ImportResult> {
  if (spec.kind === 'file') {
    const { tools, server } = readToolsListFile(spec.file);
    return importServer({
      tools,
      server,
      slug: options.slug,
      source: { kind: 'file', file: spec.file },
      transport: 'unknown',
      contentDir: options.contentDir,
      today: options.today,
      origin: spec.file,
    });
  }
  const listed = await fetchLiveToolsList(spec, { timeoutMs: options.timeoutMs, clientVersion: packageVersion() });
  const source: ServerSource =
    spec.kind === 'stdio'
      ? { kind: 'stdio', command: spec.commandLine, ...(Object.keys(spec.env).length > 0 ? { env: Object.keys(spec.env).sort() } : {}) }
      : { kind: 'http', url: spec.url, ...(Object.keys(spec.headers).length > 0 ? { headers: Object.keys(spec.headers).sort() } : {}) };
  const server: Record<string, unknown> = {
    ...(listed.serverInfo
      ? { name: listed.serverInfo.title ?? listed.serverInfo.name, version: listed.serverInfo.version, serverInfo: listed.serverInfo }
      : {}),
    ...(listed.instructions ? { instructions: listed.instructions } : {}),
    ...(listed.package ? { package: listed.package } : {}),
  };
  return importServer({
    tools: listed.tools,
    server,
    slug: options.slug,
    source,
    transport: spec.kind,
    contentDir: options.contentDir,
    today: options.today,
    origin: spec.kind === 'stdio' ? `tools/list of ${JSON.stringify(spec.commandLine)}` : `tools/list of ${spec.url}`,
  });
}

/** Turns a recorded source back into a runnable one, taking secret values from the environment or --header. */
export function specFromRecorded(
  source: ServerSource,
  env: Record<string, string | undefined>,
  headers: Record<string, string>,
): SourceSpec {
  switch (source.kind) {
    case 'file':
      return { kind: 'file', file: source.file };
    case 'stdio': {
      const values: Record<string, string> = {};
      const missing: string[] = [];
      for (const name of source.env ?? []) {
        const value = env[name];
        if (value === undefined) missing.push(name);
        else values[name] = value;
      }
      if (missing.length > 0)
        throw new LiveImportError(
          `needs the environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (values are never stored in the catalogue)`,
        );
      return { kind: 'stdio', commandLine: source.command, env: values };
    }
    case 'http': {
      const missing = (source.headers ?? []).filter(
        (name) => !Object.keys(headers).some((given) => given.toLowerCase() === name.toLowerCase()),
      );
      if (missing.length > 0)
        throw new LiveImportError(
          `needs the header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: pass --header "${missing[0]}: …" (values are never stored)`,
        );
      return { kind: 'http', url: source.url, headers };
    }
  }
}

export interface RefreshReport {
  refreshed: Array<{ slug: string; result: ImportResult }>;
  skipped: Array<{ slug: string; reason: string }>;
  failed: Array<{ slug: string; reason: string }>;
}

/** Re-imports every server whose source can be re-run, reporting progress as it goes. */
export async function refreshCatalog(
  options: Omit<RunOptions, 'slug'> & {
    env: Record<string, string | undefined>;
    headers: Record<string, string>;
    progress: (line: string) => void;
  },
): Promise<RefreshReport> {
  const servers = readCatalog(options.contentDir);
  const report: RefreshReport = { refreshed: [], skipped: [], failed: [] };
  let index = 0;
  for (const { server } of servers) {
    index++;
    const prefix = `[${index}/${servers.length}] ${server.slug}`;
    if (!server.source) {
      report.skipped.push({ slug: server.slug, reason: 'no recorded source' });
      options.progress(`${prefix}: skipped (no recorded source)`);
      continue;
    }
    options.progress(
      `${prefix}: refreshing from ${server.source.kind === 'file' ? server.source.file : server.source.kind === 'stdio' ? server.source.command : server.source.url} …`,
    );
    try {
      const spec = specFromRecorded(server.source, options.env, options.headers);
      const result = await importFromSource(spec, { ...options, slug: server.slug });
      report.refreshed.push({ slug: server.slug, result });
      options.progress(`${prefix}: ${result.added.length} added, ${result.changed.length} changed, ${result.removed.length} removed`);
    } catch (error) {
      const reason =
        error instanceof ContentError || error instanceof LiveImportError
          ? error.message
          : error instanceof Error
            ? error.message
            : String(error);
      report.failed.push({ slug: server.slug, reason });
      options.progress(`${prefix}: FAILED: ${reason.split('\n')[0]}`);
    }
  }
  return report;
}

/** Lists a catalogued server's tools again from its recorded source, writing nothing (for `refresh --check`). */
export async function listRecorded(
  source: ServerSource,
  options: { env: Record<string, string | undefined>; headers: Record<string, string>; timeoutMs: number },
): Promise<unknown[]> {
  const spec = specFromRecorded(source, options.env, options.headers);
  if (spec.kind === 'file') return readToolsListFile(spec.file).tools;
  return (await fetchLiveToolsList(spec, { timeoutMs: options.timeoutMs, clientVersion: packageVersion() })).tools;
}
