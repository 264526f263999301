import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { SEVERITIES, type Severity } from '../catalog/severity.ts';
import { markdownText, plainLine } from '../text-safety/text.ts';
import type { DriftChange, DriftReport } from './check.ts';

/**
 * The drift report for code scanning (SARIF 2.1.0) and for a pull request (Markdown). Tool and
 * server names are untrusted: in SARIF they are JSON strings written by JSON.stringify, in
 * Markdown they are escaped so no name can open a link, a table cell or an HTML tag.
 */

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note' };
/** GitHub code scanning reads `security-severity` (0–10) from a rule to rank alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { high: '8.0', medium: '5.0', low: '2.0' };
const RULE_TEXT: Record<Severity, { name: string; short: string; full: string }> = {
  high: {
    name: 'SeriousToolDrift',
    short: 'An MCP tool changed in a way that matters to whoever allowed it',
    full: 'A tool description gained instructions to the model or hidden characters, a tool gained an argument or option that runs code or destroys, its category became more severe, or a new High or Critical tool appeared. Review the tool before its next use and update its policy.',
  },
  medium: {
    name: 'ToolDrift',
    short: 'An MCP tool changed its arguments, annotations or risk, or a new tool appeared',
    full: 'The definition differs from the catalogue in its arguments, annotations, output schema or risk. Check that the tool policy still fits.',
  },
  low: {
    name: 'ToolWording',
    short: 'An MCP tool was reworded or removed',
    full: 'A description or title was reworded, or the server no longer lists a tool.',
  },
};

const ruleId = (severity: Severity) => `mcp-tool-drift/${severity}`;
const KIND_TEXT = { added: 'new tool', removed: 'removed', changed: 'definition changed' } as const;

function changeLine(change: DriftChange): string {
  const fields = change.fields.length > 0 ? ` (${change.fields.join(', ')})` : '';
  return `${change.server}: ${JSON.stringify(plainLine(change.tool))} ${KIND_TEXT[change.kind]}${fields}. ${change.reasons.join(' ')}`;
}

/** The 1-based line of the tool's entry in its content file, so an alert points at the tool. */
function lineOf(file: string, tool: string, cache: Map<string, string[]>): number | undefined {
  let lines = cache.get(file);
  if (!lines) {
    try {
      lines = readFileSync(file, 'utf8').split('\n');
    } catch {
      lines = [];
    }
    cache.set(file, lines);
  }
  const needle = `"name": ${JSON.stringify(tool)}`;
  const index = lines.findIndex((line) => line.trim().startsWith(needle));
  return index === -1 ? undefined : index + 1;
}

export function driftSarif(report: DriftReport, options: { version: string; root: string }) {
  const cache = new Map<string, string[]>();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'Policy Atlas',
            version: options.version,
            rules: SEVERITIES.map((severity) => ({
              id: ruleId(severity),
              name: RULE_TEXT[severity].name,
              shortDescription: { text: RULE_TEXT[severity].short },
              fullDescription: { text: RULE_TEXT[severity].full },
              defaultConfiguration: { level: LEVEL[severity] },
              properties: { 'security-severity': SECURITY_SEVERITY[severity], tags: ['security', 'mcp'] },
            })),
          },
        },
        results: report.changes.map((change) => {
          const uri = relative(options.root, change.file).split(sep).join('/');
          const line = lineOf(change.file, change.tool, cache);
          return {
            ruleId: ruleId(change.severity),
            ruleIndex: SEVERITIES.indexOf(change.severity),
            level: LEVEL[change.severity],
            message: { text: changeLine(change) },
            locations: [{ physicalLocation: { artifactLocation: { uri }, ...(line ? { region: { startLine: line } } : {}) } }],
            // The same change found again is the same alert, not a new one.
            partialFingerprints: {
              'atlasChange/v1': createHash('sha256')
                .update(JSON.stringify([change.server, change.tool, change.kind, change.fields]))
                .digest('hex'),
            },
            properties: { severity: change.severity, server: change.server, tool: change.tool, kind: change.kind, fields: change.fields },
          };
        }),
      },
    ],
  };
}

export function driftMarkdown(report: DriftReport): string {
  const lines = ['## MCP tool drift', ''];
  const count = (severity: Severity) => report.changes.filter((c) => c.severity === severity).length;
  if (report.changes.length === 0) lines.push(`No tool changed on the ${report.checked.length} servers checked.`, '');
  else {
    lines.push(
      `${report.changes.length} change${report.changes.length === 1 ? '' : 's'} on ${report.checked.length} servers checked: **${count('high')} high**, ${count('medium')} medium, ${count('low')} low.`,
      '',
      '| severity | server | tool | change | why |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const change of report.changes) {
      const what = `${KIND_TEXT[change.kind]}${change.fields.length > 0 ? ` (${change.fields.join(', ')})` : ''}`;
      lines.push(
        `| ${change.severity === 'high' ? '**high**' : change.severity} | ${markdownText(change.server)} | ${markdownText(change.tool)} | ${what} | ${change.reasons.map(markdownText).join('<br>')} |`,
      );
    }
    lines.push('');
  }
  if (report.failed.length > 0) {
    lines.push(`Could not be checked (${report.failed.length}):`, '');
    for (const { slug, reason } of report.failed) lines.push(`- ${markdownText(slug)}: ${markdownText(reason.split('\n')[0] ?? '')}`);
    lines.push('');
  }
  if (report.skipped.length > 0)
    lines.push(`Skipped (no recorded source): ${report.skipped.map((s) => markdownText(s.slug)).join(', ')}`, '');
  return `${lines.join('\n')}`;
}

export function driftText(report: DriftReport): string {
  const lines = report.changes.map((change) => `  [${change.severity}] ${changeLine(change)}`);
  const head =
    report.changes.length === 0
      ? `No drift: ${report.checked.length} server${report.checked.length === 1 ? '' : 's'} list the tools the catalogue holds.`
      : `Drift: ${report.changes.length} change${report.changes.length === 1 ? '' : 's'} on ${report.checked.length} servers checked (catalogue unchanged):`;
  const failed = report.failed.map(({ slug, reason }) => `  ${slug}: ${reason.replace(/\n/g, '\n    ')}`);
  return `${[head, ...lines, ...(failed.length > 0 ? [`Failed ${failed.length}:`, ...failed] : [])].join('\n')}\n`;
}
