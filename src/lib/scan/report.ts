import { plainLine } from '../text-safety/text.ts';
import { RISK_LEVELS } from '../../schemas/risk.ts';
import type { ScannedServer } from './entries.ts';
import { outcomeKey, type ServerOutcome } from './import.ts';
import { CLIENT_LABELS } from './locations.ts';
import type { ScannedConfig } from './scan.ts';
import { addSummaries, emptySummary, type RiskSummary } from './summary.ts';

/**
 * The scan's report, for a person (text) or a script (JSON). Server names, commands, URLs and
 * tool names come from files and servers nobody vetted: every one is printed as a quoted
 * plain line, hidden characters shown as labels and control characters escaped, so a name
 * cannot move the cursor, recolour the terminal or fake a line of the report.
 */

export const shown = (text: string): string => JSON.stringify(plainLine(text));

const argvLine = (server: ScannedServer): string =>
  server.transport === 'stdio' ? [server.command!, ...server.args].map(shown).join(' ') : shown(server.url ?? '');

export function riskLine(summary: RiskSummary): string {
  const counts = RISK_LEVELS.slice()
    .reverse()
    .map((risk) => `${summary.byRisk[risk]} ${risk}`)
    .join(', ');
  const extras = [
    summary.pendingReview.length > 0 ? `${summary.pendingReview.length} to review` : '',
    summary.failClosed.length > 0 ? `${summary.failClosed.length} failing closed until reviewed` : '',
    summary.poisoned.length > 0 ? `${summary.poisoned.length} with poisoning flags` : '',
  ].filter(Boolean);
  return `${summary.tools} tool${summary.tools === 1 ? '' : 's'}: ${counts}${extras.length > 0 ? `; ${extras.join('; ')}` : ''}`;
}

function outcomeLine(outcome: ServerOutcome | undefined): string {
  if (!outcome) return 'not started';
  if (outcome.status === 'skipped') return `skipped: ${outcome.reason}`;
  if (outcome.status === 'failed') return `FAILED: ${outcome.reason.replace(/\n/g, '\n        ')}`;
  const { imported } = outcome;
  return `${imported.slug}: ${riskLine(imported.summary)}`;
}

export interface ScanTotals {
  servers: number;
  imported: number;
  skipped: number;
  failed: number;
  unreadable: number;
  broken: number;
  summary: RiskSummary;
  /** Critical, pending and poisoned tools with the catalogue slug of their server. */
  critical: string[];
  pendingReview: string[];
  failClosed: string[];
  poisoned: string[];
}

export function scanTotals(configs: readonly ScannedConfig[], outcomes: ReadonlyMap<string, ServerOutcome>): ScanTotals {
  const totals: ScanTotals = {
    servers: 0,
    imported: 0,
    skipped: 0,
    failed: 0,
    unreadable: 0,
    broken: 0,
    summary: emptySummary(),
    critical: [],
    pendingReview: [],
    failClosed: [],
    poisoned: [],
  };
  const counted = new Set<string>();
  configs.forEach((config, index) => {
    if (!config.readable) totals.unreadable++;
    totals.broken += config.broken.length;
    for (const server of config.servers) {
      totals.servers++;
      const outcome = outcomes.get(outcomeKey(index, server));
      if (!outcome) continue;
      if (outcome.status === 'skipped') totals.skipped++;
      else if (outcome.status === 'failed') totals.failed++;
      else {
        totals.imported++;
        // The same server in two configs counts once in the tool totals.
        const { slug, summary } = outcome.imported;
        if (counted.has(slug)) continue;
        counted.add(slug);
        totals.summary = addSummaries(totals.summary, summary);
        totals.critical.push(...summary.critical.map((tool) => `${slug} ${shown(tool)}`));
        totals.pendingReview.push(...summary.pendingReview.map((tool) => `${slug} ${shown(tool)}`));
        totals.failClosed.push(...summary.failClosed.map(({ tool, treatedAs }) => `${slug} ${shown(tool)} (treated as ${treatedAs})`));
        totals.poisoned.push(...summary.poisoned.map(({ tool, flags }) => `${slug} ${shown(tool)} (${flags.join(', ')})`));
      }
    }
  });
  return totals;
}

