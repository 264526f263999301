import { describe, expect, it } from 'vitest';
import { assertExamples, policyExamples } from '../../src/lib/policy/examples.ts';
import { recommendedPolicy, type PolicyTool } from '../../src/lib/policy/recommend.ts';

/** The example calls a tool page shows under its policy, each decided by the evaluator. */
describe('policy examples', () => {
  const examplesOf = (tool: PolicyTool & { inputSchema: { type: 'object'; properties: Record<string, unknown>; required?: string[] } }) => {
    const policy = recommendedPolicy(tool);
    // assertExamples throws if the evaluator decides any example otherwise than the page says.
    return assertExamples(policy, tool.name, policyExamples(tool, policy));
  };

  it('shows an argument the policy cannot check as denied whatever it holds, and leaves it out of the ordinary call', () => {
    const examples = examplesOf({
      name: 'opaque_file',
      category: 'write',
      risk: 'medium',
      inputSchema: { type: 'object', properties: { title: { type: 'string' }, file: { type: 'object' } }, required: ['title'] },
    });
    expect(examples.map(({ title, args, expected }) => ({ title, args, expected }))).toEqual([
      { title: 'a call', args: { title: 'example' }, expected: 'allow' },
      { title: 'any value in file, which the policy cannot check', args: { title: 'example', file: { nested: 'x' } }, expected: 'deny' },
      { title: expect.stringMatching(/^one call more than \d+ a minute$/), args: { title: 'example' }, expected: 'deny' },
    ]);
  });

  it('puts each attack form of a check into the argument it checks, in an otherwise ordinary call', () => {
    const examples = examplesOf({
      name: 'read_report',
      category: 'read',
      risk: 'low',
      inputSchema: { type: 'object', properties: { path: { type: 'string' }, format: { type: 'string' } }, required: ['path', 'format'] },
    });
    const climbing = examples.find((example) => example.title === 'a path that climbs out with .. into .ssh in path');
    expect(climbing).toMatchObject({ args: { path: '../../.ssh/authorized_keys', format: 'example' }, expected: 'deny' });
    expect(examples[0]).toMatchObject({
      title: 'ordinary arguments',
      args: { path: 'reports/q3.csv', format: 'example' },
      expected: 'allow',
    });
  });
});
