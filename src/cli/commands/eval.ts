import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readCatalog } from '../../lib/catalog/files.ts';
import { formatAgreement, labelSetSchema, measureAgreement, type LabelSet } from '../../lib/classification/agreement.ts';
import type { ToolDefinition } from '../../lib/classification/classify.ts';
import { InputError, UsageError } from '../errors.ts';
import { contentDirFrom } from '../options.ts';

/** One labels file, parsed; a bad entry names the file, the entry and the field. */
function readLabels(file: string): LabelSet {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`--labels ${file}: ${(error as Error).message}`);
  }
  const parsed = labelSetSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `${file}: entry ${JSON.stringify(String(issue.path[0] ?? ''))} › ${issue.path.slice(1).join('.')}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** `atlas eval`: agreement of the classifier with one or more hand-labelled sets. */
export function runEval(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      labels: { type: 'string', multiple: true },
      content: { type: 'string' },
      json: { type: 'boolean' },
      brief: { type: 'boolean' },
      'by-server': { type: 'boolean' },
      'held-out': { type: 'string' },
      'show-held-out': { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.labels || values.labels.length === 0) throw new UsageError('give --labels <file>');
  const labels: LabelSet = {};
  for (const file of values.labels) {
    for (const [key, label] of Object.entries(readLabels(file))) {
      if (Object.hasOwn(labels, key))
        throw new UsageError(`${file}: entry ${JSON.stringify(key)} is labelled in another --labels file too`);
      labels[key] = label;
    }
  }
  const definitions = new Map<string, ToolDefinition>();
  const servers = new Set<string>();
  for (const server of readCatalog(contentDirFrom(values.content))) {
    servers.add(server.server.slug);
    for (const tool of server.tools) definitions.set(`${server.server.slug}/${tool.name}`, tool);
  }
  const heldOut = new Set(
    (values['held-out'] ?? '')
      .split(',')
      .map((slug) => slug.trim())
      .filter(Boolean),
  );
  for (const slug of heldOut)
    if (!servers.has(slug)) throw new UsageError(`--held-out ${JSON.stringify(slug)}: no such server in the catalogue`);
  const report = measureAgreement(labels, definitions);
  if (values.json) {
    // JSON is for scripts: held-out disagreements are left out unless asked for, as in the text.
    const shown = values['show-held-out']
      ? report.disagreements
      : report.disagreements.filter((d) => !heldOut.has(d.key.slice(0, d.key.indexOf('/'))));
    process.stdout.write(`${JSON.stringify({ ...report, heldOut: [...heldOut], disagreements: shown }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(
    formatAgreement(report, {
      evidence: !values.brief,
      byServer: values['by-server'] === true,
      heldOut,
      showHeldOut: values['show-held-out'] === true,
    }),
  );
  return 0;
}
