import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyWrap, defaultGuardPrefix, formatApply } from '../../lib/scan/apply.ts';
import { importScanned, type ServerOutcome } from '../../lib/scan/import.ts';
import { currentEnvironment } from '../../lib/scan/locations.ts';
import { formatScanReport, scanReportJson, scanTotals } from '../../lib/scan/report.ts';
import { scanConfigs, ScanInputError } from '../../lib/scan/scan.ts';
import { HelpRequested, InputError, UsageError } from '../errors.ts';
import { splitCommandLine } from '../../lib/catalog/live-import.ts';
import { contentDirFrom, parseTimeout, today } from '../options.ts';
import { packageVersion } from '../version.ts';

/**
 * `atlas scan`: finds the MCP client configs of the user and of the project, lists their
 * servers (names of variables and headers, never values), imports each live into the
 * catalogue and prints a risk summary per server and in total.
 */
export async function runScan(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', multiple: true, default: [] },
      project: { type: 'string' },
      content: { type: 'string' },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      'trust-project': { type: 'boolean', default: false },
      'no-start': { type: 'boolean', default: false },
      wrap: { type: 'boolean', default: false },
      unwrap: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      'guard-command': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) throw new HelpRequested();
  if (values.wrap && values.unwrap) throw new UsageError('give --wrap or --unwrap, not both');
  if (values.yes && !values.wrap && !values.unwrap) throw new UsageError('--yes confirms --wrap or --unwrap');
  const guard = values['guard-command'] ? splitCommandLine(values['guard-command']) : defaultGuardPrefix();
  if (guard.length === 0) throw new UsageError('--guard-command is empty');
  const environment = { ...currentEnvironment(), ...(values.project ? { project: resolve(values.project) } : {}) };
  let configs;
  try {
    configs = scanConfigs({ environment, configs: values.config, onlyGiven: values.config.length > 0 });
  } catch (error) {
    if (error instanceof ScanInputError) throw new InputError(error.message);
    throw error;
  }
  const contentDir = contentDirFrom(values.content);
  const outcomes =
    values['no-start'] || values.unwrap
      ? new Map<string, ServerOutcome>()
      : (
          await importScanned(configs, {
            contentDir,
            timeoutMs: parseTimeout(values.timeout),
            today: today(),
            clientVersion: packageVersion(),
            trustProject: values['trust-project'],
            env: process.env,
            home: environment.home,
            project: environment.project,
            progress: (line) => process.stderr.write(`${line}\n`),
          })
        ).outcomes;
  process.stdout.write(
    values.json ? `${JSON.stringify(scanReportJson(configs, outcomes), null, 2)}\n` : formatScanReport(configs, outcomes),
  );
  const totals = scanTotals(configs, outcomes);
  if (values.wrap || values.unwrap) {
    const mode = values.wrap ? 'wrap' : 'unwrap';
    const result = applyWrap(configs, { mode, outcomes, contentDir, guard: guard as [string, ...string[]], write: values.yes });
    (values.json ? process.stderr : process.stdout).write(`\n${formatApply(result, mode, values.yes)}`);
    if (result.errors.length > 0) return 1;
  }
  return totals.failed > 0 || totals.unreadable > 0 ? 1 : 0;
}
