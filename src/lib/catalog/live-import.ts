import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'astro/zod';
import { parse as parseShell } from 'shell-quote';
import { LiveImportError } from './errors.ts';

/**
 * Reads a live server's tools/list through the official SDK client, over stdio or
 * streamable HTTP. Every path out of here closes the client and, for stdio, the
 * server process: success, protocol error, timeout, or the server dying.
 */

export { LiveImportError } from './errors.ts';

export type LiveSource =
  { kind: 'stdio'; commandLine: string; env: Record<string, string> } | { kind: 'http'; url: string; headers: Record<string, string> };

export interface LiveToolsList {
  tools: unknown[];
  serverInfo: { name: string; version?: string; title?: string } | undefined;
  instructions: string | undefined;
  /** Package named on an npx/uvx/pipx command line, if any. */
  package: string | undefined;
  pages: number;
}

const STDERR_TAIL_LINES = 20;
const MAX_PAGES = 1000;

// Permissive on purpose: the importer validates each tool and names the bad entry and field,
// which says more than the SDK's own schema error would.
const rawToolsPage = z.looseObject({
  tools: z.array(z.unknown(), { error: 'tools/list must return a "tools" array' }),
  nextCursor: z.string().optional(),
});

/** Splits a command line as a POSIX shell would, without running a shell. */
export function splitCommandLine(commandLine: string): string[] {
  const parts = parseShell(commandLine, (name) => `$${name}`);
  return parts.map((part) => {
    if (typeof part === 'string') return part;
    throw new LiveImportError(
      `the command line ${JSON.stringify(commandLine)} uses shell syntax (${JSON.stringify(part)}); give a plain command, or wrap it in sh -c '…'`,
    );
  });
}

/** The package an `npx`, `uvx` or `pipx run` command line starts, e.g. "@modelcontextprotocol/server-memory@1.2.0". */
export function packageFromCommand(argv: readonly string[]): string | undefined {
  const [command, ...rest] = argv;
  const base = command?.split('/').pop();
  const args = base === 'pipx' && rest[0] === 'run' ? rest.slice(1) : rest;
  if (!['npx', 'uvx', 'pipx', 'bunx', 'pnpx'].includes(base ?? '')) return undefined;
  const spec = args.find((arg) => !arg.startsWith('-'));
  return spec ? `${spec} (${base === 'uvx' || base === 'pipx' ? 'PyPI' : 'npm'})` : undefined;
}

/**
 * Network settings a stdio server needs to reach its registry or API the way the user's own
 * shell does: proxies, extra CA certificates, and npm's and pip's registry settings. Names that
 * look like credentials never pass, whatever their prefix.
 */
const NETWORK_VARIABLE =
  /^(https?_proxy|all_proxy|no_proxy|node_extra_ca_certs|node_use_system_ca|ssl_cert_file|ssl_cert_dir|requests_ca_bundle|curl_ca_bundle|git_ssl_cainfo|pip_cert|pip_index_url|pip_extra_index_url|pip_trusted_host|uv_index_url|uv_default_index|uv_extra_index_url|uv_native_tls|npm_config_(registry|cafile|ca|strict_ssl|proxy|https_proxy|noproxy|no_proxy))$/i;
const SECRET_NAME = /token|secret|passw|auth|credential|api_?key|private|session|cookie/i;

export function networkEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !NETWORK_VARIABLE.test(name) || SECRET_NAME.test(name)) continue;
    picked[name] = value;
  }
  return picked;
}

function transportFor(source: LiveSource, stderrLines: string[]): Transport {
  if (source.kind === 'http') {
    let url: URL;
    try {
      url = new URL(source.url);
    } catch {
      throw new LiveImportError(`${JSON.stringify(source.url)} is not a URL`);
    }
    return new StreamableHTTPClientTransport(url, { requestInit: { headers: source.headers } });
  }
  const [command, ...args] = splitCommandLine(source.commandLine);
  if (!command) throw new LiveImportError('the command line is empty');
  const transport = new StdioClientTransport({
    command,
    args,
    // The SDK's safe defaults (PATH, HOME, …), the user's network settings, then what --env gave.
    env: { ...getDefaultEnvironment(), ...networkEnvironment(process.env), ...source.env },
    stderr: 'pipe',
  });
  let partial = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    stderrLines.push(...lines);
    if (stderrLines.length > STDERR_TAIL_LINES * 5) stderrLines.splice(0, stderrLines.length - STDERR_TAIL_LINES);
  });
  transport.stderr?.on('end', () => {
    if (partial) stderrLines.push(partial);
  });
  return transport;
}

function describeFailure(error: unknown, source: LiveSource, stderrLines: string[], timedOut: boolean, timeoutMs: number): LiveImportError {
  const where = source.kind === 'stdio' ? `the server started by ${JSON.stringify(source.commandLine)}` : `the server at ${source.url}`;
  const reason = timedOut
    ? `did not answer within ${timeoutMs / 1000}s (it may be waiting for input, credentials or a network it cannot reach)`
    : `failed: ${error instanceof Error ? error.message : String(error)}`;
  const tail = stderrLines.filter((line) => line.trim() !== '').slice(-STDERR_TAIL_LINES);
  const stderr = tail.length > 0 ? `\nLast lines it wrote to stderr:\n${tail.map((line) => `  | ${line}`).join('\n')}` : '';
  return new LiveImportError(`${where} ${reason}${stderr}`);
}

/** Connects, lists every page of tools, and shuts the server down, within one deadline. */
export async function fetchLiveToolsList(
  source: LiveSource,
  options: { timeoutMs: number; clientVersion: string },
): Promise<LiveToolsList> {
  const stderrLines: string[] = [];
  const transport = transportFor(source, stderrLines);
  const client = new Client({ name: 'policy-atlas', version: options.clientVersion });
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new Error('timeout'));
    }, options.timeoutMs);
  });
  const work = (async () => {
    await client.connect(transport, { timeout: options.timeoutMs });
    const tools: unknown[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }, rawToolsPage, {
        timeout: options.timeoutMs,
      });
      tools.push(...page.tools);
      pages++;
      cursor = page.nextCursor;
      if (cursor !== undefined) {
        if (seenCursors.has(cursor))
          throw new Error(`tools/list returned the cursor ${JSON.stringify(cursor)} twice; stopping to avoid a loop`);
        if (pages >= MAX_PAGES) throw new Error(`tools/list kept paginating past ${MAX_PAGES} pages`);
        seenCursors.add(cursor);
      }
    } while (cursor !== undefined);
    const info = client.getServerVersion();
    return {
      tools,
      serverInfo: info
        ? { name: info.name, ...(info.version ? { version: info.version } : {}), ...(info.title ? { title: info.title } : {}) }
        : undefined,
      instructions: client.getInstructions(),
      package: source.kind === 'stdio' ? packageFromCommand(splitCommandLine(source.commandLine)) : undefined,
      pages,
    };
  })();
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    throw describeFailure(error, source, stderrLines, timedOut, options.timeoutMs);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}
