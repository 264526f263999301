import { describe, expect, it } from 'vitest';
import { evaluate, newCounters, type EvalPolicy } from '../../src/lib/policy/evaluate.ts';

const policy = (
  rule: EvalPolicy['tools'] extends infer T ? (T extends Record<string, infer R> ? R : never) : never,
  extra: Partial<EvalPolicy> = {},
): EvalPolicy => ({
  default: 'deny',
  tools: { t: rule },
  ...extra,
});
const decide = (p: EvalPolicy, args: unknown, tool = 't') => evaluate(p, { tool, args });

describe('evaluate: what decides first', () => {
  it('hides a hidden tool before anything else, and "*" hides what is not listed', () => {
    expect(decide({ default: 'allow', hide: ['t'], tools: { t: {} } }, {})).toMatchObject({ decision: 'hidden', by: 'hide' });
    expect(decide({ default: 'allow', hide: ['*'], tools: { t: {} } }, {}, 'other')).toMatchObject({ decision: 'hidden' });
    expect(decide({ default: 'allow', hide: ['*'], tools: { t: {} } }, {})).toMatchObject({ decision: 'allow' });
  });

  it('denies an unlisted tool under default deny, before its limits, and allows it under default allow', () => {
    expect(decide({ default: 'deny', tools: {} }, {}, 'x')).toMatchObject({ decision: 'deny', by: 'default' });
    expect(decide({ default: 'allow' }, {}, 'x')).toMatchObject({ decision: 'allow', by: 'default' });
  });

  it('allows a listed tool with an empty rule', () => {
    expect(decide(policy({}), {})).toMatchObject({ decision: 'allow', by: 'rule' });
  });

  it('refuses arguments that are not an object', () => {
    expect(decide(policy({}), ['a'])).toMatchObject({ decision: 'deny' });
  });
});

describe('evaluate: every operator', () => {
  const cases: Array<[op: string, value: unknown, arg: unknown, holds: boolean]> = [
    ['eq', 'main', 'main', true],
    ['eq', 'main', 'dev', false],
    ['eq', 1, '1', false],
    ['neq', 'draft', 'main', true],
    ['neq', 'draft', 'draft', false],
    ['in', ['usd', 'eur'], 'usd', true],
    ['in', ['usd', 'eur'], 'gbp', false],
    ['not_in', ['admin'], 'user', true],
    ['not_in', ['admin'], 'admin', false],
    ['lt', 100, 99, true],
    ['lt', 100, 100, false],
    ['lte', 100, 100, true],
    ['lte', 100, 101, false],
    ['gt', 0, 1, true],
    ['gt', 0, 0, false],
    ['gte', 1, 1, true],
    ['gte', 1, 0, false],
    ['regex', '^feat/', 'feat/x', true],
    ['regex', '^feat/', 'fix/x', false],
    ['regex', '^4\\d$', 42, true],
    ['contains', 'test', 'a test run', true],
    ['contains', 'test', 'prod', false],
    ['contains', 'x', ['x', 'y'], true],
    ['contains', 'z', ['x', 'y'], false],
    ['exists', true, 'anything', true],
    ['exists', false, 'anything', false],
  ];
  it.each(cases)('%s %j against %j holds: %s', (op, value, arg, holds) => {
    const condition = { path: 'args.a', op, value };
    expect(decide(policy({ require: [condition] }), { a: arg }).decision).toBe(holds ? 'allow' : 'deny');
    expect(decide(policy({ deny_if: [condition] }), { a: arg }).decision).toBe(holds ? 'deny' : 'allow');
  });
});

