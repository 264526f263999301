import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ClientCapabilities, Notification, Progress } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../shared/records.ts';

/**
 * What the guard relays between the two sides besides tools: which of the client's capabilities
 * it offers the server, and how one side's request is re-sent to the other with its progress
 * and cancellation kept.
 */

/**
 * The client capabilities the guard declares to the server: exactly those the client declared,
 * among the ones the guard relays (roots, sampling, elicitation). The server can then ask for
 * nothing the client would not have answered unguarded. `tasks` and `experimental` are not
 * relayed, so they are not declared.
 */
export function relayedCapabilities(client: ClientCapabilities | undefined): ClientCapabilities {
  return {
    ...(client?.roots ? { roots: client.roots } : {}),
    ...(client?.sampling ? { sampling: client.sampling } : {}),
    ...(client?.elicitation ? { elicitation: client.elicitation } : {}),
  };
}

/** What a request handler is given by the SDK, as far as a relay needs it. */
export interface RelayExtra {
  signal: AbortSignal;
  sendNotification: (
    notification: Notification & { method: 'notifications/progress'; params: Progress & { progressToken: string | number } },
  ) => Promise<void>;
}

/**
 * A request's parameters and options to re-send it to the other side. The sender's progress
 * token is taken out (the SDK gives the re-sent request its own) and progress coming back is
 * reported under the sender's token; the sender's cancellation cancels the re-sent request.
 */
export function relayed<P extends { _meta?: Record<string, unknown> | undefined }>(
  params: P,
  extra: RelayExtra,
  timeoutMs: number,
): { params: P; options: RequestOptions } {
  const meta = isRecord(params._meta) ? params._meta : undefined;
  const progressToken = meta?.['progressToken'];
  const options: RequestOptions = { signal: extra.signal, timeout: timeoutMs };
  if (typeof progressToken !== 'string' && typeof progressToken !== 'number') return { params, options };
  const { progressToken: _ours, ...otherMeta } = meta ?? {};
  const rest: P = { ...params };
  if (Object.keys(otherMeta).length > 0) rest._meta = otherMeta;
  else delete rest._meta;
  return {
    params: rest,
    options: {
      ...options,
      onprogress: (progress) => {
        void extra.sendNotification({ method: 'notifications/progress', params: { ...progress, progressToken } }).catch(() => undefined);
      },
    },
  };
}

export interface SampledToolCall {
  name: string;
  input: unknown;
}

/** The tool calls a sampled model's answer carries (`tool_use` content, one block or a list). */
export function sampledToolCalls(result: unknown): SampledToolCall[] {
  if (!isRecord(result)) return [];
  const content = result['content'];
  const blocks = Array.isArray(content) ? content : [content];
  const calls: SampledToolCall[] = [];
  for (const block of blocks) {
    if (isRecord(block) && block['type'] === 'tool_use') calls.push({ name: String(block['name']), input: block['input'] });
  }
  return calls;
}
