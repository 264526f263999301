import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { CONDITION_PATTERNS } from '../../src/lib/policy/patterns.ts';
import { evaluate } from '../../src/lib/policy/evaluate.ts';
import {
  checkCaveats,
  rootAdvice,
  describePolicyFor,
  policyAlternatives,
  recommendedPolicy,
  serverBundle,
  type PolicyTool,
} from '../../src/lib/policy/recommend.ts';
import { policyJsonSchema, policySchema } from '../../src/schemas/policy.ts';
import type { ServerFile } from '../../src/schemas/server.ts';

const shipped: ServerFile[] = readdirSync(new URL('../../content/servers/', import.meta.url))
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(`../../content/servers/${name}`, import.meta.url), 'utf8')));

const asPolicyTool = (tool: ServerFile['tools'][number]): PolicyTool => ({
  name: tool.name,
  category: tool.overrides?.category ?? tool.classification.category,
  risk: tool.overrides?.risk ?? tool.classification.risk,
  inputSchema: tool.inputSchema,
});

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateWithJsonSchema = ajv.compile(policyJsonSchema());

describe('recommended policies', () => {
  it('gives export_session_script the rate limit of the brief, plus the check that keeps its output path in place', () => {
    const docx = shipped.find((s) => s.server.slug === 'docx-mcp')!;
    const tool = docx.tools.find((t) => t.name === 'export_session_script')!;
    expect(recommendedPolicy(asPolicyTool(tool))).toEqual({
      version: '1',
      default: 'deny',
      tools: {
        export_session_script: {
          deny_if: [
            ...(['path', 'shortName', 'windowsDevice', 'systemFolder'] as const).map((id) => ({
              path: 'args.output_path',
              op: 'regex',
              value: CONDITION_PATTERNS[id].value,
            })),
            // Only the names the schema declares: PATH or __proto__ would carry a path no check tested.
            { path: 'args', op: 'has_key_not_in', value: Object.keys((tool.inputSchema as { properties: object }).properties) },
          ],
          limits: [{ counter: 'export_session_script_rate', window: 'minute', max: 30, scope: 'grant' }],
        },
      },
    });
  });

  it('hides destructive and financial tools and anything critical', () => {
    const base = { inputSchema: { type: 'object' } };
    expect(recommendedPolicy({ ...base, name: 'drop_db', category: 'destructive', risk: 'high' }).hide).toEqual(['drop_db']);
    expect(recommendedPolicy({ ...base, name: 'pay', category: 'financial', risk: 'high' }).hide).toEqual(['pay']);
    expect(recommendedPolicy({ ...base, name: 'sh', category: 'execute', risk: 'critical' }).hide).toEqual(['sh']);
  });

  it('constrains dangerous arguments of execute tools', () => {
    const policy = recommendedPolicy({
      name: 'run_query',
      category: 'execute',
      risk: 'high',
      inputSchema: { type: 'object', properties: { sql: { type: 'string' } } },
    });
    expect(policy.tools?.['run_query']?.deny_if?.[0]).toMatchObject({ path: 'args.sql', op: 'regex' });
    expect(describePolicyFor(policy, 'run_query').join(' ')).toContain('statements and functions that write, run programs or read files');
  });

  it('quotes an argument name with odd characters rather than dropping its check', () => {
    const policy = recommendedPolicy({
      name: 'x',
      category: 'execute',
      risk: 'medium',
      inputSchema: { type: 'object', properties: { 'a b/../c command': { type: 'string' } } },
    });
    expect(policy.tools?.['x']?.deny_if).toEqual([
      { path: 'args["a b/../c command"]', op: 'regex', value: CONDITION_PATTERNS.command.value },
      { path: 'args', op: 'has_key_not_in', value: ['a b/../c command'] },
    ]);
  });

  it('says on the page which root to set for a tool that asks for absolute paths, and what each check cannot stop', () => {
    const docx = shipped.find((s) => s.server.slug === 'docx-mcp')!;
    const open = docx.tools.find((t) => t.name === 'open_document')!;
    expect(rootAdvice(open, 'docx-mcp')).toContain('npx atlas policy --server docx-mcp --root');
    expect(rootAdvice({ inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }, 'x')).toBeUndefined();
    const link = docx.tools.find((t) => t.name === 'add_hyperlink')!;
    const caveats = checkCaveats(recommendedPolicy(asPolicyTool(link)), 'add_hyperlink').join(' ');
    expect(caveats).toContain('The URL check cannot stop a public DNS name that resolves to a private address');
  });

  it('takes the root form when a root is set: absolute paths under it, same segment rules', () => {
    const tool = {
      name: 'read',
      category: 'read' as const,
      risk: 'low' as const,
      inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
    };
    const policy = recommendedPolicy(tool, { root: '/srv/work' });
    const decide = (path: string) => evaluate(policy, { tool: 'read', args: { path } }).decision;
    expect(decide('/srv/work/reports/q3.csv')).toBe('allow');
    for (const bad of [
      '/srv/work',
      '/srv/work/',
      '/srv/work-evil/x',
      '/srv/work/../etc/shadow',
      '/srv/work/.env',
      'reports/q3.csv',
      '/SRV/WORK/x',
      '/srv/work//x',
    ]) {
      expect(decide(bad), bad).toBe('deny');
    }
  });

  it('validates every policy the shipped catalogue shows, with zod and with the published JSON Schema', () => {
    let checked = 0;
    for (const server of shipped) {
      const tools = server.tools.map(asPolicyTool);
      const policies = [
        serverBundle(tools),
        ...tools.flatMap((t) => [recommendedPolicy(t), ...policyAlternatives(t).map((a) => a.policy)]),
      ];
      for (const policy of policies) {
        const parsed = policySchema.safeParse(policy);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        expect(validateWithJsonSchema(JSON.parse(JSON.stringify(policy))), JSON.stringify(validateWithJsonSchema.errors)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(394 * 2);
  });
});

describe('policy schema', () => {
  it('rejects what a gateway could not evaluate, with messages that say why', () => {
    const result = policySchema.safeParse({
      version: '2',
      default: 'maybe',
      hide: ['a'],
      tools: {
        a: { limits: [{ counter: 'c', window: 'week', max: 0, scope: 'grant' }] },
        b: { deny_if: [{ path: 'arguments.x', op: 'regex', value: '(' }] },
      },
    });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toMatchInlineSnapshot(`
      [
        "version: Invalid input: expected "1"",
        "default: Invalid option: expected one of "allow"|"deny"",
        "tools.a.limits.0.window: Invalid option: expected one of "minute"|"hour"|"day"",
        "tools.a.limits.0.max: Too small: expected number to be >0",
        "tools.b.deny_if.0.path: must be a path like args.field, args["odd.name"] or args.files[*]: must start with "args"",
        "tools.b.deny_if.0.value: must be a regular expression RE2 can run (error parsing regexp: missing closing ): \`(\`)",
      ]
    `);
  });

  it('rejects a tool that is both hidden and given a rule', () => {
    const result = policySchema.safeParse({ version: '1', default: 'deny', hide: ['a'], tools: { a: {} } });
    expect(result.error?.issues[0]?.message).toBe('tool "a" is both hidden and given a rule; a hidden tool is always denied');
  });

  it('publishes a JSON Schema that rejects the same mistakes', () => {
    expect(
      validateWithJsonSchema({
        version: '1',
        default: 'deny',
        tools: { a: { limits: [{ counter: 'c', window: 'week', max: 1, scope: 'grant' }] } },
      }),
    ).toBe(false);
    expect(validateWithJsonSchema({ version: '1', default: 'allow' })).toBe(true);
  });
});
