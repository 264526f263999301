import { z } from 'astro/zod';
import { CATEGORIES, CATEGORY_LABELS, RISK_LABELS, RISK_LEVELS, type Category, type Risk } from '../../schemas/risk.ts';
import type { Evidence } from '../../schemas/tool.ts';
import { classifyTool, type ToolDefinition } from './classify.ts';
import { marksEveryChangingToolDestructive, type ServerContext } from './fail-closed.ts';

/** A hand label from a labelled set: `"<server>/<tool>": {category, risk, why}`, categories and risks capitalised. */
const labelSchema = z.object({
  category: z.string().transform((value, ctx) => {
    const category = value.toLowerCase();
    if ((CATEGORIES as readonly string[]).includes(category)) return category as Category;
    ctx.addIssue({
      code: 'custom',
      message: `must be one of ${CATEGORIES.map((c) => CATEGORY_LABELS[c]).join(', ')} (got ${JSON.stringify(value)})`,
    });
    return z.NEVER;
  }),
  risk: z.string().transform((value, ctx) => {
    const risk = value.toLowerCase();
    if ((RISK_LEVELS as readonly string[]).includes(risk)) return risk as Risk;
    ctx.addIssue({
      code: 'custom',
      message: `must be one of ${RISK_LEVELS.map((r) => RISK_LABELS[r]).join(', ')} (got ${JSON.stringify(value)})`,
    });
    return z.NEVER;
  }),
  why: z.string().optional(),
});
export const labelSetSchema = z.record(z.string().regex(/^[^/]+\/.+$/, 'must be "<server>/<tool>"'), labelSchema);
export type LabelSet = z.output<typeof labelSetSchema>;

export interface Disagreement {
  key: string;
  expected: { category: Category; risk: Risk };
  got: { category: Category; risk: Risk; confidence: number };
  why: string | undefined;
  /** The evidence the classifier used, so a reader can see which signal misled it. */
  evidence: Evidence[];
}

export interface AgreementReport {
  total: number;
  categoryAgree: number;
  riskAgree: number;
  /** confusion[expected][got] */
  confusion: Record<Category, Record<Category, number>>;
  riskConfusion: Record<Risk, Record<Risk, number>>;
  /** Execute, Destructive or Financial tools the classifier called Read: the worst mistake it can make. */
  severeCalledRead: string[];
  disagreements: Disagreement[];
  /** Labelled tools the catalogue does not hold. */
  missing: string[];
  /** Agreement per server (the `<server>` part of each key). */
  byServer: Record<string, ServerAgreement>;
}

export interface ServerAgreement {
  total: number;
  categoryAgree: number;
  riskAgree: number;
}

const grid = <K extends string>(keys: readonly K[]): Record<K, Record<K, number>> =>
  Object.fromEntries(keys.map((a) => [a, Object.fromEntries(keys.map((b) => [b, 0]))])) as Record<K, Record<K, number>>;

/** The server part of a `<server>/<tool>` key. */
export const serverOf = (key: string) => key.slice(0, key.indexOf('/'));

/** Each server's context, from all its tools, as the importer computes it. */
function serverContexts(definitions: ReadonlyMap<string, ToolDefinition>): Map<string, ServerContext> {
  const byServer = new Map<string, ToolDefinition[]>();
  for (const [key, definition] of definitions) {
    const list = byServer.get(serverOf(key));
    if (list) list.push(definition);
    else byServer.set(serverOf(key), [definition]);
  }
  return new Map(
    [...byServer].map(([server, tools]) => [server, { destructiveHintOnEveryChangingTool: marksEveryChangingToolDestructive(tools) }]),
  );
}