export function formatScanReport(configs: readonly ScannedConfig[], outcomes: ReadonlyMap<string, ServerOutcome>): string {
  const lines: string[] = [];
  if (configs.length === 0) lines.push('No MCP client config found.');
  configs.forEach((config, index) => {
    const head = `${CLIENT_LABELS[config.client]} (${config.scope}) ${config.path}`;
    if (!config.readable) {
      lines.push(`${head}: ${config.problem}`, '');
      return;
    }
    lines.push(
      `${head}: ${config.servers.length} server${config.servers.length === 1 ? '' : 's'}${config.problem ? ` (${config.problem})` : ''}`,
    );
    for (const server of config.servers) {
      const names = [
        server.envNames.length > 0 ? `env ${server.envNames.map(shown).join(', ')}` : '',
        server.headerNames.length > 0 ? `headers ${server.headerNames.map(shown).join(', ')}` : '',
        server.wrapped ? 'runs under atlas guard' : '',
        server.disabled ? 'disabled' : '',
      ].filter(Boolean);
      lines.push(`  ${shown(server.name)} ${server.transport} ${argvLine(server)}${names.length > 0 ? ` [${names.join('; ')}]` : ''}`);
      lines.push(`      ${outcomeLine(outcomes.get(outcomeKey(index, server)))}`);
    }
    for (const entry of config.broken) lines.push(`  not understood: ${shown(entry.name)}: ${entry.problem} (left untouched)`);
    lines.push('');
  });
  const totals = scanTotals(configs, outcomes);
  lines.push(
    `Total: ${configs.length} config${configs.length === 1 ? '' : 's'} (${totals.unreadable} unreadable), ${totals.servers} server${totals.servers === 1 ? '' : 's'}: ${totals.imported} imported, ${totals.failed} failed, ${totals.skipped} skipped; ${totals.broken} entr${totals.broken === 1 ? 'y' : 'ies'} not understood.`,
    `Tools: ${riskLine(totals.summary)}.`,
  );
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(`${title} (${items.length}):`, ...items.map((item) => `  ${item}`));
  };
  list('Critical tools', totals.critical);
  list('Failing closed until a person reviews them: the bundle treats these as more dangerous than their category', totals.failClosed);
  list('Pending review: a person should confirm these before they are trusted', totals.pendingReview);
  list('Poisoning flags', totals.poisoned);
  return `${lines.join('\n')}\n`;
}

/** The same report as data. Launch values (env and header values) are never part of it. */
export function scanReportJson(configs: readonly ScannedConfig[], outcomes: ReadonlyMap<string, ServerOutcome>) {
  return {
    configs: configs.map((config, index) => ({
      client: config.client,
      scope: config.scope,
      path: config.path,
      readable: config.readable,
      ...(config.problem ? { problem: config.problem } : {}),
      servers: config.servers.map((server) => {
        const outcome = outcomes.get(outcomeKey(index, server));
        return {
          name: server.name,
          transport: server.transport,
          ...(server.command !== undefined ? { command: server.command, args: server.args } : {}),
          ...(server.url !== undefined ? { url: server.url } : {}),
          env: server.envNames,
          headers: server.headerNames,
          disabled: server.disabled,
          wrapped: server.wrapped !== undefined,
          outcome: !outcome
            ? { status: 'not-started' }
            : outcome.status === 'imported'
              ? { status: 'imported', slug: outcome.imported.slug, ...outcome.imported.summary }
              : outcome,
        };
      }),
      notUnderstood: config.broken.map(({ name, problem }) => ({ name, problem })),
    })),
    total: scanTotals(configs, outcomes),
  };
}
