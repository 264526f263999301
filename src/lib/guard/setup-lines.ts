import { parse as parseShell, quote } from 'shell-quote';
import { stringify as toToml } from 'smol-toml';

/**
 * The lines a reader pastes to run a catalogued server under `atlas guard` with its page's
 * policy, for each client. Server names, packages and commands come from the catalogue and are
 * untrusted: every line is built by a serializer (shell quoting, JSON.stringify, TOML), never by
 * pasting text into a template.
 */

export type Launch =
  | { kind: 'stdio'; argv: readonly string[] }
  | { kind: 'http'; url: string; headers: readonly string[] }
  | { kind: 'unknown'; placeholder: string };

export interface ServerLaunchFacts {
  name: string;
  package?: string | undefined;
  transport?: string | undefined;
  source?:
    | { kind: 'file'; file: string }
    | { kind: 'stdio'; command: string }
    | { kind: 'http'; url: string; headers?: string[] | undefined }
    | undefined;
}

/** How the server starts, from what the catalogue recorded: its import command, its package, its URL; else a marked placeholder. */
export function launchOf(server: ServerLaunchFacts): Launch {
  if (server.source?.kind === 'http') return { kind: 'http', url: server.source.url, headers: server.source.headers ?? [] };
  if (server.source?.kind === 'stdio') {
    const parts = parseShell(server.source.command);
    if (parts.length > 0 && parts.every((part) => typeof part === 'string')) return { kind: 'stdio', argv: parts as string[] };
  }
  const match = /^(\S+) \((npm|PyPI)\)$/.exec(server.package ?? '');
  if (match) return { kind: 'stdio', argv: match[2] === 'npm' ? ['npx', '-y', match[1]!] : ['uvx', match[1]!] };
  return { kind: 'unknown', placeholder: `<command that starts ${server.name}>` };
}

export interface SetupInput {
  /** The key the clients store the server under: the catalogue slug. */
  key: string;
  policyUrl: string;
  pinUrl: string;
  launch: Launch;
  /** How the reader starts atlas itself, e.g. ["npx", "-y", "policy-atlas"]. */
  atlas: readonly string[];
}

export interface SetupLines {
  /** The full command the client runs: atlas, guard, its options, the server. */
  argv: string[];
  claudeCode: string;
  json: string;
  geminiCli: string;
  codex: string;
  /** The launch command is not known: the lines hold a placeholder to replace. */
  placeholder: boolean;
}

export function guardArgv(input: SetupInput): string[] {
  const head = [...input.atlas, 'guard', '--policy', input.policyUrl, '--pin', input.pinUrl];
  if (input.launch.kind === 'http') {
    return [...head, '--upstream', input.launch.url, ...input.launch.headers.flatMap((name) => ['--header', `${name}: <value>`])];
  }
  return [...head, '--', ...(input.launch.kind === 'stdio' ? input.launch.argv : [input.launch.placeholder])];
}

export function setupLines(input: SetupInput): SetupLines {
  const argv = guardArgv(input);
  const [command, ...args] = argv as [string, ...string[]];
  const entry = { command, args };
  return {
    argv,
    claudeCode: quote(['claude', 'mcp', 'add', input.key, '--', ...argv]),
    json: JSON.stringify({ mcpServers: { [input.key]: entry } }, null, 2),
    geminiCli: JSON.stringify({ mcpServers: { [input.key]: entry } }, null, 2),
    codex: toToml({ mcp_servers: { [input.key]: entry } }),
    placeholder: input.launch.kind === 'unknown' || (input.launch.kind === 'http' && input.launch.headers.length > 0),
  };
}