/** Classifies every labelled tool found in `definitions` (keyed like the labels) and measures agreement. */
export function measureAgreement(labels: LabelSet, definitions: ReadonlyMap<string, ToolDefinition>): AgreementReport {
  const report: AgreementReport = {
    total: 0,
    categoryAgree: 0,
    riskAgree: 0,
    confusion: grid(CATEGORIES),
    riskConfusion: grid(RISK_LEVELS),
    severeCalledRead: [],
    disagreements: [],
    missing: [],
    byServer: {},
  };
  const contexts = serverContexts(definitions);
  for (const [key, expected] of Object.entries(labels)) {
    const definition = definitions.get(key);
    if (!definition) {
      report.missing.push(key);
      continue;
    }
    const got = classifyTool(definition, contexts.get(serverOf(key)));
    report.total++;
    const server = (report.byServer[serverOf(key)] ??= { total: 0, categoryAgree: 0, riskAgree: 0 });
    server.total++;
    report.confusion[expected.category][got.category]++;
    report.riskConfusion[expected.risk][got.risk]++;
    if (got.category === expected.category) {
      report.categoryAgree++;
      server.categoryAgree++;
    }
    if (got.risk === expected.risk) {
      report.riskAgree++;
      server.riskAgree++;
    }
    if (got.category === 'read' && ['execute', 'destructive', 'financial'].includes(expected.category)) report.severeCalledRead.push(key);
    if (got.category !== expected.category || got.risk !== expected.risk) {
      report.disagreements.push({
        key,
        expected: { category: expected.category, risk: expected.risk },
        got: { category: got.category, risk: got.risk, confidence: got.confidence },
        why: expected.why,
        evidence: got.evidence.filter((e) => e.kind !== 'hidden-characters' && e.kind !== 'model-instruction'),
      });
    }
  }
  return report;
}

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`);

/** A matrix as a Markdown table: rows are the labels, columns what the classifier said. */
function matrixTable<K extends string>(keys: readonly K[], labelOf: Record<K, string>, matrix: Record<K, Record<K, number>>): string[] {
  const used = keys.filter((k) => keys.some((other) => matrix[k][other] > 0 || matrix[other][k] > 0));
  const lines = [`| label ↓ / classifier → | ${used.map((k) => labelOf[k]).join(' | ')} |`, `|---|${used.map(() => '---:').join('|')}|`];
  for (const row of used) lines.push(`| ${labelOf[row]} | ${used.map((col) => matrix[row][col]).join(' | ')} |`);
  return lines;
}

/** Agreement summed over some servers. */
export function sumServers(report: AgreementReport, servers: Iterable<string>): ServerAgreement {
  const sum = { total: 0, categoryAgree: 0, riskAgree: 0 };
  for (const server of servers) {
    const one = report.byServer[server];
    if (!one) continue;
    sum.total += one.total;
    sum.categoryAgree += one.categoryAgree;
    sum.riskAgree += one.riskAgree;
  }
  return sum;
}

/**
 * Leave-one-server-out for a classifier of written rules: each server is scored as the one left
 * out, and the figure is the mean of those per-server agreements (every server counts the same,
 * however many tools it has), with the worst server beside it. It is an honest held-out figure
 * only for servers nobody read while writing the rules: see `heldOut`.
 */
export function leaveOneServerOut(report: AgreementReport, servers: Iterable<string> = Object.keys(report.byServer)) {
  const rows = [...servers].map((server) => report.byServer[server]).filter((row): row is ServerAgreement => row !== undefined);
  const mean = (pick: (row: ServerAgreement) => number) =>
    rows.length === 0 ? 0 : rows.reduce((sum, row) => sum + pick(row) / row.total, 0) / rows.length;
  const worst = (pick: (row: ServerAgreement) => number) => Math.min(...rows.map((row) => pick(row) / row.total));
  return {
    servers: rows.length,
    category: mean((row) => row.categoryAgree),
    risk: mean((row) => row.riskAgree),
    worstCategory: worst((row) => row.categoryAgree),
    worstRisk: worst((row) => row.riskAgree),
  };
}

/** The per-server table and the leave-servers-out summary, as Markdown. */
export function formatByServer(report: AgreementReport, heldOut: ReadonlySet<string> = new Set()): string {
  const servers = Object.keys(report.byServer).sort();
  const lines = [
    `| server | tools | category | risk |${heldOut.size > 0 ? ' set |' : ''}`,
    `|---|---:|---:|---:|${heldOut.size > 0 ? '---|' : ''}`,
  ];
  for (const server of servers) {
    const row = report.byServer[server]!;
    lines.push(
      `| ${server} | ${row.total} | ${percent(row.categoryAgree, row.total)} | ${percent(row.riskAgree, row.total)} |${heldOut.size > 0 ? ` ${heldOut.has(server) ? 'held out' : 'seen'} |` : ''}`,
    );
  }
  const loso = leaveOneServerOut(report);
  const pct = (n: number) => `${(100 * n).toFixed(1)}%`;
  lines.push(
    '',
    `Leave-one-server-out (mean of ${loso.servers} servers, each scored as the one left out): category ${pct(loso.category)}, risk ${pct(loso.risk)}; worst server: category ${pct(loso.worstCategory)}, risk ${pct(loso.worstRisk)}`,
  );
  if (heldOut.size > 0) {
    const seen = sumServers(
      report,
      servers.filter((server) => !heldOut.has(server)),
    );
    const held = sumServers(report, heldOut);
    const heldLoso = leaveOneServerOut(report, heldOut);
    lines.push(
      `Seen servers (rules written while reading them): category ${seen.categoryAgree}/${seen.total} (${percent(seen.categoryAgree, seen.total)}), risk ${seen.riskAgree}/${seen.total} (${percent(seen.riskAgree, seen.total)})`,
      `Held-out servers (scored only): category ${held.categoryAgree}/${held.total} (${percent(held.categoryAgree, held.total)}), risk ${held.riskAgree}/${held.total} (${percent(held.riskAgree, held.total)}); mean per server: category ${pct(heldLoso.category)}, risk ${pct(heldLoso.risk)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The report as text a person reads (Markdown tables, so it pastes into the README as is). */
export function formatAgreement(
  report: AgreementReport,
  options: { evidence?: boolean; byServer?: boolean; heldOut?: ReadonlySet<string>; showHeldOut?: boolean } = {},
): string {
  const heldOut = options.heldOut ?? new Set<string>();
  const lines = [
    `Labelled tools classified: ${report.total}${report.missing.length > 0 ? ` (${report.missing.length} labelled tools not in the catalogue)` : ''}`,
    `Category agreement: ${report.categoryAgree}/${report.total} (${percent(report.categoryAgree, report.total)})`,
    `Risk agreement:     ${report.riskAgree}/${report.total} (${percent(report.riskAgree, report.total)})`,
    `Execute, Destructive or Financial tools called Read: ${report.severeCalledRead.length}${report.severeCalledRead.length > 0 ? ` (${report.severeCalledRead.join(', ')})` : ''}`,
    '',
    'Category confusion matrix:',
    '',
    ...matrixTable(CATEGORIES, CATEGORY_LABELS, report.confusion),
    '',
    'Risk confusion matrix:',
    '',
    ...matrixTable(RISK_LEVELS, RISK_LABELS, report.riskConfusion),
  ];
  if (options.byServer || heldOut.size > 0) lines.push('', 'Agreement by server:', '', formatByServer(report, heldOut).trimEnd());
  // Held-out servers are scored before anyone reads why they disagree: their disagreements stay
  // out of the report unless asked for.
  const shown = report.disagreements.filter((d) => options.showHeldOut || !heldOut.has(serverOf(d.key)));
  if (shown.length < report.disagreements.length) {
    lines.push(
      '',
      `${report.disagreements.length - shown.length} disagreements on held-out servers not shown (--show-held-out shows them).`,
    );
  }
  if (shown.length > 0) {
    lines.push('', `Disagreements (${shown.length}):`);
    for (const d of shown) {
      lines.push(
        '',
        `- ${d.key}: labelled ${CATEGORY_LABELS[d.expected.category]}/${RISK_LABELS[d.expected.risk]}, classified ${CATEGORY_LABELS[d.got.category]}/${RISK_LABELS[d.got.risk]} (confidence ${d.got.confidence})`,
      );
      if (d.why) lines.push(`    label: ${d.why}`);
      if (options.evidence !== false)
        for (const e of d.evidence) lines.push(`    ${e.kind}${e.suggests ? ` → ${CATEGORY_LABELS[e.suggests]}` : ''}: ${e.detail}`);
    }
  }
  if (report.missing.length > 0) lines.push('', `Not in the catalogue: ${report.missing.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
