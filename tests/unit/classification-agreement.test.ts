import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatAgreement, labelSetSchema, measureAgreement } from '../../src/lib/classification/agreement.ts';
import { classifyTool, type ToolDefinition } from '../../src/lib/classification/classify.ts';

/**
 * The classifier against the hand labels of the four reference servers (a copy of
 * ../shared/fixtures/labels/reference.json, labelled with the rubric). These floors
 * only ever rise: raise them when the classifier improves, never lower them.
 */
const CATEGORY_FLOOR = 0.977;
const RISK_FLOOR = 0.974;

const json = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const labels = labelSetSchema.parse(json('../fixtures/labels/reference.json'));
const definitions = new Map<string, ToolDefinition>();
for (const server of ['docx-mcp', 'tachibot-mcp', 'camoufox-mcp', 'claude-code-notebook-mcp']) {
  for (const tool of json(`../../content/servers/${server}.json`).tools as ToolDefinition[])
    definitions.set(`${server}/${tool.name}`, tool);
}

describe('agreement with the hand-labelled reference set', () => {
  const report = measureAgreement(labels, definitions);

  it('classifies every labelled tool', () => {
    expect(report.missing).toEqual([]);
    expect(report.total).toBe(394);
  });

  it(`agrees on category at least ${CATEGORY_FLOOR * 100}% and on risk at least ${RISK_FLOOR * 100}%`, () => {
    expect(report.categoryAgree / report.total).toBeGreaterThanOrEqual(CATEGORY_FLOOR);
    expect(report.riskAgree / report.total).toBeGreaterThanOrEqual(RISK_FLOOR);
  });

  it('never calls an Execute, Destructive or Financial tool Read', () => {
    expect(report.severeCalledRead).toEqual([]);
  });

  it('reads the seed tools as a person does: exports to a new file are Write / Medium', () => {
    for (const key of [
      'docx-mcp/export_session_script',
      'tachibot-mcp/focus_export_session',
      'camoufox-mcp/save_session',
      'claude-code-notebook-mcp/notebook_export',
    ]) {
      expect(classifyTool(definitions.get(key)!), key).toMatchObject({ category: 'write', risk: 'medium' });
    }
  });

  it('prints a confusion matrix and each disagreement with its evidence', () => {
    const text = formatAgreement(report);
    expect(text).toMatch(/Category agreement: \d+\/394/);
    expect(text).toContain('| label ↓ / classifier → | Read | Write | Execute | Destructive |');
    const first = report.disagreements[0]!;
    expect(text).toContain(`- ${first.key}: labelled`);
    expect(text).toContain(first.evidence[0]!.detail);
  });
});

describe('servers outside the labelled set', () => {
  const { tools } = json('../fixtures/unseen/tools.json') as { tools: Array<ToolDefinition & { expect: [string, string] }> };
  it.each(tools.map((t) => [t.name, t.expect[0], t.expect[1], t] as const))('%s is %s / %s', (_name, category, risk, tool) => {
    expect(classifyTool(tool)).toMatchObject({ category, risk });
  });
});

describe('the rubric in the classifier, not the names of the labelled tools', () => {
  it('has no labelled tool name in its source or lexicon', () => {
    const source = ['classify.ts', 'lexicon.ts', 'words.ts']
      .map((file) => readFileSync(new URL(`../../src/lib/classification/${file}`, import.meta.url), 'utf8'))
      .join('\n');
    const names = Object.keys(labels).map((key) => key.slice(key.indexOf('/') + 1));
    // Single words (`think`, `click`) are verbs the lexicon must hold; a name with a separator is a tool's own.
    const leaked = names.filter((name) => /[_.-]/.test(name) && source.includes(`'${name}'`));
    expect(leaked).toEqual([]);
  });

  it('keeps the money-moving tool Financial / Critical and hidden by its policy, and balance reads Read', async () => {
    const { recommendedPolicy } = await import('../../src/lib/policy/recommend.ts');
    const transfer: ToolDefinition = {
      name: 'transfer_funds',
      description: 'Sends money to any account.',
      inputSchema: { type: 'object', properties: { amount: { type: 'number' }, to_account: { type: 'string' } } },
    };
    const result = classifyTool(transfer);
    expect(result).toMatchObject({ category: 'financial', risk: 'critical' });
    const policy = recommendedPolicy({
      name: transfer.name,
      category: result.category,
      risk: result.risk,
      inputSchema: transfer.inputSchema,
    });
    expect(policy.hide).toContain('transfer_funds');
    for (const read of ['get_balance', 'list_invoices', 'get_invoice', 'list_transactions']) {
      expect(classifyTool({ name: read, description: 'Returns it.', inputSchema: { type: 'object' } }).category, read).toBe('read');
    }
  });
});
