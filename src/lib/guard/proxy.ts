import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  CompleteRequestSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListRootsRequestSchema,
  ListToolsRequestSchema,
  ListToolsResultSchema,
  McpError,
  ReadResourceRequestSchema,
  ResultSchema,
  RootsListChangedNotificationSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  ToolListChangedNotificationSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import { escapeHiddenInJson } from '../text-safety/hidden.ts';
import { argsDigest, type AuditLog } from './audit.ts';
import { GuardError } from './errors.ts';
import { Gate, type GateVerdict, type ListedTool } from './gate.ts';
import { HeldTransport } from './held-transport.ts';
import { relayed, relayedCapabilities, sampledToolCalls } from './relay.ts';
import { OVERSIZED_MESSAGE } from './stdio-upstream.ts';
import { describeUpstream, upstreamTransport, type Upstream } from './upstream.ts';
import type { Policy } from '../../schemas/policy.ts';
import type { Pin } from './pins.ts';

/**
 * The proxy: an SDK client to the real server, an SDK server to the agent's client, and the
 * gate between them for tools. Only `tools/list` and `tools/call` are changed; resources,
 * prompts, completions and logging pass through as they are, and so do the server's own
 * requests to the client (sampling, roots, elicitation) when the client offers them. A call
 * reaches the server only after the gate allows it, with the name and arguments the gate
 * decided on; a sampled model's answer reaches the server only after the gate allows every
 * tool call it carries.
 */

export interface GuardOptions {
  policy: Policy;
  upstream: Upstream;
  /** The agent's side; the guard's own stdin/stdout in use. */
  downstream: Transport;
  cataloguePins?: ReadonlyMap<string, Pin> | undefined;
  audit?: AuditLog | undefined;
  /** How long one call may take at the server. */
  callTimeoutMs: number;
  /** How long the server may take to start and answer `initialize`. */
  startTimeoutMs: number;
  /** How long a person has to approve a call the policy asks about. */
  approvalTimeoutMs: number;
  /** A result larger than this (as JSON) is not passed on. */
  maxResultBytes: number;
  version: string;
  log: (line: string) => void;
  /** The clock limits are counted by; tests set it to step through windows. */
  now?: (() => number) | undefined;
}

const MAX_LIST_PAGES = 1000;
/** Room around a result for the JSON-RPC envelope, so the result cap is what decides. */
const ENVELOPE_BYTES = 64 * 1024;
/** At most one refresh of the tools a second per burst of list_changed; a flood costs the server its own time, not the client's. */
const REFRESH_SPACING_MS = 200;
const PASSED_NOTIFICATIONS = new Set([
  'notifications/resources/updated',
  'notifications/resources/list_changed',
  'notifications/prompts/list_changed',
  'notifications/message',
  'notifications/elicitation/complete',
]);
/** JSON-RPC error code for a sampled answer the guard did not pass on: it carried a tool call the policy refuses. */
export const REFUSED_BY_POLICY = -32051;

/** A protocol error in one line: enough to find the bad message, not a page of schema detail. */
const oneLine = (message: string) => message.replace(/\s+/g, ' ').slice(0, 300);

const denial = (reason: string): CallToolResult => ({ content: [{ type: 'text', text: reason }], isError: true });

