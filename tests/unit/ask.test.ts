import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { evaluate, newCounters } from '../../src/lib/policy/evaluate.ts';
import { exportFor } from '../../src/lib/policy/exports/index.ts';
import { policySchema, type Policy } from '../../src/schemas/policy.ts';

// One tool a person approves, one that runs freely, one hidden.
const policy: Policy = policySchema.parse({
  version: '1',
  default: 'deny',
  hide: ['wipe'],
  tools: {
    shell: {
      ask: true,
      deny_if: [{ path: 'args.command', op: 'regex', value: String.raw`(^|\s)rm\s` }],
      limits: [{ counter: 'shell', window: 'minute', max: 2, scope: 'grant' }],
    },
    read: {},
  },
});
const input = { server: 'box', policy, tools: ['shell', 'read', 'wipe'] };

describe('the ask rule', () => {
  it('is its own decision, after the checks and limits, and counts against the limit', () => {
    const counters = newCounters();
    const at = { counters, now: Date.UTC(2026, 11, 1, 12, 0, 0) };
    expect(evaluate(policy, { tool: 'shell', args: { command: 'ls' } }, at)).toMatchObject({ decision: 'ask', by: 'ask' });
    expect(evaluate(policy, { tool: 'shell', args: { command: 'rm -rf /' } }, at)).toMatchObject({ decision: 'deny', by: 'deny_if' });
    expect(evaluate(policy, { tool: 'shell', args: { command: 'pwd' } }, at).decision).toBe('ask');
    expect(evaluate(policy, { tool: 'shell', args: { command: 'id' } }, at)).toMatchObject({ decision: 'deny', by: 'limit' });
    expect(evaluate(policy, { tool: 'read', args: {} }).decision).toBe('allow');
  });

  it('accepts only `ask: true` in a policy', () => {
    expect(policySchema.safeParse({ version: '1', default: 'deny', tools: { a: { ask: false } } }).success).toBe(false);
    expect(policySchema.safeParse({ version: '1', default: 'deny', tools: { a: { ask: 'yes' } } }).success).toBe(false);
  });

  it("maps to each client's own ask: Claude Code ask, Gemini CLI ask_user, Codex approval_mode prompt", () => {
    const claude = JSON.parse(exportFor('claude-code', input).text);
    expect(claude.permissions.ask).toContain('mcp__box__shell');
    expect(claude.permissions.allow).not.toContain('mcp__box__shell');
    const gemini = parseToml(exportFor('gemini-policy', input).text) as { rule: Array<{ toolName?: string; decision: string }> };
    expect(gemini.rule.filter((r) => r.toolName === 'shell').map((r) => r.decision)).toContain('ask_user');
    expect(gemini.rule.filter((r) => r.toolName === 'shell').map((r) => r.decision)).not.toContain('allow');
    const codex = parseToml(exportFor('codex', input).text) as {
      mcp_servers: { box: { tools?: Record<string, { approval_mode?: string }> } };
    };
    expect(codex.mcp_servers.box.tools?.['shell']?.approval_mode).toBe('prompt');
    expect(JSON.parse(exportFor('policy-json', input).text).tools.shell.ask).toBe(true);
  });

  it('is denied by every format that cannot ask, and the notes say so', () => {
    for (const id of ['intercept-yaml', 'gemini-cli', 'cedar'] as const) {
      const result = exportFor(id, input);
      expect(result.notes[0], id).toMatch(/cannot ask a person before a call: the tool whose rule asks is denied here/);
      expect(result.lossy, id).toContain('shell');
    }
    const gemini = JSON.parse(exportFor('gemini-cli', input).text);
    expect(JSON.stringify(gemini)).not.toMatch(/"includeTools":\[[^\]]*"shell"/);
  });
});
