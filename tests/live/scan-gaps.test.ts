import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandVariables } from '../../src/lib/scan/import.ts';
import { scanConfigs, type ScannedConfig } from '../../src/lib/scan/scan.ts';
import { commitUnwrap, commitWrap, planUnwrap, planWrap, type GuardPrefix } from '../../src/lib/scan/wrap.ts';
import { listingServer } from '../helpers/client-configs.ts';
import { repoRoot } from '../helpers/site.ts';

/**
 * What the first scan left out: remote servers that send headers (wrapped with their values
 * moved off the command line, references kept in the client's own syntax), Claude Desktop's
 * MSIX config, and VS Code's "mcp": { "servers" } in settings.json. Each scanned, wrapped and
 * unwrapped byte for byte, as tests/live/scan.test.ts does for the other configs.
 */

const TOKEN = 'sk-env-secret-value-7391';
const guard: GuardPrefix = [process.execPath, join(repoRoot, 'bin/atlas.mjs')];
let root: string;
let http: HttpServer;
let url: string;
const seenHeaders: Array<Record<string, string | undefined>> = [];
const files: Record<string, string> = {};

const write = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
};

beforeAll(async () => {
  http = createServer(async (req, res) => {
    seenHeaders.push({
      authorization: req.headers['authorization'] as string | undefined,
      team: req.headers['x-team'] as string | undefined,
    });
    const mcp = new McpServer({ name: 'remote-with-headers', version: '1.0.0' });
    mcp.registerTool('look', { description: 'Look.' }, () => ({ content: [{ type: 'text', text: 'looked' }] }));
    mcp.registerTool('wipe', { description: 'Wipe everything.' }, () => ({ content: [{ type: 'text', text: 'wiped' }] }));
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
    res.on('close', () => void transport.close());
    await mcp.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;

  root = mkdtempSync(join(tmpdir(), 'atlas-scan-gaps-'));
  const node = JSON.stringify(process.execPath);
  const listing = JSON.stringify(listingServer);
  files['vscode-settings'] = write(
    join(root, 'home', '.config', 'Code', 'User', 'settings.json'),
    `{
  // my editor
  "editor.fontSize": 14,
  "mcp": {
    "inputs": [{ "type": "promptString", "id": "token", "password": true }],
    "servers": {
      "files": { "type": "stdio", "command": ${node}, "args": [${listing}] },
      "remote": { "type": "http", "url": ${JSON.stringify(url)}, "headers": { "Authorization": "Bearer \${input:token}" } }, // asks
    },
  },
  "files.autoSave": "afterDelay"
}
`,
  );
  files['msix'] = write(
    join(
      root,
      'home',
      'AppData',
      'Local',
      'Packages',
      'Claude_pzs8sxrjxfjjc',
      'LocalCache',
      'Roaming',
      'Claude',
      'claude_desktop_config.json',
    ),
    `${JSON.stringify({ mcpServers: { files: { command: process.execPath, args: [listingServer] } }, globalShortcut: 'Ctrl+Space' }, null, 2)}\n`,
  );
  files['claude-code'] = write(
    join(root, 'project', '.mcp.json'),
    `${JSON.stringify(
      {
        mcpServers: {
          remote: { type: 'http', url, headers: { Authorization: 'Bearer ${API_TOKEN}', 'X-Team': 'atlas' } },
          'bad-header': { type: 'http', url, headers: { 'bad name': 'x' } },
        },
      },
      null,
      2,
    )}\n`,
  );
  files['cursor'] = write(
    join(root, 'home', '.cursor', 'mcp.json'),
    `{
\t"mcpServers": {
\t\t"remote": { "url": ${JSON.stringify(url)}, "headers": { "Authorization": "Bearer \${env:API_TOKEN}" } } // Cursor's syntax
\t}
}
`,
  );
  files['codex'] = write(
    join(root, 'home', '.codex', 'config.toml'),
    `model = "o3"

[mcp_servers.remote]
# a remote server with a token from the environment
url = ${JSON.stringify(url)}
bearer_token_env_var = "REMOTE_TOKEN"
env_http_headers = { "X-Key" = "KEY_VAR" }
http_headers = { "X-Team" = "atlas" }
`,
  );
});
afterAll(() => {
  http.closeAllConnections();
  http.close();
  rmSync(root, { recursive: true, force: true });
});

const scan = (): ScannedConfig[] =>
  scanConfigs({
    environment: { platform: 'linux', home: join(root, 'home'), project: join(root, 'project'), env: {} },
    configs: [files['msix']!],
  });
const configAt = (path: string) => scan().find((config) => config.path === path)!;
const policyFor = () => ({ policy: join(root, 'policy.json') });

describe('scan finds the configs it missed', () => {
  it("reads VS Code's servers from settings.json ('mcp': { 'servers' }) and Claude Desktop's MSIX config", () => {
    const vscode = configAt(files['vscode-settings']!);
    expect([vscode.client, vscode.readable]).toEqual(['vscode', true]);
    expect(vscode.servers.map((s) => [s.name, s.path, s.transport, s.headerNames])).toEqual([
      ['files', ['mcp', 'servers', 'files'], 'stdio', []],
      ['remote', ['mcp', 'servers', 'remote'], 'http', ['Authorization']],
    ]);
    const msix = configAt(files['msix']!);
    expect([msix.client, msix.servers.map((s) => s.name)]).toEqual(['claude-desktop', ['files']]);
  });
});

describe('--wrap and --unwrap, byte for byte', () => {
  it.each(['vscode-settings', 'msix', 'claude-code', 'cursor', 'codex'])('%s', (which) => {
    const path = files[which]!;
    const original = readFileSync(path, 'utf8');
    const plan = planWrap(configAt(path), original, policyFor, guard);
    expect(plan.changed.length, plan.left.map((l) => `${l.name}: ${l.reason}`).join('\n')).toBeGreaterThan(0);
    commitWrap(plan);
    const wrapped = readFileSync(path, 'utf8');
    expect(wrapped).not.toBe(original);
    expect(wrapped).not.toContain(TOKEN);
    // Every server now runs under the guard; remote ones keep their header names.
    const rescanned = configAt(path);
    for (const server of rescanned.servers.filter((s) => plan.changed.some((c) => c.name === s.name))) {
      expect(server.wrapped, server.name).toBeDefined();
      const before = configAt(path);
      expect(server.headerNames).toEqual(before.servers.find((s) => s.name === server.name)!.headerNames);
    }
    commitUnwrap(planUnwrap(rescanned, wrapped));
    expect(readFileSync(path, 'utf8')).toBe(original);
  });

  it('moves header values into the entry env verbatim, references in the client syntax, and refuses a header name that is not one', () => {
    const claude = planWrap(configAt(files['claude-code']!), readFileSync(files['claude-code']!, 'utf8'), policyFor, guard);
    expect(claude.left).toEqual([{ name: 'bad-header', reason: 'sends a header named "bad name", which is not an HTTP header name' }]);
    const remote = JSON.parse(claude.after).mcpServers.remote;
    expect(remote.headers).toBeUndefined();
    expect(remote.env).toEqual({ ATLAS_HEADER_AUTHORIZATION: 'Bearer ${API_TOKEN}', ATLAS_HEADER_X_TEAM: 'atlas' });
    expect(remote.args.slice(-6)).toEqual([
      '--header-env',
      'Authorization=ATLAS_HEADER_AUTHORIZATION',
      '--header-env',
      'X-Team=ATLAS_HEADER_X_TEAM',
      '--upstream',
      url,
    ]);
    expect(
      parseJsonc(planWrap(configAt(files['cursor']!), readFileSync(files['cursor']!, 'utf8'), policyFor, guard).after).mcpServers.remote
        .env,
    ).toEqual({
      ATLAS_HEADER_AUTHORIZATION: 'Bearer ${env:API_TOKEN}',
    });
    const codex = parseToml(planWrap(configAt(files['codex']!), readFileSync(files['codex']!, 'utf8'), policyFor, guard).after) as {
      mcp_servers: { remote: Record<string, unknown> };
    };
    expect(codex.mcp_servers.remote).toEqual({
      command: process.execPath,
      args: [
        ...guard.slice(1),
        'guard',
        '--policy',
        join(root, 'policy.json'),
        '--header-env',
        'X-Team=ATLAS_HEADER_X_TEAM',
        '--header-env',
        'X-Key=KEY_VAR',
        '--bearer-env',
        'REMOTE_TOKEN',
        '--upstream',
        url,
      ],
      env: { ATLAS_HEADER_X_TEAM: 'atlas' },
      env_vars: ['KEY_VAR', 'REMOTE_TOKEN'],
    });
  });

  it('an entry edited after the wrap gets its headers back in their own keys, and keeps the edit', () => {
    const cases: Array<[string, [string, string], (text: string) => unknown]> = [
      ['claude-code', ['"bad name": "x"', '"bad name": "y"'], JSON.parse],
      ['codex', ['model = "o3"', 'model = "o4"'], parseToml],
    ];
    for (const [which, [from, to], parse] of cases) {
      const path = files[which]!;
      const original = readFileSync(path, 'utf8');
      commitWrap(planWrap(configAt(path), original, policyFor, guard));
      const edited = readFileSync(path, 'utf8').replace(from, to);
      expect(edited, which).toContain(to);
      writeFileSync(path, edited);
      commitUnwrap(planUnwrap(configAt(path), edited));
      expect(parse(readFileSync(path, 'utf8')), which).toEqual(parse(original.replace(from, to)));
      writeFileSync(path, original);
    }
  });

  it('a wrapped remote entry started as Claude Code starts it sends its headers through the guard, the token never on a command line', async () => {
    writeFileSync(join(root, 'policy.json'), JSON.stringify({ version: '1', default: 'allow', hide: ['wipe'] }));
    const text = readFileSync(files['claude-code']!, 'utf8');
    const entry = JSON.parse(planWrap(configAt(files['claude-code']!), text, policyFor, guard).after).mcpServers.remote;
    expect(JSON.stringify(entry.args)).not.toContain(TOKEN);
    // Claude Code expands ${VAR} in an entry's env from its own environment when it starts the server.
    const context = { env: { API_TOKEN: TOKEN }, home: join(root, 'home'), workspace: join(root, 'project') };
    const env = Object.fromEntries(Object.entries(entry.env as Record<string, string>).map(([k, v]) => [k, expandVariables(v, context)]));
    const client = new Client({ name: 'claude-code-like', version: '1' });
    await client.connect(
      new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...(process.env as Record<string, string>), ...env } }),
    );
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['look']);
      expect((await client.callTool({ name: 'wipe', arguments: {} })).isError).toBe(true);
    } finally {
      await client.close();
    }
    expect(seenHeaders.length).toBeGreaterThan(0);
    expect(seenHeaders.every((h) => h.authorization === `Bearer ${TOKEN}` && h.team === 'atlas')).toBe(true);
  });
});
