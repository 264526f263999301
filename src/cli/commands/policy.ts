import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseServerFile, serversDir } from '../../lib/catalog/files.ts';
import { exportFor } from '../../lib/policy/exports/index.ts';
import { rootProblem } from '../../lib/policy/patterns.ts';
import { recommendedBundle } from '../../lib/scan/summary.ts';
import { EXPORT_IDS, type ExportId } from '../../schemas/export-ids.ts';
import { InputError, UsageError } from '../errors.ts';
import { contentDirFrom } from '../options.ts';

/**
 * `atlas policy`: a server's recommended policy bundle, in any export format, optionally with
 * a root. Without --root a path argument must be a relative path inside the workspace; with
 * --root /srv/work it must be an absolute path under that folder (same segment rules), which
 * is the form a tool that asks for absolute paths needs. Exit 2 for bad input.
 */
export function runPolicy(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      server: { type: 'string' },
      root: { type: 'string' },
      format: { type: 'string', default: 'policy-json' },
      out: { type: 'string' },
      content: { type: 'string' },
    },
    strict: true,
  });
  if (!values.server) throw new UsageError('give --server <slug>');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(values.server)) throw new UsageError('--server takes a catalogue slug (lower-case letters, digits, -)');
  const format = values.format as ExportId;
  if (!EXPORT_IDS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_IDS.join(', ')}`);
  if (values.root !== undefined) {
    const problem = rootProblem(values.root);
    if (problem) throw new InputError(`--root ${JSON.stringify(values.root)}: ${problem}`);
  }
  const file = join(serversDir(contentDirFrom(values.content)), `${values.server}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const server = parseServerFile(file, text, values.server);
  const policy = recommendedBundle(server, { root: values.root });
  const tools = server.tools.filter((tool) => !tool.history?.removedOn).map((tool) => tool.name);
  const result = exportFor(format, { server: values.server, policy, tools });
  if (values.out) {
    // Written beside the target and renamed over it, so a reader never sees half a file.
    const staging = `${values.out}.${process.pid}.tmp`;
    writeFileSync(staging, result.text);
    renameSync(staging, values.out);
  } else process.stdout.write(result.text);
  for (const note of result.notes) process.stderr.write(`note: ${note}\n`);
  return 0;
}
