import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A home folder and a project folder holding an MCP config for every client the scan knows,
 * in each client's own format (comments where the format allows them), with hostile server
 * names and entries the scan cannot understand. Every stdio server is the test server
 * tests/fixtures/servers/listing.mjs, run by this Node, so a scan can really start them.
 */

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const listingServer = join(repoRoot, 'tests/fixtures/servers/listing.mjs');
export const crashServer = join(repoRoot, 'tests/fixtures/servers/crash.mjs');

/** Secret values the configs hold: no report, diff or catalogue file may contain them. */
export const SECRETS = ['sk-live-4242-secret-token', 'Bearer very-secret-header-value', 'codex-secret-env-value'];

export const HOSTILE_NAMES = ['quote"back\\slash', 'new\nline', '__proto__', 'bidi\u202Eevil', '#hash = [x]', 'esc\u001b[31mred'];

export interface ClientFixture {
  home: string;
  project: string;
  toolsFile: string;
  /** Every config file written, by client. */
  files: Record<string, string>;
}

function write(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function buildClientFixture(root: string, tools: unknown[]): ClientFixture {
  const home = join(root, 'home');
  const project = join(root, 'project');
  const toolsFile = write(join(root, 'tools.json'), JSON.stringify(tools));
  const node = process.execPath;
  const listing = (extraEnv: Record<string, string> = {}) => ({
    command: node,
    args: [listingServer],
    env: { TOOLS_FILE: toolsFile, ...extraEnv },
  });
  const files: Record<string, string> = {};

  files['claude-desktop'] = write(
    join(home, '.config', 'Claude', 'claude_desktop_config.json'),
    json({
      mcpServers: {
        files: listing({ API_TOKEN: SECRETS[0]! }),
        [HOSTILE_NAMES[0]!]: listing(),
        crash: { command: node, args: [crashServer] },
      },
      globalShortcut: 'Ctrl+Space',
    }),
  );
  files['claude-code-user'] = write(
    join(home, '.claude.json'),
    json({
      numStartups: 12,
      mcpServers: { files: { type: 'stdio', ...listing() }, [HOSTILE_NAMES[2]!]: listing() },
      projects: { [project]: { allowedTools: [], mcpServers: { local: { type: 'stdio', ...listing() } } } },
      oauthAccount: { emailAddress: 'someone@example.com' },
    }),
  );
  files['claude-code-project'] = write(
    join(project, '.mcp.json'),
    json({
      mcpServers: {
        'project-files': listing(),
        remote: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
        broken: { command: ['not', 'a', 'string'] },
      },
    }),
  );
  // Cursor and VS Code read JSON with comments; this one is written by hand, trailing comma and all.
  files['cursor-user'] = write(
    join(home, '.cursor', 'mcp.json'),
    `{
\t// servers every project gets
\t"mcpServers": {
\t\t"files": { "command": ${JSON.stringify(node)}, "args": [${JSON.stringify(listingServer)}], "env": { "TOOLS_FILE": ${JSON.stringify(toolsFile)} } }, // one line
\t\t${JSON.stringify(HOSTILE_NAMES[1])}: { "command": ${JSON.stringify(node)}, "args": [${JSON.stringify(listingServer)}], "env": { "TOOLS_FILE": ${JSON.stringify(toolsFile)} } },
\t\t"sse-server": { "url": "http://127.0.0.1:9/sse", "type": "sse" },
\t}
}
`,
  );
  files['vscode-project'] = write(
    join(project, '.vscode', 'mcp.json'),
    `// Workspace MCP servers
{
  "inputs": [{ "type": "promptString", "id": "token", "description": "API token", "password": true }],
  "servers": {
    /* the test server */
    "files": {
      "type": "stdio",
      "command": ${JSON.stringify(node)},
      "args": [${JSON.stringify(listingServer)}],
      "env": { "TOOLS_FILE": ${JSON.stringify(toolsFile)} }
    },
    "asks-input": { "type": "stdio", "command": ${JSON.stringify(node)}, "args": ["\${input:token}"] },
    ${JSON.stringify(HOSTILE_NAMES[3])}: { "type": "stdio", "command": ${JSON.stringify(node)}, "args": [${JSON.stringify(listingServer)}], "env": { "TOOLS_FILE": ${JSON.stringify(toolsFile)} } },
    "remote": { "type": "http", "url": "http://127.0.0.1:9/mcp", "headers": { "Authorization": ${JSON.stringify(SECRETS[1])} } }
  }
}
`,
  );
  files['windsurf'] = write(
    join(home, '.codeium', 'windsurf', 'mcp_config.json'),
    json({
      mcpServers: {
        files: listing(),
        remote: { serverUrl: 'http://127.0.0.1:9/mcp' },
        off: { ...listing(), disabled: true },
        'not-an-object': 42,
      },
    }),
  );
  files['gemini-user'] = write(
    join(home, '.gemini', 'settings.json'),
    `{
  // Gemini CLI strips comments from its settings
  "theme": "Default",
  "mcpServers": {
    "files": ${JSON.stringify(listing(), null, 6).replace(/\n}/, '\n    }')},
    "streaming": { "httpUrl": "http://127.0.0.1:9/mcp", "timeout": 5000 },
    "both": { "command": "x", "url": "http://127.0.0.1:9/mcp" }
  }
}
`,
  );
  files['codex-user'] = write(
    join(home, '.codex', 'config.toml'),
    `# Codex configuration
model = "o3" # the default model

[mcp_servers.files]
# the test server
command = ${JSON.stringify(node)}   # this Node
args = [${JSON.stringify(listingServer)}]
env = { TOOLS_FILE = ${JSON.stringify(toolsFile)}, SECRET = ${JSON.stringify(SECRETS[2])} }

[mcp_servers.${JSON.stringify(HOSTILE_NAMES[4])}]
command = ${JSON.stringify(node)}
args = [
  ${JSON.stringify(listingServer)},
]
env = { TOOLS_FILE = ${JSON.stringify(toolsFile)} }

[mcp_servers.remote]
url = "http://127.0.0.1:9/mcp"
bearer_token_env_var = "REMOTE_TOKEN"

[mcp_servers.broken]
args = ["no command"]
`,
  );
  // A Claude Desktop-style file is strict JSON: a comment makes it unreadable to the client and to the scan.
  files['claude-code-broken'] = write(join(root, 'elsewhere', '.mcp.json'), '{ // not allowed here\n "mcpServers": {} }\n');
  return { home, project, toolsFile, files };
}

/** The scan's environment for the fixture on Linux. */
export const fixtureEnvironment = (fixture: ClientFixture) => ({
  platform: 'linux' as const,
  home: fixture.home,
  project: fixture.project,
  env: {},
});
