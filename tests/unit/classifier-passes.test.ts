import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../src/lib/classification/classify.ts';
import { discoverArguments, findDangerousArguments } from '../../src/lib/classification/passes/arguments.ts';
import { attackPatternsFor } from '../../src/lib/classification/passes/attacks.ts';
import { findCode } from '../../src/lib/classification/passes/code.ts';
import { applyConventions } from '../../src/lib/classification/passes/conventions.ts';
import { applyMoney } from '../../src/lib/classification/passes/money.ts';
import { applyOffers } from '../../src/lib/classification/passes/offers.ts';
import { findHiddenInDefinition, findModelInstructions } from '../../src/lib/classification/passes/poisoning.ts';
import { buildRationale, findDisagreements } from '../../src/lib/classification/passes/rationale.ts';
import { startReading } from '../../src/lib/classification/passes/reading.ts';
import { riskFor } from '../../src/lib/classification/passes/risk.ts';
import { severeReadings } from '../../src/lib/classification/passes/severe-readings.ts';
import { readWords } from '../../src/lib/classification/passes/words.ts';
import { toolDefinition as tool } from '../helpers/tool-definition.ts';

/** Each pass of the classifier on its own (src/lib/classification/passes/, README "Classification"). */
const reading = (definition: ToolDefinition) => startReading(definition, readWords(definition));

describe('pass 1, argument discovery', () => {
  it('finds arguments nested in objects, array items and anyOf/oneOf alternatives, with their own descriptions', () => {
    const found = discoverArguments(
      tool('t', '', {
        steps: {
          type: 'array',
          items: { oneOf: [{ type: 'object', properties: { script: { type: 'string', description: 'Runs in the page' } } }] },
        },
        options: { anyOf: [{ type: 'object', properties: { path: { type: 'string' } } }, { type: 'string' }] },
      }).inputSchema,
    );
    expect(found.map((arg) => arg.path)).toEqual(['steps', 'steps[].script', 'options', 'options.path']);
    expect(found.find((arg) => arg.path === 'steps[].script')).toMatchObject({ depth: 1, description: 'Runs in the page' });
  });

  it('names the danger by the last word, and never reads an identifier as code', () => {
    const kinds = findDangerousArguments(
      tool('t', '', { output_path: { type: 'string' }, language_code: { type: 'string' }, target: { type: 'string', format: 'uri' } })
        .inputSchema,
    );
    expect(kinds).toEqual([
      { path: 'output_path', kind: 'path', type: 'string' },
      { path: 'target', kind: 'url', type: 'string' },
    ]);
  });

  it('stops at its depth and count limits on a cyclic-looking or huge schema', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 40; i++) schema = { type: 'object', properties: { nested: schema } };
    expect(discoverArguments({ type: 'object', properties: { root: schema } }).length).toBeLessThanOrEqual(6);
    const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`a${i}`, { type: 'string' }]));
    expect(discoverArguments({ type: 'object', properties: wide })).toHaveLength(200);
  });
});

describe('pass 2, words', () => {
  it('reads verbs of the name in their base form, and an HTTP method before a verb as transport', () => {
    expect(readWords(tool('mongodb-logs')).nameVerbs).toEqual([]);
    expect(readWords(tool('API-post-search')).nameVerbs.map((v) => v.verb)).toEqual(['search']);
    expect(readWords(tool('deletes_file')).nameVerb).toMatchObject({ verb: 'delete', category: 'destructive' });
  });

  it('records what the tool acts on: the verb’s object, not a word anywhere', () => {
    expect(readWords(tool('purge', 'Removes all records that match the filter')).actedOn).toEqual(['all', 'records']);
    expect(readWords(tool('clear_console_logs')).actedOn).toEqual(['console', 'logs']);
    expect(readWords(tool('usage_stats', 'View or reset tool usage statistics.')).actedOn).toEqual([
      'usage',
      'tool',
      'usage',
      'statistics',
    ]);
  });
});

describe('pass 3, the category the words point to', () => {
  it('breaks a tie towards the more severe category and says when nothing points anywhere', () => {
    expect(reading(tool('get_and_delete')).category).toBe('destructive');
    const none = reading(tool('ledger_v2', 'Ledger helper.'));
    expect(none).toMatchObject({ category: 'read', noSignal: true });
  });

  it('records every change a pass makes as evidence', () => {
    const r = reading(tool('delete_file'));
    r.settle('write', 'x', 'Because.');
    expect(r.category).toBe('write');
    expect(r.settled).toEqual(['Because.']);
    expect(r.evidence.at(-1)).toMatchObject({ kind: 'convention', suggests: 'write' });
  });
});

