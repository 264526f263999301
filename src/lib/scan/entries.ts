import { isRecord } from '../shared/records.ts';
import type { ClientId } from './locations.ts';

/**
 * One server entry of a client config, as the scan understands it. Secret values (env and
 * header values) stay inside `launch`, which is used to start the server and is never printed
 * or written: reports and the catalogue carry names only.
 */

export type Transport = 'stdio' | 'http' | 'sse';

export interface ServerLaunch {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
}

export interface ScannedServer {
  /** The entry's key in the config: untrusted text, printed with JSON quoting. */
  name: string;
  /** Where the entry sits in the file: the keys leading to it, e.g. ["mcpServers", "<name>"]. */
  path: string[];
  transport: Transport;
  command: string | undefined;
  args: string[];
  url: string | undefined;
  /** The key that holds the URL in this client's format (url, serverUrl, httpUrl). */
  urlKey: string | undefined;
  /** Names only, sorted. */
  envNames: string[];
  headerNames: string[];
  disabled: boolean;
  /** Set when the entry already runs under `atlas guard` (then `command`/`args`/`url` are the original server's). */
  wrapped: { policy: string | undefined } | undefined;
  launch: ServerLaunch;
}

export interface UnderstoodEntry {
  ok: true;
  server: ScannedServer;
}
export interface BrokenEntry {
  ok: false;
  name: string;
  path: string[];
  problem: string;
}
export type EntryResult = UnderstoodEntry | BrokenEntry;

/** Keys of each client's server maps, relative to the file's root. */
export function serverMapPaths(client: ClientId, data: unknown): string[][] {
  if (!isRecord(data)) return [];
  switch (client) {
    case 'vscode': {
      // mcp.json holds "servers"; the older form is "mcp": { "servers": … } inside settings.json.
      const paths: string[][] = [];
      if ('servers' in data || !('mcp' in data)) paths.push(['servers']);
      if (isRecord(data['mcp']) && 'servers' in data['mcp']) paths.push(['mcp', 'servers']);
      return paths;
    }
    case 'codex':
      return [['mcp_servers']];
    case 'claude-code': {
      // ~/.claude.json holds user-scope servers at the top and local-scope servers per project folder.
      const paths = [['mcpServers']];
      if (isRecord(data['projects'])) {
        for (const [folder, project] of Object.entries(data['projects']))
          if (isRecord(project) && 'mcpServers' in project) paths.push(['projects', folder, 'mcpServers']);
      }
      return paths;
    }
    default:
      return [['mcpServers']];
  }
}

