import { parseArgs } from 'node:util';
import type { ImportResult } from '../../lib/catalog/importer.ts';
import { HelpRequested, UsageError } from '../errors.ts';
import { COMMON_OPTIONS, contentDirFrom, parseEnv, parseHeaders, parseTimeout, today } from '../options.ts';
import { importFromSource, type SourceSpec } from '../sources.ts';

/** `atlas import`: add or refresh one server from a saved or live tools/list. */
export async function runImport(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      file: { type: 'string' },
      stdio: { type: 'string' },
      http: { type: 'string' },
      server: { type: 'string' },
      env: { type: 'string', multiple: true, default: [] },
      ...COMMON_OPTIONS,
    },
    strict: true,
  });
  if (values.help) throw new HelpRequested();
  const given = [values.file, values.stdio, values.http].filter((v) => v !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one source: --file, --stdio or --http');
  const spec: SourceSpec = values.file
    ? { kind: 'file', file: values.file }
    : values.stdio
      ? { kind: 'stdio', commandLine: values.stdio, env: parseEnv(values.env) }
      : { kind: 'http', url: values.http!, headers: parseHeaders(values.header) };
  const result = await importFromSource(spec, {
    contentDir: contentDirFrom(values.content),
    slug: values.server,
    timeoutMs: parseTimeout(values.timeout),
    today: today(),
  });
  process.stdout.write(`${formatImportSummary(result)}\n`);
  return 0;
}

export function formatImportSummary(result: ImportResult): string {
  const lines = [
    `Imported ${result.slug} → ${result.file}`,
    `  ${result.added.length} added, ${result.changed.length} changed, ${result.removed.length} removed, ${result.unchanged} unchanged`,
  ];
  for (const { name, fields } of result.changed) lines.push(`  changed: ${JSON.stringify(name)} (${fields.join(', ')})`);
  for (const name of result.removed) lines.push(`  removed: ${JSON.stringify(name)}`);
  for (const clash of result.clashes) {
    lines.push(
      `  slug clash: ${JSON.stringify(clash.name)} and ${JSON.stringify(clash.clashesWith)} slug alike; ${JSON.stringify(clash.name)} gets /${clash.slug}/`,
    );
  }
  return lines.join('\n');
}
