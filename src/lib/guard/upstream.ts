import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { GuardError } from './errors.ts';
import { checkedUrl } from './fetch-source.ts';
import { CappedStdioTransport } from './stdio-upstream.ts';

/** The server the guard fronts: a command it starts over stdio, or a streamable-HTTP endpoint. */
export type Upstream =
  | { kind: 'stdio'; command: string; args: readonly string[]; env?: Readonly<Record<string, string>> | undefined }
  | { kind: 'http'; url: string; headers: Readonly<Record<string, string>> };

export function describeUpstream(upstream: Upstream): string {
  return upstream.kind === 'stdio'
    ? `the server started by ${JSON.stringify([upstream.command, ...upstream.args].join(' '))}`
    : `the server at ${upstream.url}`;
}

/** `maxMessageBytes`: a stdio server's message past this is dropped unread (HTTP answers are checked after reading). */
export function upstreamTransport(upstream: Upstream, maxMessageBytes: number): Transport {
  if (upstream.kind === 'http') {
    const url = checkedUrl(upstream.url, '--upstream');
    return new StreamableHTTPClientTransport(url, { requestInit: { headers: { ...upstream.headers } } });
  }
  if (!upstream.command) throw new GuardError('give the server command line after --');
  return new CappedStdioTransport({
    command: upstream.command,
    args: upstream.args,
    // The client configured the guard's environment for the server (its API keys, paths); the server gets all of it.
    env: { ...process.env, ...upstream.env },
    maxMessageBytes,
  });
}
