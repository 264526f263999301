import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * The guard's stdio link to the server it starts. Unlike a general-purpose transport it caps
 * every message the server sends: a line past the cap is never held in memory (its bytes are
 * dropped as they arrive, keeping only its first and last bytes to find its request id), and
 * the pending request gets an error instead, so a server cannot exhaust the guard with one
 * huge answer and the session goes on. Lines are split without re-copying the buffer, so a
 * large allowed message costs linear time.
 */

/**
 * Holds a stream's writes until the end of this tick, so messages sent together (answers to
 * calls in flight, a notification and its response) leave in one system call rather than one
 * each: a pipe write wakes the process at the other end, the guard's main cost per call.
 */
export function coalesceWritesThisTick(stream: Writable): void {
  if (stream.writableCorked > 0) return;
  stream.cork();
  process.nextTick(() => stream.uncork());
}

/** JSON-RPC error code the guard gives a request whose answer was over the cap. */
export const OVERSIZED_MESSAGE = -32050;

const EDGE_BYTES = 512;

export class CappedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private chunks: Buffer[] = [];
  private size = 0;
  /** Set while a line past the cap is being dropped. */
  private dropping: { head: Buffer; tail: Buffer; bytes: number } | undefined;
  private readonly command: string;
  private readonly args: readonly string[];
  private readonly env: NodeJS.ProcessEnv;
  private readonly maxMessageBytes: number;

  constructor(options: { command: string; args: readonly string[]; env: NodeJS.ProcessEnv; maxMessageBytes: number }) {
    this.command = options.command;
    this.args = options.args;
    this.env = options.env;
    this.maxMessageBytes = options.maxMessageBytes;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.command, [...this.args], { env: this.env, stdio: ['pipe', 'pipe', 'inherit'], shell: false });
      this.child = child;
      child.on('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.on('spawn', () => resolve());
      child.on('close', () => {
        this.child = undefined;
        this.onclose?.();
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => this.read(chunk));
    });
  }

  private read(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      const piece = newline === -1 ? chunk.subarray(start) : chunk.subarray(start, newline);
      this.take(piece);
      if (newline === -1) return;
      this.endLine();
      start = newline + 1;
    }
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    if (!this.dropping && this.size + piece.length > this.maxMessageBytes) {
      const held = Buffer.concat([...this.chunks, piece]);
      this.dropping = { head: Buffer.from(held.subarray(0, EDGE_BYTES)), tail: Buffer.alloc(0), bytes: 0 };
      this.dropping.bytes = held.length;
      this.dropping.tail = Buffer.from(held.subarray(Math.max(0, held.length - EDGE_BYTES)));
      this.chunks = [];
      this.size = 0;
      return;
    }
    if (this.dropping) {
      this.dropping.bytes += piece.length;
      const joined = Buffer.concat([this.dropping.tail, piece]);
      this.dropping.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - EDGE_BYTES)));
      return;
    }
    this.chunks.push(piece);
    this.size += piece.length;
  }

  private endLine(): void {
    if (this.dropping) {
      const { head, tail, bytes } = this.dropping;
      this.dropping = undefined;
      this.answerOversized(head.toString('utf8'), tail.toString('utf8'), bytes);
      return;
    }
    if (this.size === 0) return;
    const line = (this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size)).toString('utf8').replace(/\r$/, '');
    this.chunks = [];
    this.size = 0;
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(JSON.parse(line));
    } catch (error) {
      this.onerror?.(new Error(`the server sent a line that is not JSON-RPC: ${(error as Error).message.slice(0, 200)}`));
      return;
    }
    this.onmessage?.(message);
  }

  /** The id of a dropped response sits at its start or its end (serializers differ); without one, nothing is answered. */
  private answerOversized(head: string, tail: string, bytes: number): void {
    const id =
      /^\s*\{(?:"jsonrpc":"2\.0",)?"id":(\d+|"(?:[^"\\]|\\.)*")[,}]/.exec(head)?.[1] ??
      /,"id":(\d+|"(?:[^"\\]|\\.)*")\}\s*$/.exec(tail)?.[1];
    this.onerror?.(
      new Error(`the server sent a message of ${bytes} bytes, over the guard's limit of ${this.maxMessageBytes}; it was dropped`),
    );
    if (id === undefined) return;
    this.onmessage?.({
      jsonrpc: '2.0',
      id: JSON.parse(id) as string | number,
      error: {
        code: OVERSIZED_MESSAGE,
        message: `the server's answer was ${bytes} bytes, over the guard's limit of ${this.maxMessageBytes}`,
        data: { bytes },
      },
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin) throw new Error('the server is not running');
    coalesceWritesThisTick(stdin);
    await new Promise<void>((resolve) => {
      if (stdin.write(`${JSON.stringify(message)}\n`)) resolve();
      else stdin.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.stdin?.end();
    // A server that ignores the end of its input is stopped; one that ignores SIGTERM is killed.
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const term = setTimeout(() => child.kill('SIGTERM'), 2000);
    const kill = setTimeout(() => child.kill('SIGKILL'), 4000);
    await exited;
    clearTimeout(term);
    clearTimeout(kill);
  }
}
