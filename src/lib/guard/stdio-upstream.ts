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
 *
 * It hands messages over in the order the server wrote them, and none before the one ahead of it
 * is fully handled. The SDK's Protocol handles a response at once (dropping the request's progress
 * handler) but a notification or a request a microtask later: handed over in one loop, a progress
 * notification read in the same chunk as its call's result reached the client after the result
 * and was dropped as for an "unknown token" (typescript-sdk issue #2580), and the client never saw
 * the call's last step. So a message with a method gets a turn of the event loop to itself (every
 * microtask has run before the next turn), and responses, handled at once, go together.
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
/** Past this many bytes of lines waiting to be handed over, the server's output is paused (about one pipe read). */
const MAX_WAITING_BYTES = 64 * 1024;

/** What is kept of a line past the cap: its edges, to find its request id. */
interface DroppedLine {
  head: Buffer;
  tail: Buffer;
  bytes: number;
}
type WaitingLine = Buffer | DroppedLine;
const sizeOf = (line: WaitingLine) => ('head' in line ? line.head.length + line.tail.length : line.length);

export class CappedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  /** Lines read, oldest first: those from `nextWaiting` on are not yet handed over (an index, so taking one is O(1)). */
  private waiting: WaitingLine[] = [];
  private nextWaiting = 0;
  private waitingBytes = 0;
  private handOverScheduled = false;
  /** Set while the server's output is paused because too much waits (the server then blocks on its pipe). */
  private paused = false;
  /** Set when the server exited with lines still waiting: the close is told after them. */
  private closedWithLinesWaiting = false;
  /** The current line's pieces. */
  private chunks: Buffer[] = [];
  private size = 0;
  /** Set while a line past the cap is being dropped. */
  private dropping: DroppedLine | undefined;
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
        if (this.linesWaiting()) this.closedWithLinesWaiting = true;
        else this.onclose?.();
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => this.read(chunk));
    });
  }

  /**
   * Splits a chunk into lines as it arrives (the cap applies to the bytes as they come) and
   * hands them over from an immediate: never from here, since a 'data' event can follow a
   * handed-over notification within one tick (a resumed stream emits what it buffered from a
   * nextTick), before that notification's microtask has run. Past MAX_WAITING_BYTES the
   * server's output is paused until what waits is handed over, so it stays bounded.
   */
  private read(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      const piece = newline === -1 ? chunk.subarray(start) : chunk.subarray(start, newline);
      this.take(piece);
      if (newline === -1) break;
      this.endLine();
      start = newline + 1;
    }
    if (this.linesWaiting() && !this.handOverScheduled) this.scheduleHandOver();
    if (this.waitingBytes > MAX_WAITING_BYTES && !this.paused) {
      this.paused = true;
      this.child?.stdout?.pause();
    }
  }

  private linesWaiting(): boolean {
    return this.nextWaiting < this.waiting.length;
  }

  private scheduleHandOver(): void {
    this.handOverScheduled = true;
    setImmediate(() => this.handOverWaiting());
  }

  /** Hands over waiting lines up to and including the next message with a method; the rest wait for the next turn. */
  private handOverWaiting(): void {
    this.handOverScheduled = false;
    while (this.linesWaiting()) {
      const line = this.waiting[this.nextWaiting++]!;
      this.waitingBytes -= sizeOf(line);
      const message = 'head' in line ? this.oversizedAnswer(line) : this.parse(line);
      if (!message) continue;
      this.onmessage?.(message);
      if ('method' in message && this.linesWaiting()) {
        this.scheduleHandOver();
        return;
      }
    }
    this.waiting = [];
    this.nextWaiting = 0;
    if (this.closedWithLinesWaiting) {
      this.closedWithLinesWaiting = false;
      this.onclose?.();
    } else if (this.paused) {
      this.paused = false;
      this.child?.stdout?.resume();
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
      this.wait(this.dropping);
      this.dropping = undefined;
      return;
    }
    if (this.size === 0) return;
    this.wait(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size));
    this.chunks = [];
    this.size = 0;
  }

  private wait(line: WaitingLine): void {
    this.waiting.push(line);
    this.waitingBytes += sizeOf(line);
  }

  private parse(bytes: Buffer): JSONRPCMessage | undefined {
    const line = bytes.toString('utf8').replace(/\r$/, '');
    try {
      return JSONRPCMessageSchema.parse(JSON.parse(line));
    } catch (error) {
      this.onerror?.(new Error(`the server sent a line that is not JSON-RPC: ${(error as Error).message.slice(0, 200)}`));
      return undefined;
    }
  }

  /**
   * The error that answers a dropped line's request. The id of a dropped response sits at its
   * start or its end (serializers differ); without one, nothing is answered.
   */
  private oversizedAnswer({ head, tail, bytes }: DroppedLine): JSONRPCMessage | undefined {
    const id =
      /^\s*\{(?:"jsonrpc":"2\.0",)?"id":(\d+|"(?:[^"\\]|\\.)*")[,}]/.exec(head.toString('utf8'))?.[1] ??
      /,"id":(\d+|"(?:[^"\\]|\\.)*")\}\s*$/.exec(tail.toString('utf8'))?.[1];
    this.onerror?.(
      new Error(`the server sent a message of ${bytes} bytes, over the guard's limit of ${this.maxMessageBytes}; it was dropped`),
    );
    if (id === undefined) return undefined;
    return {
      jsonrpc: '2.0',
      id: JSON.parse(id) as string | number,
      error: {
        code: OVERSIZED_MESSAGE,
        message: `the server's answer was ${bytes} bytes, over the guard's limit of ${this.maxMessageBytes}`,
        data: { bytes },
      },
    };
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
