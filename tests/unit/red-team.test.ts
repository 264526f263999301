import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { parseServerFile } from '../../src/lib/catalog/files.ts';
import { evaluate, type EvalPolicy } from '../../src/lib/policy/evaluate.ts';
import { exportFor } from '../../src/lib/policy/exports/index.ts';
import { CONDITION_PATTERNS, MUST_MATCH } from '../../src/lib/policy/patterns.ts';
import { serverBundle, type PolicyTool } from '../../src/lib/policy/recommend.ts';
import { policyToolsOf } from '../../src/lib/scan/summary.ts';
import type { Policy } from '../../src/schemas/policy.ts';
import type { Category, Risk } from '../../src/schemas/risk.ts';
import { goMatch, interceptDecides, readIntercept, type InterceptDocument } from '../helpers/intercept-engine.ts';
import { cedarDecides } from '../helpers/toolhive-cedar.ts';

/**
 * The red-team corpus (tests/fixtures/attacks/red-team.json): calls an attacker sends, each
 * expected to be denied, and ordinary calls, each expected to be allowed, decided three ways:
 * by the evaluator on the recommended policy; by the Cedar export in the real Cedar engine with
 * the entities ToolHive builds (stacklok/toolhive pkg/authz/authorizers/cedar: preprocessArguments
 * and convertToCedarValue); and by the Intercept export read the way Intercept's Go engine reads
 * it (PolicyLayer/Intercept internal/engine). An export must never allow what policy.json denies.
 *
 * The fixture is read with JSON.parse (not imported), so `{"__proto__": …}` stays an own property
 * as it does in a gateway's JSON parser.
 */

interface Case {
  id: string;
  family: string;
  server: string;
  tool: string;
  args?: unknown;
  argsJson?: string;
  expect: 'allow' | 'deny';
  why: string;
  root?: string;
}

const root = join(import.meta.dirname, '..', '..');
const corpus = JSON.parse(readFileSync(join(root, 'tests/fixtures/attacks/red-team.json'), 'utf8')) as {
  synthetic: { tools: Array<{ name: string; category: Category; risk: Risk; inputSchema: unknown }> };
  cases: Case[];
};

/** The shipped server's tools as the site's bundle reads them (the effective, fail-closed classification). */
function shippedTools(server: string): PolicyTool[] {
  const file = `content/servers/${server}.json`;
  return policyToolsOf(parseServerFile(file, readFileSync(join(root, file), 'utf8'), server));
}

const toolsCache = new Map<string, PolicyTool[]>();
const toolsOf = (server: string) => {
  let tools = toolsCache.get(server);
  if (!tools) {
    tools = server === 'synthetic' ? corpus.synthetic.tools : shippedTools(server);
    toolsCache.set(server, tools);
  }
  return tools;
};
const bundleCache = new Map<string, Policy>();
function bundleFor(server: string, rootDir?: string): Policy {
  const key = `${server}\u0000${rootDir ?? ''}`;
  let bundle = bundleCache.get(key);
  if (!bundle) {
    bundle = serverBundle(toolsOf(server), rootDir ? { root: rootDir } : {});
    bundleCache.set(key, bundle);
  }
  return bundle;
}

const argsOf = (c: Case): unknown => (c.argsJson !== undefined ? JSON.parse(c.argsJson) : c.args);

// ---------- the exports, as the gateways read them ----------

const cedarPolicyCache = new Map<string, string>();
function cedarPolicies(server: string, policy: Policy, cacheKey: string): string {
  let policies = cedarPolicyCache.get(cacheKey);
  if (policies === undefined) {
    const text = exportFor('cedar', { server, policy, tools: toolsOf(server).map((t) => t.name) }).text;
    policies = (JSON.parse(text) as { cedar: { policies: string[] } }).cedar.policies.join('\n');
    cedarPolicyCache.set(cacheKey, policies);
  }
  return policies;
}

const interceptCache = new Map<string, InterceptDocument>();
function interceptConfig(server: string, policy: Policy, cacheKey: string): InterceptDocument {
  let config = interceptCache.get(cacheKey);
  if (!config) {
    config = readIntercept(exportFor('intercept-yaml', { server, policy, tools: toolsOf(server).map((t) => t.name) }).text);
    interceptCache.set(cacheKey, config);
  }
  return config;
}

// ---------- the corpus ----------

