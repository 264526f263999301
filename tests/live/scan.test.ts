import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWrap, formatApply } from '../../src/lib/scan/apply.ts';
import { importScanned, outcomeKey, type ServerOutcome } from '../../src/lib/scan/import.ts';
import { scanTotals } from '../../src/lib/scan/report.ts';
import { scanConfigs, type ScannedConfig } from '../../src/lib/scan/scan.ts';
import { planUnwrap, planWrap, recordPath } from '../../src/lib/scan/wrap.ts';
import { shortHash } from '../../src/lib/text-safety/slug.ts';
import { policySchema } from '../../src/schemas/policy.ts';
import { buildClientFixture, fixtureEnvironment, HOSTILE_NAMES, SECRETS, type ClientFixture } from '../helpers/client-configs.ts';

const tools = [
  ...JSON.parse(readFileSync(new URL('../fixtures/tools-lists/acme-files.json', import.meta.url), 'utf8')).tools,
  // A hint the definition does not bear out: the bundle treats it as Destructive until a person reviews it.
  {
    name: 'update_record',
    description: 'Updates a record.',
    inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
    annotations: { destructiveHint: true },
  },
];
const guard: [string, ...string[]] = [process.execPath, '/opt/atlas/bin/atlas.mjs'];

let root: string;
let fixture: ClientFixture;
let contentDir: string;
let configs: ScannedConfig[];
let outcomes: Map<string, ServerOutcome>;
let originals: Map<string, string>;
const scan = () => scanConfigs({ environment: fixtureEnvironment(fixture) });
const snapshot = () => new Map(configs.map((c) => [c.path, readFileSync(c.path, 'utf8')]));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'atlas-scan-live-'));
  fixture = buildClientFixture(root, tools);
  contentDir = join(root, 'catalogue');
  configs = scan();
  originals = snapshot();
  ({ outcomes } = await importScanned(configs, {
    contentDir,
    timeoutMs: 15_000,
    today: '2026-12-01',
    clientVersion: 'test',
    trustProject: true,
    env: {},
    home: fixture.home,
    project: fixture.project,
    progress: () => undefined,
  }));
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const outcomeOf = (path: string, name: string) => {
  const index = configs.findIndex((c) => c.path === path);
  return outcomes.get(
    outcomeKey(
      index,
      configs[index]!.servers.find((s) => s.name === name)!,
    ),
  )!;
};

