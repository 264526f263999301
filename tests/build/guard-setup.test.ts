import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, expect, it } from 'vitest';
import { serveSite } from '../../src/cli/dev/serve.ts';
import { importFromSource } from '../../src/cli/sources.ts';
import { buildSite, htmlFiles, repoRoot } from '../helpers/site.ts';

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close().catch(() => undefined);
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const decode = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

it("runs the guard with exactly the Claude Code line a built tool page shows, and the page's policy is enforced", async () => {
  const content = mkdtempSync(join(tmpdir(), 'atlas-setup-'));
  const server = join(repoRoot, 'tests/fixtures/servers/hostile-guard.mjs');
  await importFromSource(
    { kind: 'stdio', commandLine: `${JSON.stringify(process.execPath)} ${JSON.stringify(server)}`, env: {} },
    { contentDir: content, slug: 'hostile', timeoutMs: 30_000, today: '2026-12-01' },
  );
  const port = await freePort();
  process.env['ATLAS_GUARD_COMMAND'] = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(repoRoot, 'bin/atlas.mjs'))}`;
  const site = buildSite({ contentDir: content, site: `http://127.0.0.1:${port}` });
  delete process.env['ATLAS_GUARD_COMMAND'];
  expect(site.status, site.output).toBe(0);
  const served = await serveSite(site.outDir, '/', port);
  closers.push(served.close);

  const page = htmlFiles(join(site.outDir, 'tools', 'hostile')).find((file) => file.includes('read-note'))!;
  const html = readFileSync(page, 'utf8');
  const line = decode(/data-setup="claude-code"[\s\S]*?<pre[^>]*>([\s\S]*?)<\/pre>/.exec(html)![1]!);
  // What a terminal makes of the pasted line; everything after `--` is what Claude Code runs.
  const words = spawnSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' })
    .stdout.split('\0')
    .slice(0, -1);
  expect(words.slice(0, 5)).toEqual(['claude', 'mcp', 'add', 'hostile', '--']);
  const [command, ...args] = words.slice(5) as [string, ...string[]];
  expect(args).toContain(`http://127.0.0.1:${port}/servers/hostile/policy.json`);

  const client = new Client({ name: 'pasted', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command,
      args,
      stderr: 'inherit',
      env: { ...(process.env as Record<string, string>), ATLAS_CACHE: join(content, 'cache') },
    }),
  );
  closers.push(() => client.close());
  const bundle = JSON.parse(readFileSync(join(site.outDir, 'servers/hostile/policy.json'), 'utf8'));
  const listed = (await client.listTools()).tools.map((t) => t.name);
  for (const hidden of bundle.hide ?? []) {
    expect(listed, hidden).not.toContain(hidden);
    const result = await client.callTool({ name: hidden, arguments: {} });
    expect(result.isError, hidden).toBe(true);
  }
  expect(bundle.hide).toContain('delete_all');
  expect(listed).toContain('read_note');
  // The page's own examples, through the guard, decided as the page says.
  let checked = 0;
  for (const match of html.matchAll(/<li data-decision="(\w+)" data-prior="0"[^>]*>[\s\S]*?<code class="args"[^>]*>([^<]*)<\/code>/g)) {
    const result = await client.callTool({ name: 'read_note', arguments: JSON.parse(decode(match[2]!)) });
    expect(Boolean(result.isError), decode(match[2]!)).toBe(match[1] !== 'allow');
    checked++;
  }
  expect(checked).toBeGreaterThan(0);
}, 600_000);
