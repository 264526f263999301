import { posix, win32 } from 'node:path';

/**
 * Where each MCP client keeps its server list, per platform, as each client documents it.
 * Every root (home, AppData, the project folder…) comes from a `ScanEnvironment`, so tests
 * point the scan at folders they built instead of the real home folder.
 */

export const CLIENT_IDS = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf', 'gemini-cli', 'codex'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

export const CLIENT_LABELS: Record<ClientId, string> = {
  'claude-desktop': 'Claude Desktop',
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  'gemini-cli': 'Gemini CLI',
  codex: 'Codex',
};

export type Platform = 'linux' | 'darwin' | 'win32';

export interface ScanEnvironment {
  platform: Platform;
  /** The user's home folder (HOME, or USERPROFILE on Windows). */
  home: string;
  /** The project folder (the current directory by default); undefined scans user configs only. */
  project: string | undefined;
  /** Variables some locations depend on: APPDATA, LOCALAPPDATA, XDG_CONFIG_HOME, CODEX_HOME, ProgramData, ProgramFiles. */
  env: Readonly<Record<string, string | undefined>>;
}

export type ConfigScope = 'user' | 'project' | 'system';

export interface ConfigLocation {
  client: ClientId;
  scope: ConfigScope;
  path: string;
}

/** The environment of this process: the real home folder, the current directory, the real variables. */
export function currentEnvironment(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): ScanEnvironment {
  const platform: Platform = process.platform === 'win32' ? 'win32' : process.platform === 'darwin' ? 'darwin' : 'linux';
  const home = (platform === 'win32' ? env['USERPROFILE'] : env['HOME']) ?? env['HOME'] ?? env['USERPROFILE'] ?? '';
  return { platform, home, project: cwd, env };
}

/** Every documented location of every client on this platform, existing or not, user files first. */
export function configLocations(scan: ScanEnvironment): ConfigLocation[] {
  const path = scan.platform === 'win32' ? win32 : posix;
  const { home, env } = scan;
  const join = (...parts: string[]) => path.join(...parts);
  const appData = env['APPDATA'] ?? join(home, 'AppData', 'Roaming');
  // Linux apps follow the XDG base directories; an empty or relative XDG_CONFIG_HOME is ignored, as the spec says.
  const xdgConfig = env['XDG_CONFIG_HOME'] && path.isAbsolute(env['XDG_CONFIG_HOME']) ? env['XDG_CONFIG_HOME'] : join(home, '.config');
  const macSupport = join(home, 'Library', 'Application Support');
  const userData = (app: string) =>
    scan.platform === 'win32' ? join(appData, app) : scan.platform === 'darwin' ? join(macSupport, app) : join(xdgConfig, app);
  const codexHome = env['CODEX_HOME'] && path.isAbsolute(env['CODEX_HOME']) ? env['CODEX_HOME'] : join(home, '.codex');
  const programData = env['ProgramData'] ?? env['PROGRAMDATA'] ?? 'C:\\ProgramData';
  const programFiles = env['ProgramFiles'] ?? env['PROGRAMFILES'] ?? 'C:\\Program Files';
  const localAppData = env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local');

  const user: ConfigLocation[] = [
    // Claude Desktop has no official Linux build; community builds use ~/.config/Claude.
    { client: 'claude-desktop', scope: 'user', path: join(userData('Claude'), 'claude_desktop_config.json') },
    // The Windows installer (and the Store) ship Claude Desktop as an MSIX package, which reads its
    // config from the package's virtualised AppData, not from %APPDATA%\Claude.
    ...(scan.platform === 'win32'
      ? [
          {
            client: 'claude-desktop' as const,
            scope: 'user' as const,
            path: join(localAppData, 'Packages', 'Claude_pzs8sxrjxfjjc', 'LocalCache', 'Roaming', 'Claude', 'claude_desktop_config.json'),
          },
        ]
      : []),
    // Claude Code: user and local (per-project) scopes both live in ~/.claude.json.
    { client: 'claude-code', scope: 'user', path: join(home, '.claude.json') },
    { client: 'cursor', scope: 'user', path: join(home, '.cursor', 'mcp.json') },
    // VS Code's user profile folder: Code/User/mcp.json under the platform's app-data folder.
    { client: 'vscode', scope: 'user', path: join(userData('Code'), 'User', 'mcp.json') },
    // Before mcp.json, VS Code read servers from "mcp": { "servers": … } in settings.json, and still does.
    { client: 'vscode', scope: 'user', path: join(userData('Code'), 'User', 'settings.json') },
    { client: 'windsurf', scope: 'user', path: join(home, '.codeium', 'windsurf', 'mcp_config.json') },
    { client: 'gemini-cli', scope: 'user', path: join(home, '.gemini', 'settings.json') },
    { client: 'codex', scope: 'user', path: join(codexHome, 'config.toml') },
  ];
  const system: ConfigLocation[] =
    scan.platform === 'win32'
      ? [
          { client: 'claude-code', scope: 'system', path: join(programFiles, 'ClaudeCode', 'managed-mcp.json') },
          { client: 'gemini-cli', scope: 'system', path: join(programData, 'gemini-cli', 'settings.json') },
        ]
      : scan.platform === 'darwin'
        ? [
            { client: 'claude-code', scope: 'system', path: '/Library/Application Support/ClaudeCode/managed-mcp.json' },
            { client: 'gemini-cli', scope: 'system', path: '/Library/Application Support/GeminiCli/settings.json' },
          ]
        : [
            { client: 'claude-code', scope: 'system', path: '/etc/claude-code/managed-mcp.json' },
            { client: 'gemini-cli', scope: 'system', path: '/etc/gemini-cli/settings.json' },
          ];
  const project: ConfigLocation[] = scan.project
    ? [
        { client: 'claude-code', scope: 'project', path: join(scan.project, '.mcp.json') },
        { client: 'cursor', scope: 'project', path: join(scan.project, '.cursor', 'mcp.json') },
        { client: 'vscode', scope: 'project', path: join(scan.project, '.vscode', 'mcp.json') },
        { client: 'vscode', scope: 'project', path: join(scan.project, '.vscode', 'settings.json') },
        { client: 'gemini-cli', scope: 'project', path: join(scan.project, '.gemini', 'settings.json') },
        // Codex reads a project's .codex/config.toml only in a project the user trusts.
        { client: 'codex', scope: 'project', path: join(scan.project, '.codex', 'config.toml') },
      ]
    : [];
  return [...user, ...project, ...system];
}

/** The client a config file given with --config belongs to, from its name and folder. */
export function clientForPath(file: string): ClientId | undefined {
  const parts = file.split(/[\\/]+/);
  const name = parts.at(-1) ?? '';
  const parent = parts.at(-2) ?? '';
  if (name === 'claude_desktop_config.json') return 'claude-desktop';
  if (name === '.claude.json' || name === '.mcp.json' || name === 'managed-mcp.json') return 'claude-code';
  if (name === 'mcp_config.json') return 'windsurf';
  if (name === 'config.toml') return 'codex';
  if (name === 'settings.json' && parent === '.gemini') return 'gemini-cli';
  if (name === 'settings.json' && /gemini/i.test(parent)) return 'gemini-cli';
  if (name === 'settings.json' && (parent === '.vscode' || parent === 'User')) return 'vscode';
  if (name === 'mcp.json' && parent === '.cursor') return 'cursor';
  if (name === 'mcp.json' && (parent === '.vscode' || parent === 'User')) return 'vscode';
  return undefined;
}
