import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readCatalog } from '../../lib/catalogue/files.ts';
import { formatAgreement, labelSetSchema, measureAgreement } from '../../lib/classification/agreement.ts';
import type { ToolDefinition } from '../../lib/classification/classify.ts';
import { InputError, UsageError } from '../errors.ts';
import { contentDirFrom } from '../options.ts';

/** `atlas eval`: agreement of the classifier with a hand-labelled set. */
export function runEval(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: { labels: { type: 'string' }, content: { type: 'string' }, json: { type: 'boolean' }, brief: { type: 'boolean' } },
    strict: true,
  });
  if (!values.labels) throw new UsageError('give --labels <file>');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(values.labels, 'utf8'));
  } catch (error) {
    throw new InputError(`--labels ${values.labels}: ${(error as Error).message}`);
  }
  const parsed = labelSetSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `${values.labels}: entry ${JSON.stringify(String(issue.path[0] ?? ''))} › ${issue.path.slice(1).join('.')}: ${issue.message}`,
    );
  }
  const definitions = new Map<string, ToolDefinition>();
  for (const server of readCatalog(contentDirFrom(values.content))) {
    for (const tool of server.tools) definitions.set(`${server.server.slug}/${tool.name}`, tool);
  }
  const report = measureAgreement(parsed.data, definitions);
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatAgreement(report, { evidence: !values.brief }));
  return 0;
}
