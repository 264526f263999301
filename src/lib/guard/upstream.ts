import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { GuardError } from './errors.ts';
import { checkedUrl } from './fetch-source.ts';

/** The server the guard fronts: a command it starts over stdio, or a streamable-HTTP endpoint. */
export type Upstream =
  | { kind: 'stdio'; command: string; args: readonly string[]; env?: Readonly<Record<string, string>> | undefined }
  | { kind: 'http'; url: string; headers: Readonly<Record<string, string>> };

/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A variable name every client and shell agrees on. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Headers whose values the guard reads from its own environment (`--header-env Name=VAR`,
 * `--bearer-env VAR` for `Authorization: Bearer …`), so a token never sits on a command line,
 * where any local user can read it. A variable that is unset or empty refuses the start: a
 * request without its credentials would fail at the server anyway, less clearly.
 */
export function headersFromEnv(
  pairs: readonly string[],
  bearer: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const valueOf = (variable: string, option: string) => {
    if (!VARIABLE_NAME.test(variable)) throw new GuardError(`${option}: ${JSON.stringify(variable)} is not a variable name`);
    const value = env[variable];
    if (!value) throw new GuardError(`${option}: the variable ${variable} is not set (or is empty) in the guard's environment`);
    return value;
  };
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals);
    if (equals <= 0 || !HEADER_NAME.test(name)) throw new GuardError(`--header-env ${JSON.stringify(pair)}: expected Name=VARIABLE`);
    headers[name] = valueOf(pair.slice(equals + 1), `--header-env ${name}`);
  }
  if (bearer !== undefined) headers['Authorization'] = `Bearer ${valueOf(bearer, '--bearer-env')}`;
  return headers;
}

export function describeUpstream(upstream: Upstream): string {
  return upstream.kind === 'stdio'
    ? `the server started by ${JSON.stringify([upstream.command, ...upstream.args].join(' '))}`
    : `the server at ${upstream.url}`;
}

/**
 * `maxMessageBytes`: a stdio server's message past this is dropped unread (HTTP answers are checked after reading).
 * The HTTP client (and its OAuth and SSE modules) loads only for an HTTP server: a client starts the guard for every session.
 * The stdio transport (and the SDK's message schemas) loads only once the guard has something to run.
 */
export async function upstreamTransport(upstream: Upstream, maxMessageBytes: number): Promise<Transport> {
  if (upstream.kind === 'http') {
    const url = checkedUrl(upstream.url, '--upstream');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    return new StreamableHTTPClientTransport(url, { requestInit: { headers: { ...upstream.headers } } });
  }
  if (!upstream.command) throw new GuardError('give the server command line after --');
  const { CappedStdioTransport } = await import('./stdio-upstream.ts');
  return new CappedStdioTransport({
    command: upstream.command,
    args: upstream.args,
    // The client configured the guard's environment for the server (its API keys, paths); the server gets all of it.
    env: { ...process.env, ...upstream.env },
    maxMessageBytes,
  });
}
