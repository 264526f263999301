import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configLocations, type ScanEnvironment } from '../../src/lib/scan/locations.ts';
import { formatScanReport, scanReportJson } from '../../src/lib/scan/report.ts';
import { scanConfigs, type ScannedConfig } from '../../src/lib/scan/scan.ts';
import { expandVariables } from '../../src/lib/scan/import.ts';
import { buildClientFixture, fixtureEnvironment, HOSTILE_NAMES, SECRETS, type ClientFixture } from '../helpers/client-configs.ts';

const tools = JSON.parse(readFileSync(new URL('../fixtures/tools-lists/acme-files.json', import.meta.url), 'utf8')).tools;

describe('where each client keeps its config', () => {
  const paths = (scan: ScanEnvironment) => configLocations(scan).map((l) => `${l.client} ${l.scope} ${l.path}`);

  it('Linux: XDG folders and dot-folders in the home, the project folders, /etc for managed files', () => {
    expect(paths({ platform: 'linux', home: '/home/ada', project: '/src/app', env: { XDG_CONFIG_HOME: '/home/ada/.xdg' } })).toEqual([
      'claude-desktop user /home/ada/.xdg/Claude/claude_desktop_config.json',
      'claude-code user /home/ada/.claude.json',
      'cursor user /home/ada/.cursor/mcp.json',
      'vscode user /home/ada/.xdg/Code/User/mcp.json',
      'vscode user /home/ada/.xdg/Code/User/settings.json',
      'windsurf user /home/ada/.codeium/windsurf/mcp_config.json',
      'gemini-cli user /home/ada/.gemini/settings.json',
      'codex user /home/ada/.codex/config.toml',
      'claude-code project /src/app/.mcp.json',
      'cursor project /src/app/.cursor/mcp.json',
      'vscode project /src/app/.vscode/mcp.json',
      'vscode project /src/app/.vscode/settings.json',
      'gemini-cli project /src/app/.gemini/settings.json',
      'codex project /src/app/.codex/config.toml',
      'claude-code system /etc/claude-code/managed-mcp.json',
      'gemini-cli system /etc/gemini-cli/settings.json',
    ]);
  });

  it('macOS: Application Support for the desktop apps, CODEX_HOME when set', () => {
    const found = paths({ platform: 'darwin', home: '/Users/ada', project: undefined, env: { CODEX_HOME: '/Users/ada/codex' } });
    expect(found).toContain('claude-desktop user /Users/ada/Library/Application Support/Claude/claude_desktop_config.json');
    expect(found).toContain('vscode user /Users/ada/Library/Application Support/Code/User/mcp.json');
    expect(found).toContain('codex user /Users/ada/codex/config.toml');
    expect(found).toContain('claude-code system /Library/Application Support/ClaudeCode/managed-mcp.json');
    expect(found.some((line) => line.includes(' project '))).toBe(false);
  });

  it('Windows: %APPDATA% for the desktop apps, %USERPROFILE% dot-folders, ProgramData', () => {
    const found = paths({
      platform: 'win32',
      home: 'C:\\Users\\Ada',
      project: 'D:\\src\\app',
      env: { APPDATA: 'C:\\Users\\Ada\\AppData\\Roaming', ProgramData: 'C:\\ProgramData' },
    });
    expect(found).toContain('claude-desktop user C:\\Users\\Ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
    // The MSIX package (the Windows installer and the Store) reads its own virtualised copy, under %LOCALAPPDATA%.
    expect(found).toContain(
      'claude-desktop user C:\\Users\\Ada\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json',
    );
    expect(found).toContain('vscode user C:\\Users\\Ada\\AppData\\Roaming\\Code\\User\\settings.json');
    expect(found).toContain('vscode user C:\\Users\\Ada\\AppData\\Roaming\\Code\\User\\mcp.json');
    expect(found).toContain('windsurf user C:\\Users\\Ada\\.codeium\\windsurf\\mcp_config.json');
    expect(found).toContain('codex user C:\\Users\\Ada\\.codex\\config.toml');
    expect(found).toContain('vscode project D:\\src\\app\\.vscode\\mcp.json');
    expect(found).toContain('gemini-cli system C:\\ProgramData\\gemini-cli\\settings.json');
  });
});

describe('scanning a home and a project with a config for every client', () => {
  let root: string;
  let fixture: ClientFixture;
  let configs: ScannedConfig[];
  const byPath = (path: string) => configs.find((c) => c.path === path)!;
  const names = (config: ScannedConfig) => config.servers.map((s) => s.name);

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'atlas-scan-'));
    fixture = buildClientFixture(root, tools);
    configs = scanConfigs({ environment: fixtureEnvironment(fixture) });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the config of every client, user and project', () => {
    expect(configs.map((c) => `${c.client} ${c.scope}`)).toEqual([
      'claude-desktop user',
      'claude-code user',
      'cursor user',
      'windsurf user',
      'gemini-cli user',
      'codex user',
      'claude-code project',
      'vscode project',
    ]);
    expect(configs.every((c) => c.readable)).toBe(true);
  });

  it('reads each server with its transport, command or URL, and hostile names as they are', () => {
    expect(names(byPath(fixture.files['claude-desktop']!))).toEqual(['files', HOSTILE_NAMES[0], 'crash']);
    // User scope and the project's local scope of ~/.claude.json; "__proto__" is a server like any other.
    expect(names(byPath(fixture.files['claude-code-user']!))).toEqual(['files', '__proto__', 'local']);
    expect(byPath(fixture.files['claude-code-user']!).servers[2]!.path).toEqual(['projects', fixture.project, 'mcpServers', 'local']);
    expect(names(byPath(fixture.files['cursor-user']!))).toEqual(['files', HOSTILE_NAMES[1], 'sse-server']);
    expect(byPath(fixture.files['cursor-user']!).servers[2]!.transport).toBe('sse');
    expect(names(byPath(fixture.files['codex-user']!))).toEqual(['files', HOSTILE_NAMES[4], 'remote']);
    const remote = byPath(fixture.files['codex-user']!).servers[2]!;
    expect([remote.transport, remote.url, remote.headerNames, remote.envNames]).toEqual([
      'http',
      'http://127.0.0.1:9/mcp',
      ['Authorization'],
      ['REMOTE_TOKEN'],
    ]);
    const streaming = byPath(fixture.files['gemini-user']!).servers.find((s) => s.name === 'streaming')!;
    expect([streaming.transport, streaming.url, streaming.urlKey]).toEqual(['http', 'http://127.0.0.1:9/mcp', 'httpUrl']);
    expect(byPath(fixture.files['windsurf']!).servers.find((s) => s.name === 'off')!.disabled).toBe(true);
  });

  it('reports entries it does not understand, naming the entry and the field', () => {
    const broken = configs.flatMap((c) => c.broken.map((b) => `${b.name}: ${b.problem}`));
    expect(broken).toEqual([
      'not-an-object: must be an object (got number)',
      'both: has both command and url: cannot tell how the client starts it',
      'broken: has neither command nor url: not a server entry this scan understands',
      'broken: command: must be a non-empty string',
    ]);
  });

  it('a strict-JSON client file with a comment is unreadable, with the line and why', () => {
    const [config] = scanConfigs({
      environment: fixtureEnvironment(fixture),
      configs: [fixture.files['claude-code-broken']!],
      onlyGiven: true,
    });
    expect(config!.readable).toBe(false);
    expect(config!.problem).toMatch(/not valid JSON at line 1, column 3: InvalidCommentToken \(this client reads strict JSON/);
  });

  it('prints names of variables and headers, never their values, and hostile names as quoted plain lines', () => {
    const text = formatScanReport(configs, new Map());
    const data = JSON.stringify(scanReportJson(configs, new Map()));
    for (const secret of SECRETS) {
      expect(text).not.toContain(secret);
      expect(data).not.toContain(secret);
    }
    expect(text).toContain('[env "API_TOKEN", "TOOLS_FILE"]');
    expect(text).toContain('[headers "Authorization"]');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202E');
    expect(text).toContain('"new line"');
    expect(text).toContain('not understood: "not-an-object": must be an object (got number) (left untouched)');
  });

  it('expands the variables clients expand, and refuses what only the client can answer', () => {
    const context = { env: { TOKEN: 't', HOME_DIR: '/h' }, home: '/home/ada', workspace: '/src/app' };
    expect(expandVariables('${env:TOKEN}-${TOKEN}-${MISSING:-d}-${userHome}-${workspaceFolder}', context)).toBe('t-t-d-/home/ada-/src/app');
    expect(() => expandVariables('${input:token}', context)).toThrow(/asked of the user by the client/);
    expect(() => expandVariables('${NOPE}', context)).toThrow(/needs the environment variable NOPE/);
  });
});
