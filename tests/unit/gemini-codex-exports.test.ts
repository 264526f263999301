import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { classifyTool } from '../../src/lib/classification/classify.ts';
import { denyPattern } from '../../src/lib/policy/exports/gemini-policy.ts';
import { exportFor } from '../../src/lib/policy/exports/index.ts';
import { PLAIN_TOOL_NAME } from '../../src/lib/policy/exports/shared.ts';
import { serverBundle } from '../../src/lib/policy/recommend.ts';
import type { Policy } from '../../src/schemas/policy.ts';
import { bundleOf, corpusCalls, modelDecides, shippedServers, syntheticServer } from '../fixtures/attacks/harness.ts';

/**
 * Gemini CLI's policy TOML and Codex's approval_mode, decided the way each client decides:
 * Gemini tests each rule's argsPattern (a JavaScript RegExp, no flags) against the arguments
 * serialised with every object's keys sorted, and the highest-priority matching rule wins;
 * Codex runs an enabled tool, prompts when its approval_mode says so, and refuses the rest.
 */

/** The arguments as Gemini CLI serialises them for argsPattern: keys sorted at every level, JSON.stringify for keys and leaves. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : sortedJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const pairs = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${sortedJson(record[key])}`);
    return `{${pairs.join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

type GeminiRule = { mcpName?: string; toolName?: string; argsPattern?: string; decision: string; priority: number };

function geminiDecides(rules: GeminiRule[], server: string, tool: string, args: Record<string, unknown>): string {
  const text = sortedJson(args);
  const matching = rules.filter(
    (rule) =>
      (rule.mcpName === undefined || rule.mcpName === server) &&
      (rule.toolName === undefined || rule.toolName === tool) &&
      (rule.argsPattern === undefined || new RegExp(rule.argsPattern).test(text)),
  );
  matching.sort((a, b) => b.priority - a.priority);
  // Gemini's own default for an MCP tool no rule matches is to ask.
  return matching[0]?.decision ?? 'ask_user';
}

function geminiRules(server: string, policy: Policy, tools: string[]): GeminiRule[] {
  const document = parseToml(exportFor('gemini-policy', { server, policy, tools }).text) as { rule: GeminiRule[] };
  for (const rule of document.rule) {
    // What Gemini's loader requires of every rule.
    expect(['allow', 'deny', 'ask_user']).toContain(rule.decision);
    expect(Number.isInteger(rule.priority) && rule.priority >= 0 && rule.priority <= 999).toBe(true);
    // Compiling it is checked where it is used (geminiDecides), with what it must match.
    if (rule.argsPattern !== undefined) expect(rule.argsPattern.length).toBeLessThanOrEqual(2048);
  }
  return document.rule;
}

function codexDecides(server: string, policy: Policy, tools: string[], tool: string): 'allow' | 'ask' | 'deny' {
  const table = (parseToml(exportFor('codex', { server, policy, tools }).text).mcp_servers as Record<string, any>)[server];
  const enabled: string[] | undefined = table.enabled_tools;
  if (table.disabled_tools?.includes(tool) || (enabled && !enabled.includes(tool)) || !enabled) return 'deny';
  return table.tools?.[tool]?.approval_mode === 'prompt' ? 'ask' : 'allow';
}

const servers = [...shippedServers(), syntheticServer()];

describe('no call the policy denies is allowed by the Gemini CLI policy or Codex', () => {
  for (const server of servers) {
    it(`${server.slug}: every attack in the corpus is denied or put to a person`, () => {
      const bundle = bundleOf(server);
      const names = server.tools.map((t) => t.name);
      const rules = geminiRules(server.slug, bundle, names);
      const leaks: string[] = [];
      let attacks = 0;
      // Each argument check the export writes (a deny rule with an argsPattern): the calls it refused.
      const checks = rules
        .filter((rule) => rule.argsPattern !== undefined && rule.decision === 'deny')
        .map((rule) => ({ rule, pattern: new RegExp(rule.argsPattern!), attacks: 0, ordinary: [] as string[] }));
      for (const call of corpusCalls(server, bundle)) {
        const model = modelDecides(bundle, call);
        const gemini = geminiDecides(rules, server.slug, call.tool, call.args);
        const codex = codexDecides(server.slug, bundle, names, call.tool);
        const matched = checks.filter(({ rule, pattern }) => rule.toolName === call.tool && pattern.test(sortedJson(call.args)));
        for (const check of matched) {
          if (model === 'allow') check.ordinary.push(`${call.tool} ${call.family}: ${JSON.stringify(call.args)}`);
          else check.attacks++;
        }
        if (model !== 'allow') {
          attacks++;
          if (gemini === 'allow' || codex === 'allow') leaks.push(`${call.tool} ${call.family}: gemini ${gemini}, codex ${codex}`);
          // A matched check outranks the tool's allow or ask rule: the call is refused, not put to a person.
          if (matched.length > 0 && gemini !== 'deny') leaks.push(`${call.tool} ${call.family}: matched a check, gemini ${gemini}`);
        }
      }
      expect(leaks).toEqual([]);
      expect(attacks).toBeGreaterThan(0);
      // No check is dead: each refuses some attack on its tool, and none refuses a call the policy allows.
      for (const check of checks) {
        expect(check.attacks, `${check.rule.toolName}: ${check.rule.argsPattern}`).toBeGreaterThan(0);
        expect(check.ordinary, `${check.rule.toolName}: ${check.rule.argsPattern}`).toEqual([]);
      }
    });
  }

  it('a tool the policy allows without checks runs without asking; hidden tools and tools added later are denied', () => {
    const server = shippedServers()[0]!;
    const bundle = bundleOf(server);
    const names = server.tools.map((t) => t.name);
    const rules = geminiRules(server.slug, bundle, names);
    const plain = names.find((name) => bundle.tools?.[name] && !bundle.tools[name]!.require && !bundle.tools[name]!.deny_if)!;
    expect(geminiDecides(rules, server.slug, plain, {})).toBe('allow');
    expect(codexDecides(server.slug, bundle, names, plain)).toBe('allow');
    expect(geminiDecides(rules, server.slug, 'a_tool_added_later', {})).toBe('deny');
    for (const hidden of bundle.hide ?? []) expect(geminiDecides(rules, server.slug, hidden, {})).toBe('deny');
  });
});

describe('argsPattern over the JSON Gemini CLI writes: key order and escaping', () => {
  const policy: Policy = {
    version: '1',
    default: 'deny',
    tools: {
      set_mode: {
        deny_if: [{ path: 'args.mode', op: 'in', value: ['a"b\\c\n', 'rm -rf /', 7] }],
        require: [{ path: 'args.target', op: 'exists', value: true }],
      },
      free: {},
    },
  };
  const rules = geminiRules('acme', policy, ['set_mode', 'free']);
  const decide = (args: Record<string, unknown>) => geminiDecides(rules, 'acme', 'set_mode', args);

  it('denies a listed value whatever the other keys, their order, and the quotes, backslashes and newlines in it', () => {
    expect(decide({ zeta: 1, mode: 'a"b\\c\n', alpha: [{ mode: 'x' }], target: 't' })).toBe('deny');
    expect(decide({ target: 't', mode: 7 })).toBe('deny');
    expect(decide({ mode: 'rm -rf /', target: { nested: true } })).toBe('deny');
  });

  it('a value that only looks like one, or the key text inside another string, is not taken for it', () => {
    expect(decide({ mode: 'a"b\\c', target: 't' })).toBe('ask_user');
    expect(decide({ mode: 70, target: 't' })).toBe('ask_user');
    expect(decide({ note: '"mode":"rm -rf /"', target: 't' })).toBe('ask_user');
    expect(decide({ note: '{"mode":7}', target: 't' })).toBe('ask_user');
  });

  it('a required argument left out is denied; sent, the call goes to a person', () => {
    expect(decide({ mode: 'ok' })).toBe('deny');
    expect(decide({ mode: 'ok', target: '' })).toBe('ask_user');
    expect(geminiDecides(rules, 'acme', 'free', { anything: 1 })).toBe('allow');
  });

  it('checks a regular expression over JSON cannot decide are left to the person, not dropped', () => {
    expect(denyPattern({ path: 'args.path', op: 'regex', value: '\\.\\.' }, 'deny_if')).toBeUndefined();
    expect(denyPattern({ path: 'args.files[*]', op: 'eq', value: 'x' }, 'deny_if')).toBeUndefined();
    const withRegex: Policy = {
      version: '1',
      default: 'deny',
      tools: { read: { deny_if: [{ path: 'args.path', op: 'regex', value: '\\.\\.' }] } },
    };
    const result = exportFor('gemini-policy', { server: 'acme', policy: withRegex, tools: ['read'] });
    expect(geminiDecides(parseToml(result.text).rule as GeminiRule[], 'acme', 'read', { path: '../x' })).toBe('ask_user');
    expect(result.notes.join(' ')).toMatch(/left to the person Gemini asks/);
  });
});

describe('hostile tool names', () => {
  const hostile = JSON.parse(readFileSync(new URL('../fixtures/hostile/hostile.json', import.meta.url), 'utf8'));
  const tools = (hostile.tools as Array<{ name: string; description?: string; inputSchema: { type: 'object' } }>).map((tool) => ({
    name: tool.name,
    ...classifyTool(tool as never),
    inputSchema: tool.inputSchema,
  }));
  const policy = serverBundle(tools);
  const names = tools.map((t) => t.name);

  it('Gemini: TOML a parser reads back; only plain names reach a rule, the rest meet the server-wide deny', () => {
    const rules = geminiRules('hostile', policy, names);
    expect(rules[0]).toEqual({ mcpName: 'hostile', decision: 'deny', priority: 100 });
    for (const rule of rules) if (rule.toolName !== undefined) expect(rule.toolName).toMatch(PLAIN_TOOL_NAME);
    for (const name of ['*', 'star*', 'evil"\nallow: ["*"]', 'key = "value"'])
      expect(geminiDecides(rules, 'hostile', name, {})).toBe('deny');
    const text = exportFor('gemini-policy', { server: 'hostile', policy, tools: names }).text;
    for (const line of text.split('\n').filter((l) => l.startsWith('#'))) expect(line).toMatch(/^[\x20-\x7e]*$/);
  });

  it('Codex: tools that need checks are prompted, names a list cannot hold are left out and so denied', () => {
    const table = (parseToml(exportFor('codex', { server: 'hostile', policy, tools: names }).text).mcp_servers as Record<string, any>)[
      'hostile'
    ];
    for (const name of [...(table.enabled_tools ?? []), ...(table.disabled_tools ?? []), ...Object.keys(table.tools ?? {})])
      expect(name).toMatch(PLAIN_TOOL_NAME);
    for (const name of Object.keys(table.tools ?? {})) expect(table.tools[name]).toEqual({ approval_mode: 'prompt' });
    expect(codexDecides('hostile', policy, names, 'evil"\nallow: ["*"]')).toBe('deny');
  });
});