describe('evaluate: the hard cases', () => {
  const url = { path: 'args.url', op: 'regex', value: '^https?://(localhost|127\\.)' };

  it('fails a require on an argument the call does not send, except exists: false', () => {
    const verdict = decide(policy({ require: [{ path: 'args.url', op: 'regex', value: '^https://' }] }), {});
    expect(verdict).toMatchObject({ decision: 'deny', by: 'require' });
    expect(verdict.reason).toContain('does not send args.url');
    expect(decide(policy({ require: [{ path: 'args.debug', op: 'exists', value: false }] }), {}).decision).toBe('allow');
  });

  it('does not fire a deny_if on an argument the call does not send, but a deny_if on absence does', () => {
    expect(decide(policy({ deny_if: [url] }), {}).decision).toBe('allow');
    expect(decide(policy({ deny_if: [{ path: 'args.id', op: 'exists', value: false }] }), {}).decision).toBe('deny');
  });

  it('cannot be slipped past by a change of type: a list, an object or a number where text is checked', () => {
    for (const value of [['http://localhost/'], { href: 'http://localhost/' }, true, null]) {
      const verdict = decide(policy({ deny_if: [url] }), { url: value });
      expect(verdict.decision, JSON.stringify(value)).toBe('deny');
      expect(verdict.reason).toMatch(/cannot check/);
    }
    expect(decide(policy({ deny_if: [{ path: 'args.amount', op: 'gt', value: 100 }] }), { amount: '1000000' }).decision).toBe('deny');
  });

  it('follows nested paths, and denies when a step on the way is not an object', () => {
    const rule = { deny_if: [{ path: 'args.options.path', op: 'regex', value: '\\.\\.' }] };
    expect(decide(policy(rule), { options: { path: '../x' } }).decision).toBe('deny');
    expect(decide(policy(rule), { options: { path: 'x' } }).decision).toBe('allow');
    expect(decide(policy(rule), { options: {} }).decision).toBe('allow');
    expect(decide(policy(rule), { options: '../x' })).toMatchObject({
      decision: 'deny',
      reason: expect.stringContaining('cannot be checked'),
    });
  });

  it('never reads inherited properties as arguments', () => {
    expect(decide(policy({ require: [{ path: 'args.constructor', op: 'exists', value: true }] }), {}).decision).toBe('deny');
  });

  it('answers an invalid regex or an unknown operator in a hand-written policy with a denial, not a crash', () => {
    const bad = decide(policy({ deny_if: [{ path: 'args.a', op: 'regex', value: '(' }] }), { a: 'x' });
    expect(bad).toMatchObject({ decision: 'deny' });
    expect(bad.reason).toMatch(/not a regular expression RE2 can run/);
    const unknown = decide(policy({ require: [{ path: 'args.a', op: 'startswith', value: 'x' }] }), { a: 'x' });
    expect(unknown).toMatchObject({ decision: 'deny', reason: expect.stringContaining('unknown operator') });
  });
});

describe('evaluate: lists, odd names and RE2', () => {
  const badPath = { op: 'regex', value: '^/' };

  it('tests every element of a list: one bad element denies, an empty list has nothing to deny', () => {
    const p = policy({ deny_if: [{ path: 'args.files[*]', ...badPath }] });
    expect(decide(p, { files: ['a.txt', 'b/c.txt'] }).decision).toBe('allow');
    expect(decide(p, { files: ['a.txt', '/home/user/.ssh/id_rsa'] })).toMatchObject({ decision: 'deny', by: 'deny_if' });
    expect(decide(p, { files: [] }).decision).toBe('allow');
    expect(decide(p, {}).decision).toBe('allow');
    // A string where a list is expected, and a list inside the list, cannot be checked.
    expect(decide(p, { files: '/etc/passwd' }).decision).toBe('deny');
    expect(decide(p, { files: [['/etc/passwd']] }).decision).toBe('deny');
  });

  it('follows [*] into objects in a list; a require must hold for every element', () => {
    const deny = policy({ deny_if: [{ path: 'args.items[*].path', ...badPath }] });
    expect(decide(deny, { items: [{ path: 'a' }, { other: 1 }] }).decision).toBe('allow');
    expect(decide(deny, { items: [{ path: 'a' }, { path: '/etc' }] }).decision).toBe('deny');
    const need = policy({ require: [{ path: 'args.items[*].path', op: 'regex', value: '^a' }] });
    expect(decide(need, { items: [{ path: 'a1' }, { path: 'a2' }] }).decision).toBe('allow');
    expect(decide(need, { items: [{ path: 'a1' }, { other: 1 }] }).decision).toBe('deny');
  });

  it('reads a quoted name as one property, not a nested path', () => {
    const p = policy({ deny_if: [{ path: 'args["file.path"]', ...badPath }] });
    expect(decide(p, { 'file.path': '/etc/shadow' }).decision).toBe('deny');
    expect(decide(p, { 'file.path': 'notes.txt' }).decision).toBe('allow');
    const spaced = policy({ deny_if: [{ path: 'args["output path"]', ...badPath }] });
    expect(decide(spaced, { 'output path': '/etc/cron.d/x' }).decision).toBe('deny');
  });

  it('denies with not_regex unless the value matches, and leaves an absent argument alone', () => {
    const p = policy({ deny_if: [{ path: 'args.url', op: 'not_regex', value: '^https://' }] });
    expect(decide(p, { url: 'https://example.com/' }).decision).toBe('allow');
    expect(decide(p, { url: 'http://example.com/' }).decision).toBe('deny');
    expect(decide(p, {}).decision).toBe('allow');
  });

  it('runs patterns in linear time: ^(a+)+$ on a long input answers at once', () => {
    const p = policy({ deny_if: [{ path: 'args.a', op: 'regex', value: '^(a+)+$' }] });
    const started = performance.now();
    expect(decide(p, { a: `${'a'.repeat(5000)}b` }).decision).toBe('allow');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a pattern RE2 cannot run (lookaround, backreferences) with a denial', () => {
    for (const value of ['(?=x)', '(a)\\1', '(?<!x)y']) {
      const verdict = decide(policy({ deny_if: [{ path: 'args.a', op: 'regex', value }] }), { a: 'x' });
      expect(verdict.decision, value).toBe('deny');
      expect(verdict.reason).toMatch(/RE2/);
    }
  });
});

