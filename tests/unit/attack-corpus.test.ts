import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { exportAll } from '../../src/lib/policy/exports/index.ts';
import { walkArguments } from '../../src/lib/policy/argument-walk.ts';
import { parseConditionPath, formatConditionPath } from '../../src/schemas/condition-path.ts';
import { evaluate } from '../../src/lib/policy/evaluate.ts';
import { CONDITION_PATTERNS, MUST_MATCH, PATH_LOOKALIKES } from '../../src/lib/policy/patterns.ts';
import { compileRe2 } from '../../src/schemas/re2.ts';
import { kindOf, recommendedRule, serverBundle } from '../../src/lib/policy/recommend.ts';
import { interceptDecides } from '../helpers/intercept-engine.ts';
import { cedarDecides } from '../helpers/toolhive-cedar.ts';
import {
  bundleOf,
  corpusCalls,
  exportsOf,
  modelDecides,
  shippedServers,
  syntheticServer,
  type CorpusCall,
} from '../fixtures/attacks/harness.ts';
import {
  CODE_ATTACKS,
  COMMAND_ATTACKS,
  FIELD_CODE_ATTACKS,
  ORDINARY,
  PATH_ATTACKS,
  SQL_ATTACKS,
  URL_ATTACKS,
} from '../fixtures/attacks/corpus.ts';

const servers = [...shippedServers(), syntheticServer()];
const corpus = servers.flatMap((server) => {
  const bundle = bundleOf(server);
  return corpusCalls(server, bundle).map((call) => ({ call, bundle, server }));
});
const attacks = corpus.filter(({ call }) => call.expected === 'deny');
const ordinary = corpus.filter(({ call }) => call.expected === 'allow');
/** The arguments with every property sent as null left out, at any depth: what Intercept reads. */
function withoutNulls(args: Record<string, unknown>): Record<string, unknown> {
  const strip = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(strip)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).flatMap(([key, item]) => (item === null ? [] : [[key, strip(item)]])))
        : value;
  return strip(args) as Record<string, unknown>;
}
const show = (call: CorpusCall) => `${call.server}/${call.tool} ${call.family}: ${JSON.stringify(call.args)}`;

describe('the attack corpus against the shipped bundles and the synthetic server', () => {
  it('covers every family of the issue, with at least 200 attacks', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(200);
    const families = new Set(attacks.map(({ call }) => call.family.split(':')[0]));
    for (const family of ['path', 'url', 'command', 'sql', 'code', 'field code', 'amount', 'shape'])
      expect(families, family).toContain(family);
    // Every server contributes, and the synthetic one reaches lists, nested objects and odd names.
    for (const server of servers)
      expect(
        attacks.some(({ call }) => call.server === server.slug),
        server.slug,
      ).toBe(true);
    const synthetic = attacks.filter(({ call }) => call.server === 'synthetic').map(({ call }) => call.tool);
    for (const tool of ['read_many', 'nested_options', 'odd_names', 'fetch_many', 'list_of_entries', 'opaque_file'])
      expect(synthetic).toContain(tool);
  });

  it('stops every attack in policy.json', () => {
    const through = attacks.filter(({ call, bundle }) => modelDecides(bundle, call) !== 'deny').map(({ call }) => show(call));
    expect(through).toEqual([]);
  });

  it('allows the ordinary calls', () => {
    expect(ordinary.length).toBeGreaterThan(100);
    const denied = ordinary
      .filter(({ call, bundle }) => modelDecides(bundle, call) !== 'allow')
      .map(({ call, bundle }) => `${show(call)} → ${evaluate(bundle, { tool: call.tool, args: call.args }).reason}`);
    expect(denied).toEqual([]);
  });

  it('allows the calls the issue found wrongly denied: enums are not URLs, an optional URL stays optional', () => {
    const tachibot = servers.find((s) => s.slug === 'tachibot-mcp')!;
    const camoufox = servers.find((s) => s.slug === 'camoufox-mcp')!;
    const decide = (server: typeof tachibot, tool: string, args: Record<string, unknown>) =>
      evaluate(serverBundle(server.tools), { tool, args }).decision;
    expect(decide(tachibot, 'perplexity_ask', { query: 'What changed in TLS 1.3?' })).toBe('allow');
    expect(decide(tachibot, 'focus', { query: 'threat model', domain: 'security' })).toBe('allow');
    expect(decide(tachibot, 'focus', { query: 'threat model', domain: 'https://169.254.169.254/' })).toBe('deny');
    expect(decide(camoufox, 'navigate_page', { type: 'back' })).toBe('allow');
    expect(decide(camoufox, 'navigate_page', { url: 'https://example.com/a?b=c' })).toBe('allow');
  });
});

