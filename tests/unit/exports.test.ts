import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { readFileSync, readdirSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { classifyTool, type ToolDefinition } from '../../src/lib/classification/classify.ts';
import { evaluate } from '../../src/lib/policy/evaluate.ts';
import { countersAfter, policyExamples, runExample } from '../../src/lib/policy/examples.ts';
import { EXPORT_FORMATS, exportAll } from '../../src/lib/policy/exports/index.ts';
import { recommendedPolicy, serverBundle, type PolicyTool } from '../../src/lib/policy/recommend.ts';
import { policyToolsOf } from '../../src/lib/scan/summary.ts';
import { policySchema, type Policy } from '../../src/schemas/policy.ts';
import { interceptDecides, readIntercept } from '../helpers/intercept-engine.ts';
import { cedarDecides } from '../helpers/toolhive-cedar.ts';

interface ServerCase {
  slug: string;
  tools: Array<PolicyTool & { inputSchema: ToolDefinition['inputSchema'] }>;
}

const servers: ServerCase[] = readdirSync(new URL('../../content/servers/', import.meta.url))
  .filter((name) => name.endsWith('.json'))
  .map((name) => {
    const file = JSON.parse(readFileSync(new URL(`../../content/servers/${name}`, import.meta.url), 'utf8'));
    return {
      slug: file.server.slug,
      // As the site's server page and `atlas scan` read them: a tool's fail-closed reading included.
      tools: policyToolsOf(file) as ServerCase['tools'],
    };
  });

/** The hostile corpus, classified as the importer would. */
const hostile: ServerCase = (() => {
  const file = JSON.parse(readFileSync(new URL('../fixtures/hostile/hostile.json', import.meta.url), 'utf8'));
  return {
    slug: 'hostile',
    tools: (file.tools as ToolDefinition[]).map((tool) => {
      const { category, risk } = classifyTool(tool);
      return { name: tool.name, category, risk, inputSchema: tool.inputSchema };
    }),
  };
})();

/** Each server's bundle and exports, computed once: every test below reads them and none changes them. */
const bundles = new Map<ServerCase, Policy>();
const bundleOf = (server: ServerCase) => {
  let bundle = bundles.get(server);
  if (!bundle) bundles.set(server, (bundle = serverBundle(server.tools)));
  return bundle;
};
const exportsByServer = new Map<ServerCase, ReturnType<typeof exportAll>>();
const exportsOf = (server: ServerCase) => {
  let exported = exportsByServer.get(server);
  if (!exported) {
    exported = exportAll(
      server.slug,
      bundleOf(server),
      server.tools.map((t) => t.name),
    );
    exportsByServer.set(server, exported);
  }
  return exported;
};
const textOf = (server: ServerCase, id: string) => exportsOf(server).find((e) => e.id === id)!.text;

const NOW = Date.UTC(2026, 0, 1, 12, 0, 30);

describe.each([...servers, hostile])('exports of $slug', (server) => {
  const exported = exportsOf(server);
  const bundle = bundleOf(server);

  it('writes all seven formats, and each parses with its reference parser', () => {
    expect(exported.map((e) => e.id)).toEqual([
      'policy-json',
      'intercept-yaml',
      'claude-code',
      'gemini-cli',
      'gemini-policy',
      'codex',
      'cedar',
    ]);
    expect(policySchema.safeParse(JSON.parse(textOf(server, 'policy-json'))).success).toBe(true);
    const yaml = parseYaml(textOf(server, 'intercept-yaml'));
    expect(parseYaml(textOf(server, 'intercept-yaml'), { version: '1.1' })).toEqual(yaml);
    expect(yaml).toMatchObject({ version: '1', default: 'deny' });
    expect(JSON.parse(textOf(server, 'claude-code'))).toHaveProperty('permissions');
    expect(Object.keys(JSON.parse(textOf(server, 'gemini-cli')).mcpServers)).toEqual([server.slug]);
    expect(Object.keys(parseToml(textOf(server, 'codex')).mcp_servers as object)).toEqual([server.slug]);
    expect(
      (parseToml(textOf(server, 'gemini-policy')).rule as Array<{ mcpName: string }>).every((rule) => rule.mcpName === server.slug),
    ).toBe(true);
    const config = JSON.parse(textOf(server, 'cedar'));
    expect(config).toMatchObject({ version: '1.0', type: 'cedarv1' });
    expect(cedar.checkParsePolicySet({ staticPolicies: config.cedar.policies.join('\n') })).toEqual({ type: 'success' });
  });

  it('Intercept: the examples decide as in the policy model, or deny where a loss is marked; never allow more', () => {
    const document = readIntercept(textOf(server, 'intercept-yaml'));
    const { lossy = [] } = exported.find((e) => e.id === 'intercept-yaml')!;
    for (const tool of server.tools) {
      if (tool.name === '*') continue;
      const policy = recommendedPolicy(tool);
      const blocked = document.tools?.[tool.name]?.rules?.some((r: { action?: string }) => r.action === 'deny');
      // A tool the policy asks a person about is denied outright: Intercept cannot ask.
      const asked = bundle.tools?.[tool.name]?.ask === true;
      expect(lossy.includes(tool.name), tool.name).toBe(Boolean(blocked) || asked);
      for (const example of policyExamples(tool, policy)) {
        if (example.prior > 0) continue;
        const model = runExample(bundle, tool.name, example, NOW).decision === 'allow' ? 'allow' : 'deny';
        const intercept = interceptDecides(document, tool.name, example.args);
        if (model === 'deny') expect(intercept, `${tool.name}: ${example.title}`).toBe('deny');
        if (blocked || asked) expect(intercept, `${tool.name}: ${example.title}`).toBe('deny');
      }
    }
  });

  it('Cedar: the real engine, given arguments as ToolHive shapes them, never allows what the evaluator denies', () => {
    const { policies } = JSON.parse(textOf(server, 'cedar')).cedar;
    for (const tool of server.tools) {
      for (const example of policyExamples(tool, recommendedPolicy(tool))) {
        if (example.prior > 0) continue;
        const predicted = evaluate(
          bundle,
          { tool: tool.name, args: example.args },
          { counters: countersAfter(bundle, tool.name, 0, NOW), now: NOW },
        );
        if (predicted.decision !== 'allow')
          expect(cedarDecides(policies, tool.name, example.args), `${tool.name}: ${example.title}`).toBe('deny');
      }
    }
    expect(cedarDecides(policies, 'a_tool_no_policy_names', {})).toBe('deny');
  });
});

describe('hostile tool names in every export', () => {
  const bundle = bundleOf(hostile);
  const allowed = Object.keys(bundle.tools ?? {});
  const hidden = bundle.hide ?? [];

  it('the corpus has names of every dangerous shape, some allowed and some hidden', () => {
    for (const name of [
      '*',
      'star*',
      'run(rm -rf /)',
      '[bracket]',
      'key = "value"',
      'yes',
      'null',
      'hash # comment',
      'colon: value',
      'back\\slash',
    ]) {
      expect(allowed, name).toContain(name);
    }
    expect(hidden.some((name) => name.includes('permit'))).toBe(true);
    expect(allowed.some((name) => name.includes('\n'))).toBe(true);
  });

  it('Intercept: every name stays one quoted key or hide entry; "*" never becomes a tool rule', () => {
    const document = parseYaml(textOf(hostile, 'intercept-yaml'));
    const keys = Object.keys(document.tools);
    expect(keys.filter((k) => k !== '*').sort()).toEqual(allowed.filter((n) => n !== '*').sort());
    expect(document.tools['*'].rules.every((rule: { rate_limit?: string }) => rule.rate_limit !== undefined)).toBe(true);
    expect([...document.hide].sort()).toEqual([...hidden].sort());
    expect(textOf(hostile, 'intercept-yaml')).toContain('A tool named "*" cannot be named in Intercept');
  });

  it('Claude Code: a name with * or parentheses reaches no rule; the whole server is denied instead', () => {
    const { permissions } = JSON.parse(textOf(hostile, 'claude-code'));
    expect(permissions).toEqual({ deny: ['mcp__hostile'] });
    const plainOnly: ServerCase = { slug: 'plain', tools: hostile.tools.filter((t) => /^[A-Za-z0-9_-]+$/.test(t.name)) };
    const plain = JSON.parse(textOf(plainOnly, 'claude-code')).permissions;
    for (const rule of [...plain.allow, ...plain.ask, ...plain.deny]) expect(rule).toMatch(/^mcp__plain__[A-Za-z0-9_-]+$/);
    expect(plain.ask).toContain('mcp__plain__plain_reader');
  });

  it('Gemini CLI and Codex: only plain names reach the lists, and an allow list is never empty', () => {
    const gemini = JSON.parse(textOf(hostile, 'gemini-cli')).mcpServers.hostile;
    const codex = (parseToml(textOf(hostile, 'codex')).mcp_servers as Record<string, Record<string, string[]>>)['hostile']!;
    for (const list of [gemini.includeTools ?? [], gemini.excludeTools, codex['enabled_tools'] ?? [], codex['disabled_tools']!]) {
      for (const name of list) expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    // An empty allow list would let every tool through: when nothing is allowed, the allow list
    // is left out and every plainly named tool is on the deny list instead.
    const plain = hostile.tools.map((t) => t.name).filter((name) => /^[A-Za-z0-9_-]+$/.test(name));
    for (const [allow, deny] of [
      [gemini.includeTools, gemini.excludeTools],
      [codex['enabled_tools'], codex['disabled_tools']],
    ] as Array<[string[] | undefined, string[]]>) {
      if (allow === undefined) expect([...deny].sort()).toEqual([...plain].sort());
      else {
        expect(allow.length).toBeGreaterThan(0);
        expect([...allow, ...deny].sort()).toEqual([...plain].sort());
      }
    }
  });

  it('Cedar: each name is one escaped string; an injected permit grants nothing', () => {
    const { policies } = JSON.parse(textOf(hostile, 'cedar')).cedar;
    expect(cedar.checkParsePolicySet({ staticPolicies: policies.join('\n') })).toEqual({ type: 'success' });
    for (const name of hidden) expect(cedarDecides(policies, name, { path: 'reports/q3.csv' }), name).toBe('deny');
    const withPath = new Set(
      hostile.tools
        .filter((t) => Object.keys((t.inputSchema as { properties?: object }).properties ?? {}).includes('path'))
        .map((t) => t.name),
    );
    for (const name of allowed.filter((n) => withPath.has(n))) {
      // Cedar cannot keep the case-blind path checks, so any call that sends a path is refused.
      expect(cedarDecides(policies, name, { path: 'reports/q3.csv' }), name).toBe('deny');
      expect(cedarDecides(policies, name, { path: '../../.ssh/id_rsa' }), name).toBe('deny');
      expect(cedarDecides(policies, name, {}), name).toBe('allow');
    }
    expect(cedarDecides(policies, 'anything_else', {})).toBe('deny');
  });

  it('writes names in comments only quoted, escaped and printable', () => {
    for (const format of EXPORT_FORMATS) {
      const text = textOf(hostile, format.id);
      for (const line of text.split('\n').filter((l) => /^\s*#/.test(l))) expect(line, format.id).toMatch(/^[\x20-\x7e]*$/);
    }
  });
});

describe('a per-tool export', () => {
  it('covers exactly that tool', () => {
    const tool = servers.flatMap((s) => s.tools).find((t) => t.name === 'save_session')!;
    const policy: Policy = recommendedPolicy(tool);
    for (const format of exportAll('camoufox-mcp', policy, [tool.name])) {
      // Named in the text, or (a tool the format denies outright) in the notes that say why.
      expect([format.text, ...format.notes].join('\n'), format.id).toContain('save_session');
      expect(format.text, format.id).not.toContain('evaluate_mainworld');
    }
  });
});
