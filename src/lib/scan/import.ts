import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { ContentError, parseServerFile, readCatalog } from '../catalog/files.ts';
import { importServer } from '../catalog/importer.ts';
import { fetchLiveToolsList, LiveImportError, type LiveSource } from '../catalog/live-import.ts';
import { uniqueSlug } from '../text-safety/slug.ts';
import type { ServerFile, ServerSource } from '../../schemas/server.ts';
import type { ScannedServer } from './entries.ts';
import type { ScannedConfig } from './scan.ts';
import { riskSummary, type RiskSummary } from './summary.ts';

/**
 * Imports every server a scan found into a catalogue, live, through the same SDK client,
 * proxy and CA passthrough as `atlas import`. One server that cannot start is reported and
 * the others go on.
 */

export interface ImportedServer {
  slug: string;
  file: ServerFile;
  summary: RiskSummary;
  added: number;
  changed: number;
  removed: number;
}

export type ServerOutcome =
  { status: 'imported'; imported: ImportedServer } | { status: 'skipped'; reason: string } | { status: 'failed'; reason: string };

export interface ScanImportOptions {
  contentDir: string;
  timeoutMs: number;
  today: string;
  clientVersion: string;
  /** Start servers from project configs too (a repository's config is code its authors chose to run). */
  trustProject: boolean;
  /** Variables `${VAR}` references resolve against (the user's environment). */
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  /** The project folder: what ${workspaceFolder} stands for. */
  project: string | undefined;
  progress: (line: string) => void;
  /** Replaceable in tests; the real live importer by default. */
  fetchTools?: typeof fetchLiveToolsList;
}

/** The variables a client expands in its config: ${VAR}, ${VAR:-default}, ${env:VAR}, ${userHome}, ${workspaceFolder}. */
export function expandVariables(
  text: string,
  context: { env: Readonly<Record<string, string | undefined>>; home: string; workspace: string | undefined },
): string {
  return text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner === 'userHome') return context.home;
    if (inner === 'workspaceFolder') {
      if (context.workspace === undefined) throw new LiveImportError(`${whole} has no workspace folder to stand for`);
      return context.workspace;
    }
    if (inner.startsWith('input:'))
      throw new LiveImportError(`${JSON.stringify(whole)} is asked of the user by the client when it starts; the scan cannot answer it`);
    const name = inner.startsWith('env:') ? inner.slice(4) : inner.split(':-')[0]!;
    const fallback = !inner.startsWith('env:') && inner.includes(':-') ? inner.slice(inner.indexOf(':-') + 2) : undefined;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return whole;
    const value = context.env[name] ?? fallback;
    if (value === undefined) throw new LiveImportError(`needs the environment variable ${name} (named in the config as ${whole})`);
    return value;
  });
}

/** Same server in two configs (same command line or URL, same variable or header names): imported once. */
export const serverIdentity = (server: ScannedServer): string => JSON.stringify(sourceFor(server));

/** What the catalogue records as the server's source: names of variables and headers, never values. */
export function sourceFor(server: ScannedServer): ServerSource {
  if (server.transport === 'stdio')
    return {
      kind: 'stdio',
      command: quote([server.command!, ...server.args]),
      ...(server.envNames.length > 0 ? { env: server.envNames } : {}),
    };
  return { kind: 'http', url: server.url!, ...(server.headerNames.length > 0 ? { headers: server.headerNames } : {}) };
}

const sameSource = (a: ServerSource | undefined, b: ServerSource) => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

function liveSourceFor(server: ScannedServer, options: ScanImportOptions): LiveSource {
  const expand = (text: string) => expandVariables(text, { env: options.env, home: options.home, workspace: options.project });
  // A wrapped entry is listed through its own command, not the guard: the catalogue wants every tool.
  const launch = server.launch;
  if (server.transport === 'stdio') {
    const env = Object.fromEntries(Object.entries(launch?.env ?? {}).map(([name, value]) => [name, expand(value)]));
    return { kind: 'stdio', commandLine: quote([expand(server.command!), ...server.args.map(expand)]), env };
  }
  if (server.transport === 'sse')
    throw new LiveImportError('uses the SSE transport, which the importer does not speak (streamable HTTP only)');
  const headers = Object.fromEntries(Object.entries(launch?.headers ?? {}).map(([name, value]) => [name, expand(value)]));
  return { kind: 'http', url: expand(server.url!), headers };
}