function decide(c: Case) {
  const policy = bundleFor(c.server, c.root);
  const args = argsOf(c);
  let evaluator: string;
  try {
    evaluator = evaluate(policy as EvalPolicy, { tool: c.tool, args }).decision;
  } catch (error) {
    evaluator = `threw ${(error as Error).message}`;
  }
  const key = `${c.server}\u0000${c.root ?? ''}`;
  return {
    evaluator,
    cedar: cedarDecides(cedarPolicies(c.server, policy, key), c.tool, args),
    intercept: interceptDecides(interceptConfig(c.server, policy, key), c.tool, args),
  };
}

describe('red-team corpus', () => {
  it('is large and covers every family', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(250);
    const families = new Set(corpus.cases.map((c) => c.family));
    for (const family of ['path', 'path-root', 'url', 'code', 'field', 'amount', 'list', 'names', 'command', 'sql', 'enum']) {
      expect(families, family).toContain(family);
    }
    expect(new Set(corpus.cases.map((c) => c.id)).size).toBe(corpus.cases.length);
  });

  describe.each(corpus.cases.map((c) => [`${c.id} ${c.server}/${c.tool} (${c.why})`, c] as const))('%s', (_label, c) => {
    it(c.expect === 'deny' ? 'is denied by policy.json, the Cedar export and the Intercept export' : 'is allowed by policy.json', () => {
      const decided = decide(c);
      if (c.expect === 'deny') {
        // evaluator/cedar/intercept, short enough to read whole in a failure.
        expect(`${decided.evaluator}/${decided.cedar}/${decided.intercept}`).toMatch(/^(deny|hidden)\/deny\/deny$/);
      } else {
        // ask: allowed once a person approves (Execute tools are recommended as ask).
        expect(['allow', 'ask']).toContain(decided.evaluator);
        // An export may deny more than the model (each says where), never less.
      }
    });
  });
});