export function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const key of path) {
    if (!isRecord(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

const stringRecord = (value: unknown): Record<string, string> | string => {
  if (value === undefined) return {};
  if (!isRecord(value)) return 'must be an object of names to strings';
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') return `${JSON.stringify(key)} must be a string`;
    out[key] = item;
  }
  return out;
};

/** The atlas guard command line inside a wrapped entry: `… guard --policy <file> [options] -- <command> <args…>` or `--upstream <url>`. */
export function unwrapGuardArgs(
  command: string,
  args: readonly string[],
): { policy: string | undefined; command?: string; args?: string[]; url?: string; headerNames?: string[] } | undefined {
  const all = [command, ...args];
  const guardAt = all.findIndex((part, index) => part === 'guard' && index > 0 && /(^|[\\/])atlas(\.mjs)?$/.test(all[index - 1]!));
  if (guardAt === -1) return undefined;
  const rest = all.slice(guardAt + 1);
  const policyAt = rest.indexOf('--policy');
  const policy = policyAt === -1 ? undefined : rest[policyAt + 1];
  const dashDash = rest.indexOf('--');
  if (dashDash !== -1) {
    const [inner, ...innerArgs] = rest.slice(dashDash + 1);
    return inner === undefined ? undefined : { policy, command: inner, args: innerArgs };
  }
  const upstreamAt = rest.indexOf('--upstream');
  // Headers the wrap moved into the entry's env, by name: the guard reads them with --header-env and --bearer-env.
  const headerNames = rest.flatMap((part, index) =>
    rest[index - 1] === '--header-env'
      ? [part.slice(0, Math.max(0, part.indexOf('=')))]
      : rest[index - 1] === '--bearer-env'
        ? ['Authorization']
        : [],
  );
  if (upstreamAt !== -1 && rest[upstreamAt + 1])
    return { policy, url: rest[upstreamAt + 1]!, headerNames: [...new Set(headerNames)].sort() };
  return undefined;
}

/** Normalises one entry of a JSON client (mcpServers / servers) or of Codex's [mcp_servers.<id>]. */
export function readEntry(client: ClientId, name: string, path: string[], raw: unknown): EntryResult {
  const broken = (problem: string): BrokenEntry => ({ ok: false, name, path, problem });
  if (!isRecord(raw)) return broken(`must be an object (got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw})`);
  const type = raw['type'];
  if (type !== undefined && typeof type !== 'string') return broken('type: must be a string');
  const command = raw['command'];
  // Windsurf names a remote server's address serverUrl; Gemini CLI uses httpUrl for streamable HTTP and url for SSE.
  const urlKeys = ['url', 'serverUrl', 'httpUrl'].filter((key) => raw[key] !== undefined);
  if (command !== undefined && urlKeys.length > 0)
    return broken(`has both command and ${urlKeys[0]}: cannot tell how the client starts it`);
  if (urlKeys.length > 1) return broken(`has both ${urlKeys[0]} and ${urlKeys[1]}`);
  const disabled = raw['disabled'] === true || raw['enabled'] === false;

  if (command !== undefined) {
    if (typeof command !== 'string' || command.trim() === '') return broken('command: must be a non-empty string');
    if (type !== undefined && type !== 'stdio') return broken(`type ${JSON.stringify(type)} does not match a command (expected "stdio")`);
    const args = raw['args'] ?? [];
    if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) return broken('args: must be an array of strings');
    const env = stringRecord(raw['env']);
    if (typeof env === 'string') return broken(`env: ${env}`);
    const cwd = raw['cwd'];
    if (cwd !== undefined && typeof cwd !== 'string') return broken('cwd: must be a string');
    // Codex can also pass variables through by name.
    const passThrough = raw['env_vars'];
    if (passThrough !== undefined && (!Array.isArray(passThrough) || !passThrough.every((v) => typeof v === 'string')))
      return broken('env_vars: must be an array of names');
    const guarded = unwrapGuardArgs(command, args as string[]);
    const launch: ServerLaunch = { command, args: args as string[], env, ...(cwd ? { cwd } : {}) };
    if (guarded?.url !== undefined) {
      return {
        ok: true,
        server: {
          name,
          path,
          transport: 'http',
          command: undefined,
          args: [],
          url: guarded.url,
          urlKey: undefined,
          envNames: [...new Set([...Object.keys(env), ...((passThrough as string[] | undefined) ?? [])])].sort(),
          headerNames: guarded.headerNames ?? [],
          disabled,
          wrapped: { policy: guarded.policy },
          launch,
        },
      };
    }
    return {
      ok: true,
      server: {
        name,
        path,
        transport: 'stdio',
        command: guarded?.command ?? command,
        args: guarded?.args ?? (args as string[]),
        url: undefined,
        urlKey: undefined,
        envNames: [...new Set([...Object.keys(env), ...((passThrough as string[] | undefined) ?? [])])].sort(),
        headerNames: [],
        disabled,
        wrapped: guarded ? { policy: guarded.policy } : undefined,
        launch,
      },
    };
  }

  if (urlKeys.length === 1) {
    const key = urlKeys[0]!;
    const url = raw[key];
    if (typeof url !== 'string') return broken(`${key}: must be a string`);
    const transport: Transport = type === 'sse' || (client === 'gemini-cli' && key === 'url') ? 'sse' : 'http';
    if (type !== undefined && !['http', 'sse', 'streamable-http', 'streamableHttp'].includes(type))
      return broken(`type ${JSON.stringify(type)} does not match a URL`);
    // Codex: http_headers holds values, env_http_headers maps header names to variable names, bearer_token_env_var sets Authorization.
    const headers = stringRecord(raw['headers'] ?? raw['http_headers']);
    if (typeof headers === 'string') return broken(`headers: ${headers}`);
    const envHeaders = stringRecord(raw['env_http_headers']);
    if (typeof envHeaders === 'string') return broken(`env_http_headers: ${envHeaders}`);
    const bearer = raw['bearer_token_env_var'];
    if (bearer !== undefined && typeof bearer !== 'string') return broken('bearer_token_env_var: must be a string');
    const headerNames = [...new Set([...Object.keys(headers), ...Object.keys(envHeaders), ...(bearer ? ['Authorization'] : [])])].sort();
    const envNames = [...new Set([...Object.values(envHeaders), ...(bearer ? [bearer] : [])])].sort();
    return {
      ok: true,
      server: {
        name,
        path,
        transport,
        command: undefined,
        args: [],
        url,
        urlKey: key,
        envNames,
        headerNames,
        disabled,
        wrapped: undefined,
        launch: { url, headers },
      },
    };
  }
  return broken('has neither command nor url: not a server entry this scan understands');
}

/** Every entry of every server map in a parsed config. */
export function readEntries(client: ClientId, data: unknown): { entries: EntryResult[]; problems: string[] } {
  const entries: EntryResult[] = [];
  const problems: string[] = [];
  for (const mapPath of serverMapPaths(client, data)) {
    const map = valueAt(data, mapPath);
    if (map === undefined) continue;
    if (!isRecord(map)) {
      problems.push(`${mapPath.join('.')}: must be an object of server names to entries`);
      continue;
    }
    for (const [name, raw] of Object.entries(map)) entries.push(readEntry(client, name, [...mapPath, name], raw));
  }
  return { entries, problems };
}
