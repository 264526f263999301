import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWrap, defaultGuardPrefix } from '../../src/lib/scan/apply.ts';
import { importScanned } from '../../src/lib/scan/import.ts';
import { scanConfigs } from '../../src/lib/scan/scan.ts';
import { listingServer } from '../helpers/client-configs.ts';

/**
 * The whole path a team takes: a Claude Code config is scanned, its server imported and wrapped,
 * and the wrapped entry is started exactly as Claude Code starts it (command, args and env from
 * the file) by the official SDK client. The guard then enforces the bundle the wrap wrote.
 */

const tools = JSON.parse(readFileSync(new URL('../fixtures/tools-lists/acme-files.json', import.meta.url), 'utf8')).tools;
let root: string;
let client: Client;
let bundle: { hide?: string[]; tools?: Record<string, unknown> };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'atlas-wrapped-'));
  const home = join(root, 'home');
  const toolsFile = join(root, 'tools.json');
  writeFileSync(toolsFile, JSON.stringify(tools));
  const config = join(root, 'home', '.claude.json');
  mkdirSync(home, { recursive: true });
  writeFileSync(
    config,
    `${JSON.stringify({ mcpServers: { files: { type: 'stdio', command: process.execPath, args: [listingServer], env: { TOOLS_FILE: toolsFile } } } }, null, 2)}\n`,
  );
  const environment = { platform: 'linux' as const, home, project: undefined, env: {} };
  const contentDir = join(root, 'catalogue');
  const configs = scanConfigs({ environment });
  const { outcomes } = await importScanned(configs, {
    contentDir,
    timeoutMs: 20_000,
    today: '2026-12-01',
    clientVersion: 'test',
    trustProject: false,
    env: {},
    home,
    project: undefined,
    progress: () => undefined,
  });
  const result = applyWrap(configs, { mode: 'wrap', outcomes, contentDir, guard: defaultGuardPrefix(), write: true });
  expect(result.errors).toEqual([]);
  expect(result.bundles).toHaveLength(1);
  bundle = JSON.parse(readFileSync(result.bundles[0]!, 'utf8'));

  // Claude Code starts a stdio server with its command, its args and its env on top of its own.
  const entry = JSON.parse(readFileSync(config, 'utf8')).mcpServers.files;
  expect(entry.args).toContain('guard');
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    env: { ...getDefaultEnvironment(), ...entry.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  client = new Client({ name: 'claude-code-stand-in', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nguard stderr:\n${stderr}`, { cause: error });
  }
}, 120_000);

afterAll(async () => {
  await client?.close();
  rmSync(root, { recursive: true, force: true });
});

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

describe('a wrapped Claude Code config enforces its bundle', () => {
  it('tools/list leaves out the tools the bundle hides', async () => {
    const listed = (await client.listTools()).tools.map((tool) => tool.name).sort();
    expect(bundle.hide?.length).toBeGreaterThan(0);
    for (const hidden of bundle.hide ?? []) expect(listed).not.toContain(hidden);
    expect(listed).toEqual(Object.keys(bundle.tools ?? {}).sort());
  });

  it('a hidden tool is denied, and never reaches the server', async () => {
    const hidden = bundle.hide![0]!;
    const result = await client.callTool({ name: hidden, arguments: { path: 'notes.md' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).not.toContain('server got');
  });

  it('a call whose arguments the bundle refuses is denied; an ordinary one reaches the server', async () => {
    const denied = await client.callTool({ name: 'read_file', arguments: { path: '../../etc/passwd' } });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).not.toContain('server got');
    const allowed = await client.callTool({ name: 'read_file', arguments: { path: 'notes/today.md' } });
    expect(allowed.isError).toBeFalsy();
    expect(textOf(allowed)).toBe('server got {"name":"read_file","arguments":{"path":"notes/today.md"}}');
  });
});