describe('no export allows what policy.json denies', () => {
  const byServer = new Map(servers.map((server) => [server.slug, exportsOf(server, bundleOf(server))]));

  it('Cedar, decided by cedar-wasm with ToolHive-shaped entities', () => {
    const leaks: string[] = [];
    let allowedOrdinary = 0;
    let ordinaryWithoutPaths = 0;
    for (const { call, bundle } of corpus) {
      const model = modelDecides(bundle, call);
      const cedar = cedarDecides(byServer.get(call.server)!.cedar, call.tool, call.args);
      if (model === 'deny' && cedar === 'allow') leaks.push(show(call));
      // Cedar cannot fold letter case, so it refuses every call that sends a path (see below);
      // the others show whether the export is still of use.
      if (call.expected !== 'allow' || call.family.includes('path')) continue;
      ordinaryWithoutPaths++;
      if (cedar === 'allow') allowedOrdinary++;
    }
    expect(leaks).toEqual([]);
    // The export is still useful: most ordinary calls that send no path get through.
    expect(allowedOrdinary).toBeGreaterThan(ordinaryWithoutPaths / 2);
  });

  it('Intercept, decided as its Go engine decides: only an argument sent as null, which it reads as absent, gets through', () => {
    const leaks: string[] = [];
    const unexplained: string[] = [];
    for (const { call, bundle } of corpus) {
      if (modelDecides(bundle, call) === 'allow') continue;
      if (interceptDecides(byServer.get(call.server)!.intercept, call.tool, call.args) === 'deny') continue;
      leaks.push(show(call));
      // What the export's notes name (attack-findings I1): Intercept cannot tell null from absent, so
      // such a call passes as the same call without those arguments would, and carries no more than it.
      const absent = withoutNulls(call.args);
      if (JSON.stringify(absent) === JSON.stringify(call.args) || modelDecides(bundle, { ...call, args: absent }) !== 'allow')
        unexplained.push(show(call));
    }
    expect(unexplained).toEqual([]);
    // The corpus sends null where a value is checked, so the hole is exercised, not assumed away.
    expect(leaks.length).toBeGreaterThan(0);
  });

  it('Claude Code, Gemini CLI and Codex: a tool whose rule checks arguments is never on an allow list (Codex: never without a prompt)', () => {
    const leaks: string[] = [];
    for (const server of servers) {
      const all = exportAll(
        server.slug,
        bundleOf(server),
        server.tools.map((t) => t.name),
      );
      const text = (id: string) => all.find((e) => e.id === id)!.text;
      const claude: string[] = JSON.parse(text('claude-code')).permissions.allow ?? [];
      const gemini: string[] = JSON.parse(text('gemini-cli')).mcpServers[server.slug].includeTools ?? [];
      // Codex may enable a checked tool only with approval_mode = "prompt": a person approves each call.
      const codexTable = (
        parseToml(text('codex')).mcp_servers as Record<
          string,
          { enabled_tools?: string[]; tools?: Record<string, { approval_mode?: string }> }
        >
      )[server.slug]!;
      const codex = (codexTable.enabled_tools ?? []).filter((name) => codexTable.tools?.[name]?.approval_mode !== 'prompt');
      for (const { call, bundle } of corpus.filter((c) => c.server.slug === server.slug)) {
        if (modelDecides(bundle, call) === 'allow') continue;
        if (claude.includes(`mcp__${server.slug}__${call.tool}`)) leaks.push(`claude-code ${show(call)}`);
        if (gemini.includes(call.tool)) leaks.push(`gemini-cli ${show(call)}`);
        if (codex.includes(call.tool)) leaks.push(`codex ${show(call)}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('the issue’s Cedar leaks are closed: lists, null and huge amounts are refused', () => {
    const synthetic = syntheticServer();
    const { cedar } = exportsOf(synthetic, bundleOf(synthetic));
    expect(cedarDecides(cedar, 'eval_script', { script: ['document.cookie'] })).toBe('deny');
    expect(cedarDecides(cedar, 'eval_script', { script: null })).toBe('deny');
    expect(cedarDecides(cedar, 'read_file', { path: ['/etc/shadow'] })).toBe('deny');
    // Cedar cannot fold letter case, so it cannot keep the device-name and system-folder checks:
    // a call that sends a path is refused, and one that leaves it out still reaches the rule.
    expect(cedarDecides(cedar, 'read_file', { path: 'reports/q3.csv' })).toBe('deny');
    expect(cedarDecides(cedar, 'read_file', { path: 'ETC/shadow' })).toBe('deny');
    expect(cedarDecides(cedar, 'read_file', { path: 'Con.docx' })).toBe('deny');
    expect(cedarDecides(cedar, 'quote_amount', { amount: 50 })).toBe('allow');
    expect(cedarDecides(cedar, 'quote_amount', { amount: 150 })).toBe('deny');
    expect(cedarDecides(cedar, 'quote_amount', { amount: 1e15 })).toBe('deny');
  });
});

describe('every check, three ways: the policy pattern, its must-match form, its Cedar globs', () => {
  const everything = [
    ...PATH_ATTACKS,
    ...URL_ATTACKS,
    ...COMMAND_ATTACKS,
    ...SQL_ATTACKS,
    ...CODE_ATTACKS,
    ...FIELD_CODE_ATTACKS,
    ...Object.values(ORDINARY)
      .flat()
      .map((value) => ({ family: 'ordinary', value })),
  ]
    .map((a) => a.value)
    .filter((v): v is string => typeof v === 'string');

  it.each(Object.entries(MUST_MATCH))(
    '%s: a value passes the must-match pattern exactly when the deny pattern lets it through',
    (id, mustMatch) => {
      const deny = compileRe2(CONDITION_PATTERNS[id as keyof typeof CONDITION_PATTERNS].value);
      const must = compileRe2(mustMatch!);
      if (typeof deny === 'string' || typeof must === 'string') throw new Error(String(deny) + String(must));
      const urlShape = compileRe2(CONDITION_PATTERNS.url.value) as Exclude<ReturnType<typeof compileRe2>, string>;
      for (const value of everything) {
        // The internal-host complement is exact for the URLs the url shape lets through.
        if (id === 'internalHost' && !urlShape.test(value)) continue;
        expect(must.test(value), `${id}: ${JSON.stringify(value)}`).toBe(!deny.test(value));
      }
    },
  );

  it('the look-alike list holds every BMP character NFKC folds into path syntax', () => {
    const missing: string[] = [];
    for (let code = 0x80; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCharCode(code);
      if (/[./\\~:]/.test(ch.normalize('NFKC')) && !PATH_LOOKALIKES.includes(ch)) missing.push(`U+${code.toString(16)}`);
    }
    expect(missing).toEqual([]);
  });

  it('every URL the url shape allows is, to the WHATWG parser, https to the same DNS name with a letter top-level label', () => {
    const shape = compileRe2(CONDITION_PATTERNS.url.value) as Exclude<ReturnType<typeof compileRe2>, string>;
    for (const value of everything.filter((v) => shape.test(v))) {
      const parsed = new URL(value);
      expect(parsed.protocol).toBe('https:');
      expect(parsed.username + parsed.password).toBe('');
      expect(parsed.hostname).toBe(
        value
          .slice('https://'.length)
          .split(/[:/?#]/)[0]!
          .toLowerCase(),
      );
      expect(parsed.hostname.split('.').at(-1)).toMatch(/^[a-z]/);
    }
  });
});

describe('the recommender never drops a check', () => {
  it('gives every property of a checked kind, in every tool, a condition at its own path or at an ancestor that refuses it', () => {
    const missing: string[] = [];
    for (const server of servers) {
      for (const tool of server.tools) {
        const rule = recommendedRule(tool);
        if (!rule) continue;
        const paths = new Set((rule.deny_if ?? []).map((c) => c.path));
        for (const arg of walkArguments(tool.inputSchema).args) {
          const kind = kindOf(arg);
          if (!kind || kind === 'credential' || kind === 'recipient') continue;
          const own = formatConditionPath(arg.steps);
          const covered =
            paths.has(own) ||
            paths.has(`${own}[*]`) ||
            [...paths].some((p) => p.startsWith(`${own}[*]`) || p.startsWith(`${own}.`) || p.startsWith(`${own}[`)) ||
            (rule.deny_if ?? []).some((c) => c.op === 'exists' && own.startsWith(c.path)) ||
            ([...arg.types].every((t) => ['boolean', 'integer', 'number', 'null'].includes(t) && kind !== 'amount') && arg.types.size > 0);
          if (!covered) missing.push(`${server.slug}/${tool.name} ${own}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('addresses odd names by quoting, lists by [*], and refuses what it cannot check', () => {
    const synthetic = syntheticServer();
    const rule = (name: string) => recommendedRule(synthetic.tools.find((t) => t.name === name)!)!;
    expect(rule('odd_names').deny_if!.map((c) => c.path)).toEqual(
      expect.arrayContaining(['args["file.path"]', 'args["output path"]', 'args["quote\\"d url"]']),
    );
    for (const c of rule('odd_names').deny_if!) expect(typeof parseConditionPath(c.path)).not.toBe('string');
    expect(rule('read_many').deny_if!.map((c) => c.path)).toContain('args.files[*]');
    expect(rule('list_of_entries').deny_if!.map((c) => c.path)).toContain('args.entries[*].path');
    expect(rule('opaque_file').deny_if).toContainEqual({ path: 'args.file', op: 'exists', value: true });
    expect(rule('pick_domain').deny_if).toContainEqual({ path: 'args.domain', op: 'not_in', value: ['security', 'finance'] });
  });

  it('hides a tool whose schema is too big to walk, rather than dropping checks past a limit', () => {
    const properties = Object.fromEntries(Array.from({ length: 2100 }, (_, i) => [`p${i}_path`, { type: 'string' }]));
    expect(recommendedRule({ name: 'big', category: 'read', risk: 'low', inputSchema: { type: 'object', properties } })).toBeUndefined();
    const some = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}_path`, { type: 'string' }]));
    const rule = recommendedRule({ name: 'many', category: 'read', risk: 'low', inputSchema: { type: 'object', properties: some } })!;
    // Every one of the 300 paths keeps its checks (the path shape and the name checks beside it).
    expect(new Set(rule.deny_if!.filter((condition) => condition.op !== 'has_key_not_in').map((condition) => condition.path)).size).toBe(
      300,
    );
    // And only those 300 names may be sent.
    expect(rule.deny_if).toContainEqual({ path: 'args', op: 'has_key_not_in', value: Object.keys(some) });
  });
});