describe('atlas scan imports every server it can start, and reports the rest', () => {
  it('imports the same server once, under one slug, whichever configs name it', () => {
    const imported = [...outcomes.values()].flatMap((o) => (o.status === 'imported' ? [o.imported.slug] : []));
    // Claude Desktop's and Codex's "files" pass one more variable than the others: other sources, filed under other slugs.
    const slugs = [...new Set(imported)];
    expect(slugs.length).toBe(3);
    expect(slugs[0]).toBe('files');
    // The others take the name of the first entry that starts them (a hostile name, made a slug) or a suffix.
    expect(slugs.slice(1).sort()).toEqual([`files-${shortHash('files')}`, 'quote-back-slash'].sort());
    expect(imported.length).toBeGreaterThanOrEqual(10);
    expect(readdirSync(join(contentDir, 'servers')).sort()).toEqual(slugs.map((slug) => `${slug}.json`).sort());
  });

  it('a server that cannot start is reported, and the scan goes on', () => {
    const crash = outcomeOf(fixture.files['claude-desktop']!, 'crash');
    expect(crash.status).toBe('failed');
    expect(crash.status === 'failed' && crash.reason).toMatch(/GITHUB_TOKEN is not set/);
    const input = outcomeOf(join(fixture.project, '.vscode', 'mcp.json'), 'asks-input');
    expect(input.status === 'failed' && input.reason).toMatch(/asked of the user by the client/);
    expect(outcomeOf(fixture.files['windsurf']!, 'off')).toEqual({ status: 'skipped', reason: 'disabled in the config' });
    const totals = scanTotals(configs, outcomes);
    expect(totals.failed).toBeGreaterThanOrEqual(4);
    expect(totals.imported).toBeGreaterThanOrEqual(10);
  });

  it('summarises risk per server: counts, Critical tools, review queue and poisoning', () => {
    const files = outcomeOf(fixture.files['claude-code-user']!, 'files');
    expect(files.status).toBe('imported');
    if (files.status !== 'imported') return;
    expect(files.imported.summary.tools).toBe(tools.length);
    expect(files.imported.summary.critical).toContain('delete_file');
    expect(files.imported.summary.poisoned.map((p) => p.tool)).toContain('get_weather');
    // Each tool the bundle treats more severely than its category until a person reviews it is named with that reading.
    const file = JSON.parse(readFileSync(join(contentDir, 'servers', `${files.imported.slug}.json`), 'utf8'));
    const treated = file.tools
      .filter((tool: { classification: { treatment?: unknown } }) => tool.classification.treatment)
      .map((tool: { name: string }) => tool.name);
    expect(treated).toEqual(['update_record']);
    expect(files.imported.summary.failClosed).toEqual([{ tool: 'update_record', treatedAs: 'destructive, critical' }]);
  });

  it('keeps secret values out of the catalogue: names only', () => {
    for (const name of readdirSync(join(contentDir, 'servers'))) {
      const text = readFileSync(join(contentDir, 'servers', name), 'utf8');
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    }
    const file = JSON.parse(readFileSync(join(contentDir, 'servers', 'files.json'), 'utf8'));
    expect(file.server.source.env).toEqual(['API_TOKEN', 'TOOLS_FILE']);
  });

  it('project configs start only when trusted', async () => {
    const { outcomes: untrusted } = await importScanned(configs, {
      contentDir: join(root, 'untrusted'),
      timeoutMs: 5_000,
      today: '2026-12-01',
      clientVersion: 'test',
      trustProject: false,
      env: {},
      home: fixture.home,
      project: fixture.project,
      progress: () => undefined,
      fetchTools: async () => ({ tools: [], serverInfo: undefined, instructions: undefined, package: undefined, pages: 1 }),
    });
    const projectConfig = configs.findIndex((c) => c.scope === 'project');
    const outcome = untrusted.get(outcomeKey(projectConfig, configs[projectConfig]!.servers[0]!))!;
    expect(outcome.status === 'skipped' && outcome.reason).toMatch(/--trust-project/);
  });
});

