import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/lib/policy/evaluate.ts';
import { describePolicyFor, policyAtAGlance } from '../../src/lib/policy/recommend.ts';
import { treatment } from '../../src/lib/policy/treatment.ts';
import type { Policy } from '../../src/schemas/policy.ts';

/** The evaluator's decision on a call with no arguments, as the three readers name it. */
const decided = (policy: Policy, name: string) => {
  const { decision } = evaluate(policy, { tool: name, args: {} });
  return decision === 'hidden' ? 'hidden' : decision === 'deny' ? 'denied' : 'allowed';
};

const cases: Array<{ what: string; policy: Policy; tools: string[] }> = [
  {
    what: '"*" hidden, one tool listed',
    policy: { version: '1', default: 'deny', hide: ['*'], tools: { read_file: {} } },
    tools: ['read_file', 'write_file'],
  },
  {
    what: 'default deny with tools named like object properties',
    policy: { version: '1', default: 'deny', tools: { listed: {} } },
    tools: ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'listed'],
  },
  {
    what: 'default allow, one tool hidden by name',
    policy: { version: '1', default: 'allow', hide: ['drop_table'], tools: {} },
    tools: ['drop_table', 'select'],
  },
];

describe('what a page says a policy does with a tool', () => {
  for (const { what, policy, tools } of cases) {
    it(`agrees with the evaluator: ${what}`, () => {
      for (const name of tools) {
        const expected = decided(policy, name);
        expect(treatment(policy, name).kind, name).toBe(expected);
        expect(policyAtAGlance(policy, name).action, name).toBe(expected);
        const sentence = describePolicyFor(policy, name)[0]!;
        expect(sentence, name).toMatch({ hidden: /^It hides /, denied: /^It denies /, allowed: /^It allows / }[expected]);
      }
    });
  }
});