describe('pass 4, code', () => {
  it('a nested script step runs by what it is; a code argument sent for review does not', () => {
    const steps = { type: 'array', items: { type: 'object', properties: { script: { type: 'string' } } } };
    expect(findCode(reading(tool('crawl', 'Crawl a site.', { steps }))).codeThatRuns).toBe(true);
    const review = reading(tool('review_code', 'Ask a model to review code.', { code: { type: 'string' }, prompt: { type: 'string' } }));
    expect(findCode(review)).toMatchObject({ codeThatRuns: false, modelCall: true });
  });
});

describe('pass 5, conventions', () => {
  it('lowers a clear of a captured buffer to Write, and leaves a delete that mentions a filter alone', () => {
    const buffer = reading(tool('clear_console_logs', 'Clear captured console logs.'));
    applyConventions(buffer, findCode(buffer));
    expect(buffer.category).toBe('write');
    const records = reading(tool('purge', 'Removes all records that match the filter'));
    applyConventions(records, findCode(records));
    expect(records.category).toBe('destructive');
  });

  it('reports ending running state for the fail-closed pass', () => {
    const r = reading(tool('kill_process', 'Kill a process.', { pid: { type: 'integer' } }));
    expect(applyConventions(r, findCode(r))).toMatchObject({ endsRunningState: true });
    expect(r.category).toBe('write');
  });
});

describe('pass 6, explicit offers', () => {
  it('raises to the most severe option: a delete flag at any depth, an action value', () => {
    const nested = reading(
      tool('update_page', 'Update a page.', { options: { type: 'object', properties: { allow_deleting_content: { type: 'boolean' } } } }),
    );
    applyOffers(nested, findCode(nested));
    expect(nested.category).toBe('destructive');
    const action = reading(tool('manage_items', 'Manage items.', { action: { type: 'string', enum: ['list', 'create', 'delete'] } }));
    applyOffers(action, findCode(action));
    expect(action.category).toBe('destructive');
  });

  it('on a search, a state flag selects and raises nothing', () => {
    const r = reading(tool('search_pages', 'Search pages.', { archived: { type: 'boolean' } }));
    applyOffers(r, findCode(r));
    expect(r.category).toBe('read');
  });
});

describe('pass 7, money', () => {
  it('moves money on a payment, not on a draft or a read', () => {
    const pay = reading(tool('create_payment', 'Create a payment.', { amount: { type: 'number' } }));
    applyMoney(pay);
    expect(pay.category).toBe('financial');
    const draft = reading(tool('create_invoice', 'Create a draft invoice.'));
    applyMoney(draft);
    expect(draft.category).toBe('write');
  });
});

describe('pass 8, severe readings', () => {
  it('reads a discriminating destructiveHint as Destructive, and a blanket one as nothing', () => {
    const definition = tool('cleanup', 'Cleanup all managed resources', {}, { destructiveHint: true });
    const r = reading(definition);
    const facts = applyConventions(r, findCode(r));
    expect(severeReadings(r, facts, {}).map((x) => x.category)).toEqual(['destructive']);
    expect(severeReadings(r, facts, { destructiveHintOnEveryChangingTool: true })).toEqual([]);
  });
});

describe('passes 9 to 12: poisoning, risk, rationale, attack patterns', () => {
  it('poisoning reads hidden characters and steering, not guidance', () => {
    expect(findHiddenInDefinition(tool('t', 'Hi\u200b')).length).toBe(1);
    expect(findModelInstructions(tool('t', 'Call list_pages first.'))).toEqual([]);
  });

  it('risk follows the category, Medium for a Read of secrets', () => {
    const reach = { argKinds: new Set<never>(), secrets: undefined, outbound: false, untrustedContent: false };
    expect(riskFor('destructive', reach).risk).toBe('critical');
    expect(riskFor('read', { ...reach, secrets: 'cookies' }).risk).toBe('medium');
  });

  it('rationale names the convention that decided, and disagreements name the source', () => {
    const sentences = buildRationale({
      tool: tool('t'),
      category: 'write',
      risk: 'medium',
      riskReason: 'it changes things',
      evidence: [],
      conflicts: [],
      settled: ['It ends a process: a Write.'],
      hidden: false,
      instructions: false,
      noSignal: false,
    });
    expect(sentences[0]).toBe('Classified as Write: it ends a process: a Write.');
    expect(findDisagreements([{ kind: 'name', match: 'kill', detail: 'x', suggests: 'destructive' }], 'write')).toEqual([
      'The name points to Destructive, not Write.',
    ]);
  });

  it('attack patterns follow the reach', () => {
    const ids = attackPatternsFor({
      category: 'destructive',
      argKinds: new Set(['path']),
      secrets: false,
      outbound: false,
      openWorld: false,
      conflicts: false,
      untrustedContent: false,
      hidden: [],
      instructions: [],
    });
    expect(ids).toEqual(expect.arrayContaining(['mcp02', 'consent-fatigue']));
  });
});
