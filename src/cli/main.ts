import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { ContentError } from '../lib/catalogue/files.ts';
import type { ImportResult } from '../lib/catalogue/importer.ts';
import { LiveImportError } from '../lib/catalogue/live-import.ts';
import { generateCatalog } from '../lib/catalogue/generate.ts';
import { runBench } from './bench.ts';
import { runCheck } from './check.ts';
import { runEval, runReview } from './review.ts';
import { importFromSource, refreshCatalog, type SourceSpec } from './sources.ts';

const USAGE = `Usage: atlas <command> [options]

Commands:
  import   Add or refresh one server from its tools/list, classified.
           One source:
             --file <tools-list.json>    a saved tools/list result
             --stdio "<command line>"    a live server started over stdio
             --http <url>                a live server over streamable HTTP
           Options:
             --server <slug>             file it under this slug (default: from the server's name)
             --env KEY=VALUE | KEY       environment for a stdio server (repeatable; KEY alone passes yours)
             --header "Name: value"      HTTP header, e.g. Authorization (repeatable)
             --timeout <seconds>         give up on a silent server after this long (default 30)
  refresh  Re-import every server whose recorded source can be re-run, then report.
           Options: --timeout, --header (for HTTP servers that need one); stdio servers get
           the environment variables they were imported with from your environment.

  check    --policy <file> --tool <name> [--args '<json>'] [--prior N] [--json]
           Decide one call against a policy file as a gateway would, and say why.
           --prior N counts N earlier calls in the current window (to test limits).
           Exit 0 allowed, 1 denied or hidden, 2 bad input.
  eval     --labels <file> [--content <dir>] [--json]
           Classify every hand-labelled tool (labels keyed "<server>/<tool>") from the
           catalogue's definitions; print category and risk agreement, confusion matrices
           and each disagreement with the evidence the classifier used.
  review   [--server <slug>] [--json]
           List the tools a person should look at: low confidence, evidence that disagrees,
           annotations that conflict, or a definition changed since it was reviewed.
           --accept <server>/<tool> [--reason "<why>"]
                                       record that a person confirmed the classification
           --set <server>/<tool> category=<c> risk=<r> --reason "<why>"
                                       record a person's own category and risk
           Decisions are written into the server's content file (atomically) and kept by
           re-imports; the tool's page shows who decided and when.

  generate --tools N --servers M [--seed S] --out <dir>
           Write a synthetic catalogue (deterministic from the seed) in the importer's format.
           Build it with: ATLAS_CONTENT=<dir> npm run build
  bench    [--sizes 1000,5000,31000] [--seed S] [--out bench-out] [--results <file>]
           Generate catalogues of each size, build each from clean, print a table of phase
           times, peak memory per process, page weight and growth.

Common options:
  --content <dir>   catalogue folder (default: $ATLAS_CONTENT or ./content)
  -h, --help        show this help

Examples:
  npx atlas import --file ./tools-list.json --server my-server
  npx atlas import --stdio "npx -y @modelcontextprotocol/server-memory"
  npx atlas import --http https://mcp.example.com/mcp --header "Authorization: Bearer $TOKEN"
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

export class UsageError extends Error {}
/** Bad input data (a file, a field): exit 2 with the problem, without the usage text. */
export class InputError extends Error {}

function parseEnv(entries: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const name = eq === -1 ? entry : entry.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--env ${JSON.stringify(entry)}: expected KEY=VALUE or KEY`);
    const value = eq === -1 ? process.env[name] : entry.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--env ${name}: not set in your environment`);
    env[name] = value;
  }
  return env;
}

function parseHeaders(entries: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header ${JSON.stringify(entry)}: expected "Name: value"`);
    headers[entry.slice(0, colon).trim()] = entry.slice(colon + 1).trim();
  }
  return headers;
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 30_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout ${JSON.stringify(value)}: expected a number of seconds`);
  return seconds * 1000;
}

const contentDirFrom = (value: string | undefined) => value ?? process.env['ATLAS_CONTENT'] ?? 'content';

/** Options `import` and `refresh` share. */
const COMMON_OPTIONS = {
  content: { type: 'string' as const },
  header: { type: 'string' as const, multiple: true as const, default: [] as string[] },
  timeout: { type: 'string' as const },
  help: { type: 'boolean' as const, short: 'h' },
} satisfies ParseArgsOptionsConfig;

async function runImport(argv: string[]): Promise<number> {
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
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
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

function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a positive whole number`);
  return n;
}

async function runGenerate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { tools: { type: 'string' }, servers: { type: 'string' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } },
    strict: true,
  });
  if (!values.out) throw new UsageError('give --out <dir>');
  const tools = positiveInt('tools', values.tools);
  const servers = positiveInt('servers', values.servers);
  if (servers > tools) throw new UsageError('--servers cannot exceed --tools');
  const started = performance.now();
  const result = generateCatalog({ tools, servers, seed: Number(values.seed), out: values.out });
  process.stdout.write(
    `Generated ${result.tools} tools over ${result.servers} servers in ${values.out} (${((performance.now() - started) / 1000).toFixed(1)}s)\n`,
  );
  return 0;
}

async function runBenchCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '1000,5000,31000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'bench-out' },
      results: { type: 'string' },
    },
    strict: true,
  });
  const sizes = values.sizes.split(',').map((size) => positiveInt('sizes', size.trim()));
  const report = await runBench({
    sizes,
    // Public catalogues hold about 4,600 servers for 31,000 tools.
    serversPerTool: 4600 / 31000,
    seed: Number(values.seed),
    out: values.out,
    results: values.results,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`\n${report}`);
  return 0;
}

async function runRefresh(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: COMMON_OPTIONS,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
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

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'import':
        return await runImport(rest);
      case 'refresh':
        return await runRefresh(rest);
      case 'generate':
        return await runGenerate(rest);
      case 'check':
        return runCheck(rest);
      case 'eval':
        return runEval(rest, contentDirFrom);
      case 'review':
        return runReview(rest, contentDirFrom, today());
      case 'bench':
        return await runBenchCommand(rest);
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
    if (error instanceof ContentError || error instanceof LiveImportError) {
      process.stderr.write(`atlas ${command}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof InputError) {
      process.stderr.write(`atlas ${command}: ${error.message}\n`);
      return 2;
    }
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`atlas ${command}: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