describe('evaluate: limits', () => {
  const limited = policy({ limits: [{ counter: 't_rate', window: 'minute', max: 2, scope: 'grant' }] });
  const at = (iso: string) => Date.parse(iso);

  it('counts calls in a calendar-aligned UTC window and resets at its boundary', () => {
    const counters = newCounters();
    const call = (iso: string) => evaluate(limited, { tool: 't', args: {} }, { counters, now: at(iso) }).decision;
    expect(call('2026-11-30T10:31:58Z')).toBe('allow');
    expect(call('2026-11-30T10:31:59Z')).toBe('allow');
    expect(call('2026-11-30T10:31:59.999Z')).toBe('deny');
    // 10:32:00 starts a new minute, though only a second has passed.
    expect(call('2026-11-30T10:32:00Z')).toBe('allow');
  });

  it('applies all_tools limits across tools, and a denied call does not use quota', () => {
    const shared: EvalPolicy = {
      default: 'deny',
      all_tools: { limits: [{ counter: 'all', window: 'hour', max: 2, scope: 'grant' }] },
      tools: { a: {}, b: { deny_if: [{ path: 'args.x', op: 'eq', value: 1 }] } },
    };
    const counters = newCounters();
    const now = at('2026-11-30T10:00:00Z');
    expect(evaluate(shared, { tool: 'b', args: { x: 1 } }, { counters, now }).decision).toBe('deny');
    expect(evaluate(shared, { tool: 'a', args: {} }, { counters, now }).decision).toBe('allow');
    expect(evaluate(shared, { tool: 'b', args: {} }, { counters, now }).decision).toBe('allow');
    expect(evaluate(shared, { tool: 'a', args: {} }, { counters, now })).toMatchObject({ decision: 'deny', by: 'limit' });
    expect(evaluate(shared, { tool: 'a', args: {} }, { counters, now: at('2026-11-30T11:00:00Z') }).decision).toBe('allow');
  });

  it('resets a day counter at midnight UTC', () => {
    const daily = policy({ limits: [{ counter: 'd', window: 'day', max: 1, scope: 'grant' }] });
    const counters = newCounters();
    expect(evaluate(daily, { tool: 't' }, { counters, now: at('2026-11-30T23:59:59Z') }).decision).toBe('allow');
    expect(evaluate(daily, { tool: 't' }, { counters, now: at('2026-11-30T23:59:59.5Z') }).decision).toBe('deny');
    expect(evaluate(daily, { tool: 't' }, { counters, now: at('2026-12-01T00:00:00Z') }).decision).toBe('allow');
  });
});
