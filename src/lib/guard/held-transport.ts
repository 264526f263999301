import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  InitializeRequestSchema,
  isJSONRPCRequest,
  type InitializeRequest,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';

/**
 * The client's side of the guard, held until the client says `initialize`. The guard must know
 * the client's capabilities before it starts the server, because it declares to the server only
 * what the client itself declared (a server may ask for sampling or roots only if the client
 * offers them). Messages that arrive before the guard's own MCP server is connected are kept and
 * handed to it, in order, when it starts.
 */

/** A client that sends this many messages before `initialize` is not a client the guard waits for. */
const MAX_HELD_MESSAGES = 64;

export interface ClientHello {
  id: RequestId;
  request: InitializeRequest;
}

export class HeldTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private held: JSONRPCMessage[] = [];
  private released = false;
  private closed = false;
  private readonly inner: Transport;

  constructor(inner: Transport) {
    this.inner = inner;
  }

  /** Starts the client's transport and resolves with its `initialize`, or undefined if the client left first. */
  async waitForInitialize(): Promise<ClientHello | undefined> {
    return new Promise<ClientHello | undefined>((resolve, reject) => {
      let waiting = true;
      const answer = (hello: ClientHello | undefined) => {
        if (!waiting) return;
        waiting = false;
        resolve(hello);
      };
      this.inner.onclose = () => {
        this.closed = true;
        if (waiting) answer(undefined);
        else this.onclose?.();
      };
      this.inner.onerror = (error) => this.onerror?.(error);
      this.inner.onmessage = (message) => {
        if (this.released) {
          this.onmessage?.(message);
          return;
        }
        this.held.push(message);
        if (!waiting) return;
        const parsed = isJSONRPCRequest(message) ? InitializeRequestSchema.safeParse(message) : undefined;
        if (parsed?.success && isJSONRPCRequest(message)) {
          answer({ id: message.id, request: parsed.data });
        } else if (this.held.length >= MAX_HELD_MESSAGES) {
          answer(undefined);
          void this.inner.close();
        }
      };
      this.inner.start().catch((error: unknown) => {
        waiting = false;
        reject(error as Error);
      });
    });
  }

  /** Answers the held `initialize` with an error (the server could not be started) and ends the session. */
  async refuse(id: RequestId, code: number, message: string): Promise<void> {
    await this.inner.send({ jsonrpc: '2.0', id, error: { code, message } }).catch(() => undefined);
    await this.inner.close().catch(() => undefined);
  }

  /** Called by the guard's MCP server as it connects: the held messages are handed over in order. */
  async start(): Promise<void> {
    this.released = true;
    const held = this.held;
    this.held = [];
    for (const message of held) this.onmessage?.(message);
    if (this.closed) this.onclose?.();
  }

  send(message: JSONRPCMessage, options?: Parameters<Transport['send']>[1]): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}
