import { parseArgs } from 'node:util';
import { HelpRequested } from '../errors.ts';
import { COMMON_OPTIONS, contentDirFrom, parseHeaders, parseTimeout, today } from '../options.ts';
import { refreshCatalog } from '../sources.ts';

/** `atlas refresh`: re-import every server whose recorded source can be re-run. */
export async function runRefresh(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: COMMON_OPTIONS,
    strict: true,
  });
  if (values.help) throw new HelpRequested();
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
