import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { repoRoot } from './site.ts';

/** The guard as a user runs it: `node bin/atlas.mjs guard …`, a real process on real pipes. */
export const guardCommand = (args: readonly string[]) => ({
  command: process.execPath,
  args: [join(repoRoot, 'bin/atlas.mjs'), 'guard', ...args],
});

export interface GuardSession {
  client: Client;
  stderr: () => string;
  close: () => Promise<void>;
}

/** Starts the guard with `args` and connects a real SDK client to it. */
export async function connectThroughGuard(
  args: readonly string[],
  options: { env?: Record<string, string>; capabilities?: ConstructorParameters<typeof Client>[1] } = {},
): Promise<GuardSession> {
  const { command, args: argv } = guardCommand(args);
  const transport = new StdioClientTransport({
    command,
    args: argv,
    env: { ...(process.env as Record<string, string>), ...options.env },
    stderr: 'pipe',
    cwd: repoRoot,
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'guard-test-client', version: '1.0.0' }, options.capabilities ?? {});
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nguard stderr:\n${stderr}`, { cause: error });
  }
  return { client, stderr: () => stderr, close: () => client.close() };
}

export interface RawGuard {
  child: ChildProcessWithoutNullStreams;
  send: (message: unknown) => void;
  sendLine: (line: string) => void;
  /** The next JSON-RPC message from the guard with this id. */
  response: (id: number, timeoutMs?: number) => Promise<Record<string, unknown>>;
  exit: Promise<number | null>;
  stderr: () => string;
  /** Every message the guard has written so far. */
  messages: () => Array<Record<string, unknown>>;
}

/** The guard with its stdio in the test's hands, for what an SDK client would never send. */
export function rawGuard(args: readonly string[], env: Record<string, string> = {}): RawGuard {
  const { command, args: argv } = guardCommand(args);
  const child = spawn(command, argv, { cwd: repoRoot, env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // A guard that refuses to start exits before reading what the test sent.
  child.stdin.on('error', () => undefined);
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) messages.push(JSON.parse(line));
    for (const wake of waiters.splice(0)) wake();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    send: (message) => child.stdin.write(`${JSON.stringify(message)}\n`),
    sendLine: (line) => child.stdin.write(`${line}\n`),
    stderr: () => stderr,
    messages: () => [...messages],
    exit,
    response: async (id, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((m) => m['id'] === id);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no response ${id}; stderr:\n${stderr}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test-client', version: '1.0.0' } },
};
