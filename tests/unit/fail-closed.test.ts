import { describe, expect, it } from 'vitest';
import { classifyTool, type ToolDefinition } from '../../src/lib/classification/classify.ts';
import { effectiveClassification } from '../../src/lib/classification/effective.ts';
import { describeTreatment, marksEveryChangingToolDestructive } from '../../src/lib/classification/fail-closed.ts';
import { reviewNeeds } from '../../src/lib/classification/review.ts';
import { recommendedPolicy } from '../../src/lib/policy/recommend.ts';
import { evaluate } from '../../src/lib/policy/evaluate.ts';
import { toolDefinition as tool } from '../helpers/tool-definition.ts';

/** Rubric convention 13 (docs/classification-rubric.md): when the evidence disagrees, the policy fails closed. */

/** What the recommended policy does with a call to the tool, as a gateway decides it. */
const decision = (definition: ToolDefinition, context = {}) => {
  const c = classifyTool(definition, context);
  const policy = recommendedPolicy({
    name: definition.name,
    category: c.category,
    risk: c.risk,
    inputSchema: definition.inputSchema,
    treatment: c.treatment,
  });
  return evaluate(policy, { tool: definition.name, args: {} }).decision;
};

describe('conventions lower a category only where their object is unambiguous', () => {
  it('a removal whose description mentions a filter is still a delete', () => {
    const result = classifyTool(
      tool('purge-records', 'Removes all records that match the filter', { filter: { type: 'object' } }, { destructiveHint: true }),
    );
    expect(result).toMatchObject({ category: 'destructive', risk: 'critical' });
  });

  it('a removal of a stored route or trigger is a delete (convention 10), not a browser rule', () => {
    expect(classifyTool(tool('delete_route', 'Delete a route from the zone.', { id: { type: 'string' } })).category).toBe('destructive');
    expect(classifyTool(tool('remove_trigger', 'Removes a deploy trigger.', { id: { type: 'string' } })).category).toBe('destructive');
  });

  it('clearing a captured log buffer is a Write and fails closed on nothing (convention 2)', () => {
    const result = classifyTool(tool('clear_captured_logs', 'Clear the console logs captured so far.'));
    expect(result.category).toBe('write');
    expect(result.treatment).toBeUndefined();
  });

  it('ending a process is a Write (convention 11)', () => {
    const result = classifyTool(tool('kill_process', 'Terminates a running process by its pid.', { pid: { type: 'integer' } }));
    expect(result.category).toBe('write');
    expect(result.treatment).toBeUndefined();
  });
});

describe('the treatment: the most severe reading the definition supports', () => {
  it('a one-line "cleanup" annotated destructive is treated as Destructive and hidden until reviewed', () => {
    const definition = tool('cleanup', 'Cleanup all managed resources', {}, { destructiveHint: true });
    const result = classifyTool(definition);
    expect(result.treatment).toMatchObject({ category: 'destructive', risk: 'critical' });
    expect(describeTreatment(result.treatment!)).toMatch(/^Treated as Destructive until a person reviews it: .*destructiveHint/);
    expect(decision(definition)).toBe('hidden');
  });

  it('a hint every changing tool of the server carries does not fail closed (convention 5)', () => {
    const server = [
      tool('browser_click', 'Click an element on the page', { ref: { type: 'string' } }, { readOnlyHint: false, destructiveHint: true }),
      tool('browser_type', 'Type text into an element', { text: { type: 'string' } }, { readOnlyHint: false, destructiveHint: true }),
      tool('browser_snapshot', 'Capture an accessibility snapshot', {}, { readOnlyHint: true }),
    ];
    const context = { destructiveHintOnEveryChangingTool: marksEveryChangingToolDestructive(server) };
    expect(context.destructiveHintOnEveryChangingTool).toBe(true);
    expect(classifyTool(server[0]!, context).treatment).toBeUndefined();
    expect(decision(server[0]!, context)).toBe('allow');
    // One server tool of two carrying the hint: it tells them apart, so it holds.
    expect(marksEveryChangingToolDestructive([server[0]!, tool('browser_hover', 'Hover over an element')])).toBe(false);
  });

  it('a name that says delete fails closed even where the arguments read as a Write', () => {
    const result = classifyTool(tool('delete_or_update_item', 'Updates an item.', { id: { type: 'string' } }));
    expect(result.treatment?.category ?? result.category).toBe('destructive');
  });

  it('a person’s review or a hand override ends the treatment; the queue lists it first until then', () => {
    const definition = tool('cleanup', 'Cleanup all managed resources', {}, { destructiveHint: true });
    const classification = classifyTool(definition);
    const history = { hash: 'h1', firstSeen: '2026-12-01', changes: [] };
    expect(effectiveClassification({ classification, history }).treatment?.category).toBe('destructive');
    expect(reviewNeeds({ classification, history })?.reasons[0]).toBe('fails-closed');
    const review = {
      on: '2026-12-01',
      decision: 'accepted' as const,
      category: classification.category,
      risk: classification.risk,
      definitionHash: 'h1',
    };
    expect(effectiveClassification({ classification, history, review }).treatment).toBeUndefined();
    expect(effectiveClassification({ classification, history, overrides: { category: 'write' } }).treatment).toBeUndefined();
  });
});