export interface ScanImportResult {
  /** Keyed by `${config index}/${server name}`. */
  outcomes: Map<string, ServerOutcome>;
}

export const outcomeKey = (configIndex: number, server: ScannedServer) => `${configIndex}/${JSON.stringify(server.path)}`;

export async function importScanned(configs: readonly ScannedConfig[], options: ScanImportOptions): Promise<ScanImportResult> {
  const fetchTools = options.fetchTools ?? fetchLiveToolsList;
  const outcomes = new Map<string, ServerOutcome>();
  const byIdentity = new Map<string, ServerOutcome>();
  const catalogue = existsSync(join(options.contentDir, 'servers')) ? readCatalog(options.contentDir) : [];
  const taken = new Map(catalogue.map((entry) => [entry.server.slug, entry.server.source]));
  const total = configs.reduce((sum, config) => sum + config.servers.length, 0);
  let index = 0;
  for (const [configIndex, config] of configs.entries()) {
    for (const server of config.servers) {
      index++;
      const label = `[${index}/${total}] ${JSON.stringify(server.name)} (${config.path})`;
      const key = outcomeKey(configIndex, server);
      if (server.disabled) {
        outcomes.set(key, { status: 'skipped', reason: 'disabled in the config' });
        continue;
      }
      if (config.scope === 'project' && !options.trustProject) {
        outcomes.set(key, {
          status: 'skipped',
          reason: "from the project's config: not started without --trust-project (the client asks you to trust the folder first, too)",
        });
        continue;
      }
      const identity = serverIdentity(server);
      const earlier = byIdentity.get(identity);
      if (earlier) {
        outcomes.set(key, earlier);
        continue;
      }
      options.progress(`${label}: listing tools …`);
      let outcome: ServerOutcome;
      try {
        const live = liveSourceFor(server, options);
        const source = sourceFor(server);
        // A slug another server already holds gets a suffix; a re-scan of the same server re-imports into its file.
        const existing = [...taken].find(([, recorded]) => sameSource(recorded, source))?.[0];
        const slug = existing ?? uniqueSlug(server.name, { has: (slug) => taken.has(slug) }, 'server');
        const listed = await fetchTools(live, { timeoutMs: options.timeoutMs, clientVersion: options.clientVersion });
        const result = importServer({
          tools: listed.tools,
          server: {
            ...(listed.serverInfo
              ? {
                  name: listed.serverInfo.title ?? listed.serverInfo.name,
                  version: listed.serverInfo.version,
                  serverInfo: listed.serverInfo,
                }
              : { name: server.name }),
            ...(listed.instructions ? { instructions: listed.instructions } : {}),
            ...(listed.package ? { package: listed.package } : {}),
          },
          slug,
          source,
          transport: server.transport === 'stdio' ? 'stdio' : 'http',
          contentDir: options.contentDir,
          today: options.today,
          origin: `tools/list of ${JSON.stringify(server.name)} in ${config.path}`,
        });
        taken.set(slug, source);
        const file = parseServerFile(result.file, readFileSync(result.file, 'utf8'), slug);
        outcome = {
          status: 'imported',
          imported: {
            slug,
            file,
            summary: riskSummary(file),
            added: result.added.length,
            changed: result.changed.length,
            removed: result.removed.length,
          },
        };
        options.progress(`${label}: ${file.tools.length} tools → ${result.file}`);
      } catch (error) {
        const reason =
          error instanceof LiveImportError || error instanceof ContentError || error instanceof Error ? error.message : String(error);
        outcome = { status: 'failed', reason };
        options.progress(`${label}: FAILED: ${reason.split('\n')[0]}`);
      }
      byIdentity.set(identity, outcome);
      outcomes.set(key, outcome);
    }
  }
  return { outcomes };
}
