import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatByServer, leaveOneServerOut, measureAgreement, sumServers } from '../../src/lib/classification/agreement.ts';
import { classifyTool } from '../../src/lib/classification/classify.ts';
import { marksEveryChangingToolDestructive } from '../../src/lib/classification/fail-closed.ts';
import { serverBundle } from '../../src/lib/policy/recommend.ts';
import { treatment } from '../../src/lib/policy/treatment.ts';
import { HELD_OUT_SERVERS, allLabels, definitionsByKey, labelledServers } from '../helpers/labelled.ts';

/**
 * The classifier against all 574 hand labels of 15 servers (docs/labels.md), labelled with
 * docs/classification-rubric.md. The targets are 95% category, 92% risk and 90% leaving
 * one server out; the floors sit at what the classifier reaches and only ever rise.
 */
const CATEGORY_FLOOR = 0.975;
const RISK_FLOOR = 0.97;
const LEAVE_ONE_SERVER_OUT_FLOOR = 0.94;

const servers = labelledServers();
const labels = allLabels();
const report = measureAgreement(labels, definitionsByKey(servers));

describe('agreement on the 15 labelled servers', () => {
  it('classifies every labelled tool of every server', () => {
    expect(report.missing).toEqual([]);
    expect(report.total).toBe(574);
    expect(Object.keys(report.byServer)).toHaveLength(15);
  });

  it(`agrees on category at least ${CATEGORY_FLOOR * 100}% and on risk at least ${RISK_FLOOR * 100}%`, () => {
    expect(report.categoryAgree / report.total).toBeGreaterThanOrEqual(CATEGORY_FLOOR);
    expect(report.riskAgree / report.total).toBeGreaterThanOrEqual(RISK_FLOOR);
  });

  it(`agrees at least ${LEAVE_ONE_SERVER_OUT_FLOOR * 100}% leaving one server out, on average over the servers`, () => {
    const loso = leaveOneServerOut(report);
    expect(loso.category).toBeGreaterThanOrEqual(LEAVE_ONE_SERVER_OUT_FLOOR);
    expect(loso.risk).toBeGreaterThanOrEqual(LEAVE_ONE_SERVER_OUT_FLOOR);
  });

  it('scores the held-out servers apart and prints a row per server', () => {
    const held = sumServers(report, HELD_OUT_SERVERS);
    expect(held.total).toBeGreaterThan(0);
    expect(held.categoryAgree / held.total).toBeGreaterThanOrEqual(0.9);
    const table = formatByServer(report, new Set(HELD_OUT_SERVERS));
    for (const server of servers.keys()) expect(table).toContain(`| ${server} |`);
    expect(table).toMatch(/Held-out servers \(scored only\): category \d+\/\d+/);
  });

  it('never calls an Execute, Destructive or Financial tool Read', () => {
    expect(report.severeCalledRead).toEqual([]);
  });
});

describe('the recommended bundles', () => {
  it('hide or deny every tool labelled Critical, on every server', () => {
    const callable: string[] = [];
    for (const [slug, tools] of servers) {
      const context = { destructiveHintOnEveryChangingTool: marksEveryChangingToolDestructive(tools) };
      const bundle = serverBundle(
        tools.map((tool) => {
          const c = classifyTool(tool, context);
          return {
            name: tool.name,
            category: c.category,
            risk: c.risk,
            inputSchema: tool.inputSchema,
            treatment: c.treatment,
          };
        }),
      );
      for (const tool of tools) {
        const label = labels[`${slug}/${tool.name}`];
        if (label?.risk !== 'critical') continue;
        if (treatment(bundle, tool.name).kind === 'allowed') callable.push(`${slug}/${tool.name}`);
      }
    }
    const critical = Object.values(labels).filter((label) => label.risk === 'critical').length;
    expect(critical).toBeGreaterThan(30);
    expect(callable).toEqual([]);
  });
});

describe('the rubric in the classifier, not the names of the labelled tools', () => {
  it('has no labelled tool name anywhere in the classifier’s source', () => {
    const dir = new URL('../../src/lib/classification/', import.meta.url);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const source = files.map((name) => readFileSync(new URL(name, dir), 'utf8')).join('\n');
    const names = Object.keys(labels).map((key) => key.slice(key.indexOf('/') + 1));
    // Single words (`think`, `click`) are verbs the lexicon must hold; a name with a separator is a tool's own.
    const leaked = names.filter((name) => /[_.-]/.test(name) && (source.includes(`'${name}'`) || source.includes(`"${name}"`)));
    expect(leaked).toEqual([]);
  });
});
