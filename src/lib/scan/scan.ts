import { resolve } from 'node:path';
import { CLIENT_SYNTAX, readConfigFile, type ConfigSyntax } from './config-file.ts';
import { readEntries, type BrokenEntry, type ScannedServer } from './entries.ts';
import { clientForPath, configLocations, type ClientId, type ConfigScope, type ScanEnvironment } from './locations.ts';

/** One config file the scan looked at. */
export interface ScannedConfig {
  client: ClientId;
  scope: ConfigScope | 'given';
  path: string;
  syntax: ConfigSyntax;
  /** False when the file exists but could not be read or parsed; `problem` says why. */
  readable: boolean;
  problem: string | undefined;
  servers: ScannedServer[];
  /** Entries the scan does not understand; left untouched by --wrap. */
  broken: BrokenEntry[];
}

export interface ScanOptions {
  environment: ScanEnvironment;
  /** Files given with --config: scanned whether or not they are at a known location. */
  configs?: readonly string[];
  /** Skip the known locations and scan only the given files. */
  onlyGiven?: boolean;
}

export class ScanInputError extends Error {}

export function scanConfigFile(path: string, client: ClientId, scope: ScannedConfig['scope']): ScannedConfig | undefined {
  const syntax = CLIENT_SYNTAX[client];
  const read = readConfigFile(path, syntax);
  if (!read.ok) {
    if (read.missing && scope !== 'given') return undefined;
    return { client, scope, path, syntax, readable: false, problem: read.problem, servers: [], broken: [] };
  }
  const { entries, problems } = readEntries(client, read.data);
  return {
    client,
    scope,
    path,
    syntax,
    readable: true,
    problem: problems.length > 0 ? problems.join('; ') : undefined,
    servers: entries.flatMap((entry) => (entry.ok ? [entry.server] : [])),
    broken: entries.flatMap((entry) => (entry.ok ? [] : [entry])),
  };
}

/** Finds and reads every client config at its documented location, and every file given. */
export function scanConfigs(options: ScanOptions): ScannedConfig[] {
  const found: ScannedConfig[] = [];
  const seen = new Set<string>();
  for (const file of options.configs ?? []) {
    const path = resolve(file);
    const client = clientForPath(path);
    if (!client) {
      throw new ScanInputError(
        `--config ${JSON.stringify(file)}: cannot tell which client reads it from its name (expected claude_desktop_config.json, .claude.json, .mcp.json, mcp.json under .cursor/ or .vscode/, mcp_config.json, .gemini/settings.json or config.toml)`,
      );
    }
    seen.add(path);
    found.push(scanConfigFile(path, client, 'given')!);
  }
  if (!options.onlyGiven) {
    for (const location of configLocations(options.environment)) {
      if (seen.has(location.path)) continue;
      seen.add(location.path);
      const config = scanConfigFile(location.path, location.client, location.scope);
      if (config) found.push(config);
    }
  }
  return found;
}
