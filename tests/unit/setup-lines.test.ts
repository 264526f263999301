import { spawnSync } from 'node:child_process';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { launchOf, setupLines } from '../../src/lib/guard/setup-lines.ts';
import { absoluteUrl, routes } from '../../src/lib/site/routes.ts';

const SITE = 'https://a.example';

const HOSTILE = ['a"; rm -rf ~; echo "', "it's $(whoami) `id`", 'line\nbreak', 'x\u202eevil', '__proto__', 'key = "v"\n[evil]'];

describe('set-up lines', () => {
  it.each(HOSTILE)('keep a hostile name or package as one value in every format (%j)', (name) => {
    const launch = launchOf({ name, package: `${name.replace(/\s/g, '')} (npm)` });
    const lines = setupLines({
      key: name,
      policyUrl: absoluteUrl(routes.serverPolicy('x'), SITE),
      pinUrl: absoluteUrl(routes.catalogShard('x'), SITE),
      launch,
      atlas: ['npx', '-y', 'policy-atlas'],
    });
    // The words a real shell makes of the line, as the reader's terminal would.
    const shell = spawnSync('bash', ['-c', `printf '%s\\0' ${lines.claudeCode}`], { encoding: 'utf8' })
      .stdout.split('\0')
      .slice(0, -1);
    expect(shell).toEqual(['claude', 'mcp', 'add', name, '--', ...lines.argv]);
    expect(JSON.parse(lines.json).mcpServers[name]).toEqual({ command: 'npx', args: lines.argv.slice(1) });
    expect(Object.keys(JSON.parse(lines.geminiCli).mcpServers)).toEqual([name]);
    const toml = parseToml(lines.codex) as { mcp_servers: Record<string, { command: string; args: string[] }> };
    expect(Object.keys(toml.mcp_servers)).toEqual([name]);
    expect(toml.mcp_servers[name]).toEqual({ command: 'npx', args: lines.argv.slice(1) });
  });

  it('start the server from what the catalogue recorded, else mark a placeholder', () => {
    expect(launchOf({ name: 's', source: { kind: 'stdio', command: 'npx -y "@scope/pkg@1.0"' } })).toEqual({
      kind: 'stdio',
      argv: ['npx', '-y', '@scope/pkg@1.0'],
    });
    expect(launchOf({ name: 's', package: 'docx-mcp-server (PyPI)' })).toEqual({ kind: 'stdio', argv: ['uvx', 'docx-mcp-server'] });
    const linesFor = (source: Parameters<typeof launchOf>[0]['source']) =>
      setupLines({ key: 's', policyUrl: 'p', pinUrl: 'c', launch: launchOf({ name: 'S', source }), atlas: ['atlas'] });
    const unknown = linesFor({ kind: 'file', file: 'x.json' });
    expect(unknown.placeholder).toBe(true);
    expect(unknown.argv.at(-1)).toBe('<command that starts S>');
    const http = linesFor({ kind: 'http', url: 'https://m.example/mcp' });
    expect(http.argv).toEqual(['atlas', 'guard', '--policy', 'p', '--pin', 'c', '--upstream', 'https://m.example/mcp']);
  });
});