describe('exports never allow what policy.json denies, beyond the corpus', () => {
  it.each(['camoufox-mcp', 'claude-code-notebook-mcp', 'docx-mcp', 'tachibot-mcp', 'synthetic'])(
    'the formats without argument checks (Claude Code, Gemini CLI, Gemini policy TOML, Codex) run no tool unasked whose rule checks arguments or hides it: %s',
    (server) => {
      const policy = bundleFor(server);
      const tools = toolsOf(server).map((t) => t.name);
      const checked = tools.filter((name) => {
        const rule = policy.tools?.[name];
        return !rule || (rule.require?.length ?? 0) + (rule.deny_if?.length ?? 0) > 0 || policy.hide?.includes(name);
      });
      expect(checked.length).toBeGreaterThan(0);
      const input = { server, policy, tools };
      const claude = JSON.parse(exportFor('claude-code', input).text) as { permissions: { allow?: string[] } };
      const gemini = JSON.parse(exportFor('gemini-cli', input).text) as { mcpServers: Record<string, { includeTools?: string[] }> };
      const geminiPolicy = parseToml(exportFor('gemini-policy', input).text) as {
        rule: Array<{ toolName?: string; decision: string; argsPattern?: string }>;
      };
      const codex = parseToml(exportFor('codex', input).text) as {
        mcp_servers?: Record<string, { enabled_tools?: string[]; tools?: Record<string, { approval_mode?: string }> }>;
      };
      const unasked = new Set([
        ...(claude.permissions.allow ?? []).map((rule) => rule.replace(`mcp__${server}__`, '')),
        ...Object.values(gemini.mcpServers).flatMap((entry) => entry.includeTools ?? []),
        ...geminiPolicy.rule.filter((rule) => rule.decision === 'allow' && rule.toolName).map((rule) => rule.toolName!),
        ...Object.values(codex.mcp_servers ?? {}).flatMap((entry) =>
          (entry.enabled_tools ?? []).filter((name) => entry.tools?.[name]?.approval_mode !== 'prompt'),
        ),
      ]);
      expect(checked.filter((name) => unasked.has(name))).toEqual([]);
    },
  );

  it('the Intercept complements refuse every value the deny patterns refuse (exhaustive over short strings)', () => {
    const pairs: Array<[string, string, string[]]> = [
      [CONDITION_PATTERNS.path.value, MUST_MATCH.path!, ['a', '.', '/', '\\', '~', ' ', ':', '\t', '\uff0e', '\u200c']],
      [CONDITION_PATTERNS.rootedPath.value, MUST_MATCH.rootedPath!, ['a', '.', '/', '\\', ' ', ':', '\n', '\u2024']],
      [CONDITION_PATTERNS.command.value, MUST_MATCH.command!, ['a', ';', '|', '$', '\r', ' ', '\u0000']],
    ];
    const leaks: string[] = [];
    for (const [deny, mustMatch, alphabet] of pairs) {
      let layer = [''];
      for (let length = 1; length <= 5; length++) {
        layer = layer.flatMap((prefix) => alphabet.map((ch) => prefix + ch));
        for (const text of layer) if (goMatch(deny, text) && goMatch(mustMatch, text)) leaks.push(JSON.stringify(text));
      }
    }
    expect(leaks.slice(0, 20)).toEqual([]);
  });

  it('the Cedar path and command globs refuse every value the evaluator refuses (exhaustive over short strings)', () => {
    const checks: Array<[string, string, string, string[]]> = [
      ['docx-mcp', 'open_document', 'path', ['a', '.', '/', '\\', '~', ' ', ':', '\t', '\uff0e']],
      ['synthetic', 'run_command', 'command', ['a', ';', '|', '$', '\r', ' ', '&']],
    ];
    const leaks: string[] = [];
    for (const [server, tool, argument, alphabet] of checks) {
      // The tool's rule alone: the globs under test, with nothing else that could deny.
      const policy: Policy = { version: '1', default: 'deny', tools: { [tool]: bundleFor(server).tools![tool]! } };
      let layer = [''];
      for (let length = 1; length <= 3; length++) {
        layer = layer.flatMap((prefix) => alphabet.map((ch) => prefix + ch));
        for (const text of layer) {
          const args = { [argument]: text };
          if (
            evaluate(policy as EvalPolicy, { tool, args }).decision !== 'allow' &&
            cedarDecides(cedarPolicies(server, policy, `fuzz ${tool}`), tool, args) === 'allow'
          )
            leaks.push(`${tool} ${JSON.stringify(text)}`);
        }
      }
    }
    expect(leaks.slice(0, 20)).toEqual([]);
  });

  it('the Intercept host complement refuses every internal or wildcard-DNS name the policy refuses', () => {
    const labels = [
      'a',
      'local',
      'localhost',
      'nip',
      'io',
      'lacolhost',
      'com',
      'home',
      'arpa',
      'me',
      'lvh',
      'st',
      'localho',
      'LOCAL',
      'x-1',
      'internal',
    ];
    const leaks: string[] = [];
    let hosts = labels;
    for (let depth = 2; depth <= 4; depth++) {
      hosts = hosts.flatMap((host) => labels.map((label) => `${host}.${label}`));
      for (const host of hosts) {
        for (const url of [`https://${host}/`, `https://${host}:443`, `https://${host}`]) {
          const shapeOk = goMatch(CONDITION_PATTERNS.url.value, url);
          if (shapeOk && goMatch(CONDITION_PATTERNS.internalHost.value, url) && goMatch(MUST_MATCH.internalHost!, url)) leaks.push(url);
        }
      }
    }
    expect(leaks.slice(0, 20)).toEqual([]);
  });

  it('a hand-written backtracking pattern runs in linear time', () => {
    const policy = { default: 'deny', tools: { t: { deny_if: [{ path: 'args.x', op: 'regex', value: '^(a+)+$' }] } } };
    const started = performance.now();
    expect(evaluate(policy, { tool: 't', args: { x: `${'a'.repeat(5000)}!` } }).decision).toBe('allow');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a list of any length is decided, not thrown on: a huge one is denied', () => {
    const policy = bundleFor('tachibot-mcp') as EvalPolicy;
    for (const length of [150_000, 2_000_000]) {
      const verdict = evaluate(policy, { tool: 'gemini_query', args: { prompt: 'p', files: Array<string>(length).fill('src/a.ts') } });
      expect(verdict.decision).toBe('deny');
      expect(verdict.reason).toMatch(/more than/);
    }
    expect(evaluate(policy, { tool: 'gemini_query', args: { prompt: 'p', files: Array<string>(50).fill('src/a.ts') } }).decision).toBe(
      'allow',
    );
  });

  it('a 1 MB argument is decided in well under a second per check', () => {
    const policy = bundleFor('camoufox-mcp');
    const started = performance.now();
    expect(
      evaluate(policy as EvalPolicy, { tool: 'evaluate_mainworld', args: { script: `${'x'.repeat(1_000_000)};document.cookie` } }).decision,
    ).toBe('deny');
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
