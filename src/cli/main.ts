import { parseArgs } from 'node:util';
import { ContentError } from '../lib/catalog-files.ts';
import { importServer, readToolsListFile, type ImportResult } from '../lib/importer.ts';

const USAGE = `Usage: atlas <command> [options]

Commands:
  import --file <tools-list.json> [--server <slug>] [--content <dir>]
      Classify every tool of a saved tools/list result and write
      <content>/servers/<slug>.json, keeping hand overrides of an earlier import.

Options:
  --content <dir>   catalogue folder (default: $ATLAS_CONTENT or ./content)
  -h, --help        show this help
`;

export function today(): string {
  return new Date().toISOString().slice(0, 10);
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

async function runImport(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      file: { type: 'string' },
      server: { type: 'string' },
      content: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.file) {
    process.stderr.write(`atlas import: give a source with --file <tools-list.json>\n\n${USAGE}`);
    return 2;
  }
  const { tools, server } = readToolsListFile(values.file);
  const result = importServer({
    tools,
    server,
    slug: values.server,
    source: { kind: 'file', file: values.file },
    transport: 'unknown',
    contentDir: values.content ?? process.env['ATLAS_CONTENT'] ?? 'content',
    today: today(),
    origin: values.file,
  });
  process.stdout.write(`${formatImportSummary(result)}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'import':
        return await runImport(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`atlas: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ContentError) {
      process.stderr.write(`atlas ${command}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`atlas ${command}: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