/** Runs one guarded session; resolves with the exit code when either side ends it. */
export async function runGuard(options: GuardOptions): Promise<number> {
  const { log } = options;
  const gate = new Gate(options.policy, { cataloguePins: options.cataloguePins, ...(options.now ? { now: options.now } : {}) });
  const where = describeUpstream(options.upstream);
  // The server is started once the client has said what it offers, so the guard offers the server the same.
  const downstream = new HeldTransport(options.downstream);
  const hello = await downstream.waitForInitialize();
  if (!hello) return 0;
  const offered = relayedCapabilities(hello.request.params.capabilities);
  const client = new Client({ name: 'policy-atlas-guard', version: options.version }, { capabilities: offered });
  // The server may ask the client something as soon as it is initialized; its requests wait until the client is too.
  let clientReady!: (server: Server) => void;
  const downstreamReady = new Promise<Server>((resolve) => (clientReady = resolve));
  const relayTimeoutMs = Math.max(options.callTimeoutMs, options.approvalTimeoutMs);
  registerRelays();
  try {
    await client.connect(await upstreamTransport(options.upstream, options.maxResultBytes + ENVELOPE_BYTES), {
      timeout: options.startTimeoutMs,
    });
  } catch (error) {
    await client.close().catch(() => undefined);
    const reason = error instanceof GuardError ? error.message : `${where} could not be started: ${(error as Error).message}`;
    await downstream.refuse(hello.id, ErrorCode.InternalError, `atlas guard refused to run: ${reason}`);
    throw new GuardError(reason);
  }
  const upstreamCaps = client.getServerCapabilities() ?? {};

  /** The server's requests to the client, relayed only for what the client offered (the SDK refuses the rest). */
  function registerRelays(): void {
    if (offered.roots) {
      client.setRequestHandler(ListRootsRequestSchema, async (request, extra) => {
        const to = await downstreamReady;
        const { params, options: sent } = relayed(request.params ?? {}, extra, relayTimeoutMs);
        return to.listRoots(params, sent);
      });
    }
    if (offered.elicitation) {
      client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
        const to = await downstreamReady;
        const { params, options: sent } = relayed(request.params, extra, relayTimeoutMs);
        return to.elicitInput(params, sent);
      });
    }
    if (offered.sampling) {
      client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => {
        const to = await downstreamReady;
        if (request.params.task)
          throw new McpError(ErrorCode.InvalidRequest, 'atlas guard does not relay task-augmented sampling requests');
        const { params, options: sent } = relayed(request.params, extra, relayTimeoutMs);
        // As the client would have seen it unguarded: the prompt is the client's to show a person and to answer.
        const result = await to.createMessage(params, sent);
        await refuseSampledCalls(result, extra.signal);
        return result;
      });
    }
  }

  /**
   * A sampled model's answer can carry tool calls for the server to run (sampling with tools).
   * The prompt came from the server, so it is a prompt-injection channel: each call is decided
   * by the gate as if the client had made it, and an answer with any call the policy does not
   * allow never reaches the server.
   */
  async function refuseSampledCalls(result: unknown, signal: AbortSignal): Promise<void> {
    for (const call of sampledToolCalls(result)) {
      let verdict = gate.decide(call.name, call.input);
      if (verdict.decision === 'ask') verdict = await askPerson(call.name, call.input, verdict, signal);
      const written = record(call.name, call.input, verdict, 'sampling');
      if (verdict.decision === 'allow' && written) continue;
      const why = written ? verdict.reason : 'the guard could not write its audit log, and it does not pass calls it cannot record.';
      throw new McpError(
        REFUSED_BY_POLICY,
        `atlas guard did not pass on the sampled answer: it asks the server to run ${JSON.stringify(call.name)}, which the policy does not allow. ${why}`,
      );
    }
  }

  async function listAllTools(): Promise<ListedTool[]> {
    const tools: ListedTool[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }, ListToolsResultSchema, {
        timeout: options.callTimeoutMs,
      });
      tools.push(...(result.tools as ListedTool[]));
      cursor = result.nextCursor;
      if (cursor === undefined) return tools;
      if (seen.has(cursor)) throw new Error(`tools/list returned the cursor ${JSON.stringify(cursor)} twice`);
      seen.add(cursor);
    }
    throw new Error(`tools/list kept paginating past ${MAX_LIST_PAGES} pages`);
  }

  // Refreshes run one at a time; a refresh asked for during one runs once after it.
  let refreshing: Promise<boolean> | undefined;
  let refreshAgain = false;
  function refreshTools(): Promise<boolean> {
    if (refreshing) {
      refreshAgain = true;
      return refreshing;
    }
    refreshing = (async () => {
      let changed = false;
      do {
        refreshAgain = false;
        if (gate.updateTools(await listAllTools())) changed = true;
      } while (refreshAgain);
      return changed;
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  if (upstreamCaps.tools) {
    try {
      await refreshTools();
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new GuardError(`${where} started, but its tools/list failed: ${(error as Error).message}`);
    }
  }

  const capabilities: ServerCapabilities = {
    ...(upstreamCaps.tools ? { tools: { listChanged: true } } : {}),
    ...(upstreamCaps.resources ? { resources: upstreamCaps.resources } : {}),
    ...(upstreamCaps.prompts ? { prompts: upstreamCaps.prompts } : {}),
    ...(upstreamCaps.completions ? { completions: upstreamCaps.completions } : {}),
    ...(upstreamCaps.logging ? { logging: upstreamCaps.logging } : {}),
  };
  const info = client.getServerVersion();
  const instructions = client.getInstructions();
  const server = new Server(
    { name: info?.name ?? 'guarded-server', version: info?.version ?? '0.0.0', ...(info?.title ? { title: info.title } : {}) },
    { capabilities, ...(instructions !== undefined ? { instructions } : {}) },
  );

  const megabytes = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
  const tooLarge = (name: string, bytes: number) =>
    denial(
      `The server's result for ${name} is ${megabytes(bytes)}, over the guard's limit of ${megabytes(options.maxResultBytes)}; it was not passed on.`,
    );

  /** The policy asks: the client shows the call to a person (elicitation); only a yes runs it. */
  async function askPerson(name: string, args: unknown, asking: GateVerdict, signal: AbortSignal): Promise<GateVerdict> {
    const no = (reason: string): GateVerdict => ({ decision: 'deny', by: 'ask', reason });
    if (!server.getClientCapabilities()?.elicitation) {
      return no(
        `Denied: the policy has a person approve each call of ${name}, and this client cannot ask one (it does not support MCP elicitation).`,
      );
    }
    // Hidden characters in the name or the arguments are shown as escapes, so the person sees what the server would get.
    const shownName = escapeHiddenInJson(JSON.stringify(name));
    const shownArgs = escapeHiddenInJson(JSON.stringify(args ?? {}, null, 2));
    try {
      const answer = await server.elicitInput(
        {
          mode: 'form',
          message: `Allow this call?\n\nTool: ${shownName}\nArguments:\n${shownArgs}\n\nWhy you are asked: ${asking.reason}`,
          requestedSchema: {
            type: 'object',
            properties: { approve: { type: 'boolean', title: `Run ${shownName} with these arguments`, default: false } },
            required: ['approve'],
          },
        },
        { timeout: options.approvalTimeoutMs, signal },
      );
      if (answer.action === 'accept' && answer.content?.['approve'] === true) {
        return { decision: 'allow', by: 'ask', reason: 'Allowed: a person approved this call.' };
      }
      return no(
        `Denied: a person did not approve this call of ${name} (${answer.action === 'accept' ? 'answered no' : answer.action === 'decline' ? 'declined' : 'cancelled'}).`,
      );
    } catch (error) {
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        return no(`Denied: no one approved this call of ${name} within ${options.approvalTimeoutMs / 1000}s.`);
      }
      return no(`Denied: the client could not ask a person about this call of ${name} (${oneLine((error as Error).message)}).`);
    }
  }

  function record(tool: string, args: unknown, verdict: GateVerdict, via?: 'sampling'): boolean {
    if (!options.audit) return true;
    return options.audit.write({
      time: new Date().toISOString(),
      tool,
      decision: verdict.decision,
      rule: verdict.by,
      reason: verdict.reason,
      args_sha256: argsDigest(args),
      ...(via ? { via } : {}),
    });
  }

  if (upstreamCaps.tools) {
    server.setRequestHandler(ListToolsRequestSchema, async () => {
      await refreshTools();
      return { tools: gate.visibleTools() as never };
    });

    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const { name, arguments: args } = request.params;
      let verdict = gate.decide(name, args);
      if (verdict.decision === 'ask') verdict = await askPerson(name, args, verdict, extra.signal);
      if (!record(name, args, verdict) && verdict.decision === 'allow') {
        return denial('Denied: the guard could not write its audit log, and it does not pass calls it cannot record.');
      }
      if (verdict.decision !== 'allow') return denial(verdict.reason);
      const progressToken = request.params._meta?.progressToken;
      let result: CallToolResult;
      try {
        result = (await client.request(
          { method: 'tools/call', params: { name, ...(args !== undefined ? { arguments: args } : {}) } },
          CallToolResultSchema,
          {
            signal: extra.signal,
            timeout: options.callTimeoutMs,
            ...(progressToken !== undefined
              ? {
                  resetTimeoutOnProgress: false,
                  onprogress: (progress) => {
                    void extra
                      .sendNotification({ method: 'notifications/progress', params: { ...progress, progressToken } })
                      .catch(() => undefined);
                  },
                }
              : {}),
          },
        )) as CallToolResult;
      } catch (error) {
        if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
          return denial(`The server did not answer ${name} within ${options.callTimeoutMs / 1000}s; the guard cancelled the call.`);
        }
        if (error instanceof McpError && error.code === OVERSIZED_MESSAGE) {
          log(`${name}: ${error.message}; not passed on`);
          return tooLarge(name, (error.data as { bytes?: number } | undefined)?.bytes ?? Number.NaN);
        }
        if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
          return denial(`The server exited during the call to ${name}.`);
        }
        throw error;
      }
      const size = Buffer.byteLength(JSON.stringify(result));
      if (size > options.maxResultBytes) {
        log(`${name}: a result of ${size} bytes was not passed on (limit ${options.maxResultBytes})`);
        return tooLarge(name, size);
      }
      return result;
    });

    let lastRefresh = 0;
    let scheduled: ReturnType<typeof setTimeout> | undefined;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      if (scheduled) return;
      const wait = Math.max(0, lastRefresh + REFRESH_SPACING_MS - Date.now());
      scheduled = setTimeout(() => {
        scheduled = undefined;
        lastRefresh = Date.now();
        refreshTools()
          .then((changed) => (changed ? server.sendToolListChanged() : undefined))
          .catch((error: unknown) => log(`could not refresh the tools after list_changed: ${(error as Error).message}`));
      }, wait);
    });
  }

  // Everything that is not a tool passes through unchanged.
  const passThrough = (schema: Parameters<typeof server.setRequestHandler>[0]) =>
    server.setRequestHandler(schema, (request, extra) => {
      const { params, options: sent } = relayed(request.params ?? {}, extra, options.callTimeoutMs);
      return client.request({ method: request.method, params } as never, ResultSchema, sent);
    });
  if (upstreamCaps.resources) {
    for (const schema of [ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ReadResourceRequestSchema]) passThrough(schema);
    if (upstreamCaps.resources.subscribe) for (const schema of [SubscribeRequestSchema, UnsubscribeRequestSchema]) passThrough(schema);
  }
  if (upstreamCaps.prompts) for (const schema of [ListPromptsRequestSchema, GetPromptRequestSchema]) passThrough(schema);
  if (upstreamCaps.completions) passThrough(CompleteRequestSchema);
  if (upstreamCaps.logging) passThrough(SetLevelRequestSchema);
  if (offered.roots?.listChanged) {
    server.setNotificationHandler(RootsListChangedNotificationSchema, () =>
      client
        .sendRootsListChanged()
        .catch((error: unknown) => log(`could not tell the server the roots changed: ${(error as Error).message}`)),
    );
  }
  client.fallbackNotificationHandler = async (notification) => {
    if (PASSED_NOTIFICATIONS.has(notification.method)) await server.notification(notification as never).catch(() => undefined);
  };

  return new Promise<number>((resolve) => {
    let ending = false;
    const end = (code: number) => {
      if (ending) return;
      ending = true;
      void Promise.allSettled([client.close(), server.close()]).then(() => resolve(code));
    };
    client.onclose = () => {
      if (ending) return;
      log(`${where} exited mid-session; ending the session (no call passes without it).`);
      end(1);
    };
    client.onerror = (error) => log(`from ${where}: ${oneLine(error.message)}`);
    server.oninitialized = () => {
      // The SDK's receiving side ignores the cancellation of a request with id 0, so the guard's first request
      // to the client is a ping of its own, and a relayed request the server cancels is always cancelled.
      void server.ping().catch(() => undefined);
      clientReady(server);
    };
    server.onclose = () => end(0);
    server.onerror = (error) => log(`from the client: ${oneLine(error.message)}`);
    server.connect(downstream).catch((error: unknown) => {
      log(`cannot talk to the client: ${(error as Error).message}`);
      end(1);
    });
  });
}
