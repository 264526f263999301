import { parseArgs } from 'node:util';
import { HelpRequested, UsageError } from '../errors.ts';
import { COMMON_OPTIONS, contentDirFrom, parseHeaders, parseTimeout, today } from '../options.ts';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../lib/shared/files.ts';
import { checkCatalog } from '../../lib/drift/check.ts';
import { driftMarkdown, driftSarif, driftText } from '../../lib/drift/sarif.ts';
import { listRecorded, refreshCatalog } from '../sources.ts';

/** `atlas refresh`: re-import every server whose recorded source can be re-run. */
export async function runRefresh(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...COMMON_OPTIONS, check: { type: 'boolean', default: false }, sarif: { type: 'string' }, summary: { type: 'string' } },
    strict: true,
  });
  if (values.help) throw new HelpRequested();
  if ((values.sarif || values.summary) && !values.check) throw new UsageError('--sarif and --summary go with --check');
  if (values.check)
    return runCheck({
      contentDir: contentDirFrom(values.content),
      timeoutMs: parseTimeout(values.timeout),
      headers: parseHeaders(values.header),
      sarif: values.sarif,
      summary: values.summary,
    });
  const report = await refreshCatalog({
    contentDir: contentDirFrom(values.content),
    timeoutMs: parseTimeout(values.timeout),
    today: today(),
    env: process.env,
    headers: parseHeaders(values.header),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const total = (key: 'added' | 'changed' | 'removed') => report.refreshed.reduce((sum, r) => sum + r.result[key].length, 0);
  const lines = [
    '',
    `Refreshed ${report.refreshed.length} server${report.refreshed.length === 1 ? '' : 's'}: ${total('added')} tools added, ${total('changed')} changed, ${total('removed')} removed.`,
  ];
  for (const { slug, result } of report.refreshed) {
    for (const { name, fields } of result.changed) lines.push(`  ${slug}: changed ${JSON.stringify(name)} (${fields.join(', ')})`);
  }
  if (report.skipped.length > 0)
    lines.push(`Skipped ${report.skipped.length}: ${report.skipped.map((s) => `${s.slug} (${s.reason})`).join(', ')}`);
  if (report.failed.length > 0) {
    lines.push(`Failed ${report.failed.length}:`);
    for (const { slug, reason } of report.failed) lines.push(`  ${slug}: ${reason.replace(/\n/g, '\n    ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return report.failed.length > 0 ? 1 : 0;
}

/**
 * `atlas refresh --check`: re-lists every server and compares, writing nothing to the catalogue.
 * Exit 1 on any added, removed or changed tool, or on a server that could not be listed.
 */
async function runCheck(options: {
  contentDir: string;
  timeoutMs: number;
  headers: Record<string, string>;
  sarif: string | undefined;
  summary: string | undefined;
}): Promise<number> {
  const report = await checkCatalog({
    contentDir: options.contentDir,
    today: today(),
    listTools: (server) =>
      listRecorded(server.server.source!, { env: process.env, headers: options.headers, timeoutMs: options.timeoutMs }),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  if (options.sarif) {
    const version =
      (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';
    writeFileAtomic(options.sarif, `${JSON.stringify(driftSarif(report, { version, root: process.cwd() }), null, 2)}\n`);
  }
  if (options.summary) writeFileAtomic(options.summary, driftMarkdown(report));
  process.stdout.write(driftText(report));
  return report.changes.length > 0 || report.failed.length > 0 ? 1 : 0;
}
