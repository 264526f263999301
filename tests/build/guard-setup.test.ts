import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, expect, it } from 'vitest';
import { serveSite } from '../../src/cli/dev/serve.ts';
import { importFromSource } from '../../src/cli/sources.ts';
import { absoluteUrl, routes } from '../../src/lib/site/routes.ts';
import { buildSite, decodeEntities, pageExamples, readOutput, repoRoot, toolRoutes } from '../helpers/site.ts';

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

it("runs the guard with exactly the Claude Code line a built tool page shows, and the page's policy is enforced", async () => {
  const content = mkdtempSync(join(tmpdir(), 'atlas-setup-'));
  const server = join(repoRoot, 'tests/fixtures/servers/hostile-guard.mjs');
  await importFromSource(
    { kind: 'stdio', commandLine: `${JSON.stringify(process.execPath)} ${JSON.stringify(server)}`, env: {} },
    { contentDir: content, slug: 'hostile', timeoutMs: 30_000, today: '2026-12-01' },
  );
  const port = await freePort();
  const site = buildSite({
    contentDir: content,
    site: `http://127.0.0.1:${port}`,
    env: { ATLAS_GUARD_COMMAND: `${JSON.stringify(process.execPath)} ${JSON.stringify(join(repoRoot, 'bin/atlas.mjs'))}` },
  });
  expect(site.status, site.output).toBe(0);
  const served = await serveSite(site.outDir, '/', port);
  closers.push(served.close);

  const html = readOutput(site.outDir, toolRoutes(content).get('hostile/read_note')!);
  const line = decodeEntities(/data-setup="claude-code"[\s\S]*?<pre[^>]*>([\s\S]*?)<\/pre>/.exec(html)![1]!);
  // What a terminal makes of the pasted line; everything after `--` is what Claude Code runs.
  const words = spawnSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' })
    .stdout.split('\0')
    .slice(0, -1);
  expect(words.slice(0, 5)).toEqual(['claude', 'mcp', 'add', 'hostile', '--']);
  const [command, ...args] = words.slice(5) as [string, ...string[]];
  expect(args).toContain(absoluteUrl(routes.serverPolicy('hostile'), `http://127.0.0.1:${port}`));

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
  const bundle = JSON.parse(readOutput(site.outDir, routes.serverPolicy('hostile')));
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
  for (const example of pageExamples(html).filter(({ prior }) => prior === 0)) {
    const result = await client.callTool({ name: 'read_note', arguments: JSON.parse(example.args) });
    expect(Boolean(result.isError), example.args).toBe(example.decision !== 'allow');
    checked++;
  }
  expect(checked).toBeGreaterThan(0);
}, 600_000);