describe('--wrap and --unwrap', () => {
  it('a dry run shows a diff with no secret in it and writes nothing', () => {
    const result = applyWrap(configs, { mode: 'wrap', outcomes, contentDir, guard, write: false });
    const text = formatApply(result, 'wrap', false);
    expect(text).toContain('+        "guard",');
    expect(text).toMatch(/Dry run: \d+ files would change/);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(snapshot()).toEqual(originals);
  });

  it('wraps every imported stdio server, keeps comments and key order, and unwrap restores every file byte for byte', () => {
    const wrapped = applyWrap(configs, { mode: 'wrap', outcomes, contentDir, guard, write: true });
    expect(wrapped.errors).toEqual([]);
    const after = snapshot();
    const changed = [...after].filter(([path, text]) => originals.get(path) !== text).map(([path]) => path);
    expect(changed.length).toBe(wrapped.written.length);
    expect(changed.length).toBeGreaterThanOrEqual(7);
    // Each bundle is a valid policy, written before any config points at it.
    for (const bundle of wrapped.bundles) expect(policySchema.safeParse(JSON.parse(readFileSync(bundle, 'utf8'))).success).toBe(true);

    const codex = after.get(fixture.files['codex-user']!)!;
    expect(codex).toContain('# the test server');
    expect(codex).toContain('model = "o3" # the default model');
    expect(codex).toMatch(/command = ".*node" {3}# this Node/);
    const cursor = after.get(fixture.files['cursor-user']!)!;
    expect(cursor).toContain('// servers every project gets');
    expect(cursor).toContain('}, // one line');
    const claude = JSON.parse(after.get(fixture.files['claude-code-user']!)!);
    expect(Object.keys(claude)).toEqual(['numStartups', 'mcpServers', 'projects', 'oauthAccount']);
    const slug = (outcomeOf(fixture.files['claude-code-user']!, 'files') as Extract<ServerOutcome, { status: 'imported' }>).imported.slug;
    // The config points at a bundle the wrap wrote (and checked above).
    expect(wrapped.bundles).toContain(join(contentDir, 'policies', `${slug}.json`));
    expect(claude.mcpServers.files.args.slice(0, 4)).toEqual([
      '/opt/atlas/bin/atlas.mjs',
      'guard',
      '--policy',
      join(contentDir, 'policies', `${slug}.json`),
    ]);
    expect(statSync(recordPath(fixture.files['claude-code-user']!)).mode & 0o777).toBe(0o600);

    // A re-scan sees every wrapped server with its own command, and the untouched entries as they were.
    const rescanned = scan();
    const files = rescanned.flatMap((c) => c.servers).filter((s) => s.name === 'files');
    expect(files).toHaveLength(configs.flatMap((c) => c.servers).filter((s) => s.name === 'files').length);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((s) => !s.wrapped || s.command !== process.execPath)).toEqual([]);
    expect(rescanned.flatMap((c) => c.broken).length).toBe(configs.flatMap((c) => c.broken).length);
    // Wrapping again changes nothing.
    const again = applyWrap(rescanned, { mode: 'wrap', outcomes: new Map(), contentDir, guard, write: false }).plans;
    expect(again).toHaveLength(wrapped.written.length);
    expect(again.filter((p) => p.before !== p.after).map((p) => p.config.path)).toEqual([]);

    const unwrapped = applyWrap(rescanned, { mode: 'unwrap', outcomes: new Map(), contentDir, guard, write: true });
    expect(unwrapped.errors).toEqual([]);
    expect(snapshot()).toEqual(originals);
  });

  it('a file edited after the wrap gets its entries back and keeps the edit', () => {
    const path = fixture.files['claude-desktop']!;
    applyWrap(configs, { mode: 'wrap', outcomes, contentDir, guard, write: true });
    const edited = readFileSync(path, 'utf8').replace('"globalShortcut": "Ctrl+Space"', '"globalShortcut": "Alt+Space"');
    writeFileSync(path, edited);
    const rescanned = scan();
    applyWrap(rescanned, { mode: 'unwrap', outcomes: new Map(), contentDir, guard, write: true });
    expect(readFileSync(path, 'utf8')).toBe(originals.get(path)!.replace('Ctrl+Space', 'Alt+Space'));
  });

  it("remote servers go through guard --upstream, in each client's own keys, and come back exactly", () => {
    const remotes: Array<[string, string]> = [
      [fixture.files['windsurf']!, 'remote'],
      [fixture.files['gemini-user']!, 'streaming'],
      [fixture.files['claude-code-project']!, 'remote'],
    ];
    for (const [path, name] of remotes) {
      const config = scan().find((c) => c.path === path)!;
      const text = readFileSync(path, 'utf8');
      const plan = planWrap(
        config,
        text,
        (server) => (server.name === name ? { policy: '/p/remote.json' } : { policy: undefined, reason: 'not this one' }),
        guard,
      );
      expect(plan.changed.map((c) => c.name)).toEqual([name]);
      const entry = parseJsonc(plan.after).mcpServers[name];
      expect(entry.args.slice(-2)).toEqual(['--upstream', 'http://127.0.0.1:9/mcp']);
      expect(entry.url ?? entry.serverUrl ?? entry.httpUrl).toBeUndefined();
      // Unwrapping the edited text (as if the record were lost) restores the entry in the client's own keys.
      writeFileSync(path, plan.after);
      const back = planUnwrap(
        scan().find((c) => c.path === path)!,
        plan.after,
      );
      expect(parseJsonc(back.after).mcpServers[name]).toEqual(parseJsonc(text).mcpServers[name]);
      writeFileSync(path, text);
    }
  });

  it('leaves hostile names, headers, SSE and broken entries as they are, and says why', () => {
    const result = applyWrap(scan(), { mode: 'wrap', outcomes, contentDir, guard, write: false });
    const left = result.plans.flatMap((p) => p.left.map((l) => `${l.name}: ${l.reason}`));
    expect(left).toContain('sse-server: uses SSE; guard --upstream speaks streamable HTTP only');
    // A remote server that sends headers is wrapped like any other once imported; this one cannot be reached, so it is left for that.
    expect(left.some((l) => l.startsWith('remote: sends headers'))).toBe(false);
    expect(left).toContain('not-an-object: not understood: must be an object (got number)');
    const wrappedNames = result.plans.flatMap((p) => p.changed.map((c) => c.name));
    for (const name of HOSTILE_NAMES.slice(0, 5)) expect(wrappedNames).toContain(name);
  });
});
