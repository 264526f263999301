import { parseArgs } from 'node:util';
import { readCatalog } from '../../lib/catalog/files.ts';
import { parseReviewTarget, recordReview } from '../../lib/catalog/review-file.ts';
import { REVIEW_REASON_LABELS, reviewNeeds, type ReviewReason } from '../../lib/classification/review.ts';
import { CATEGORIES, CATEGORY_LABELS, RISK_LABELS, RISK_LEVELS, type Category, type Risk } from '../../schemas/risk.ts';
import { UsageError } from '../errors.ts';
import { contentDirFrom, today } from '../options.ts';

function parseSetting(entries: readonly string[]): { category: Category; risk: Risk } {
  const setting: Partial<{ category: Category; risk: Risk }> = {};
  for (const entry of entries) {
    const [key, value = ''] = entry.split('=', 2);
    const normal = value.toLowerCase();
    if (key === 'category' && (CATEGORIES as readonly string[]).includes(normal)) setting.category = normal as Category;
    else if (key === 'risk' && (RISK_LEVELS as readonly string[]).includes(normal)) setting.risk = normal as Risk;
    else throw new UsageError(`${JSON.stringify(entry)}: expected category=<${CATEGORIES.join('|')}> or risk=<${RISK_LEVELS.join('|')}>`);
  }
  if (!setting.category || !setting.risk) throw new UsageError('--set needs both category=<c> and risk=<r>');
  return { category: setting.category, risk: setting.risk };
}

/** `atlas review`: the review queue, or a person's decision recorded in the catalogue. */
export function runReview(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      server: { type: 'string' },
      accept: { type: 'string' },
      set: { type: 'string' },
      reason: { type: 'string' },
      content: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const contentDir = contentDirFrom(values.content);
  if (values.accept !== undefined && values.set !== undefined) throw new UsageError('give --accept or --set, not both');
  if (values.accept !== undefined || values.set !== undefined) {
    const target = parseTarget(values.accept ?? values.set!);
    const set = values.set !== undefined ? parseSetting(positionals) : undefined;
    if (set && !values.reason) throw new UsageError('--set needs --reason "<why>"');
    if (!set && positionals.length > 0)
      throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}; category=… and risk=… go with --set`);
    const { file, tool } = recordReview(contentDir, target, { on: today(), ...(set ? { set } : {}), reason: values.reason });
    const review = tool.review!;
    process.stdout.write(
      `${review.decision === 'set' ? 'Set' : 'Accepted'} ${JSON.stringify(tool.name)}: ${CATEGORY_LABELS[review.category]} / ${RISK_LABELS[review.risk]} (reviewed on ${review.on}) → ${file}\n`,
    );
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}`);
  const rows: Array<{ id: string; category: Category; risk: Risk; confidence: number; reasons: ReviewReason[]; details: string[] }> = [];
  for (const server of readCatalog(contentDir)) {
    if (values.server && server.server.slug !== values.server) continue;
    for (const tool of server.tools) {
      const need = reviewNeeds(tool);
      if (!need) continue;
      const c = tool.classification;
      rows.push({
        id: `${server.server.slug}/${tool.name}`,
        category: c.category,
        risk: c.risk,
        confidence: c.confidence,
        reasons: need.reasons,
        details: need.details,
      });
    }
  }
  // Tools whose policy fails closed first (a stable sort keeps the catalogue order otherwise).
  rows.sort((a, b) => Number(b.reasons.includes('fails-closed')) - Number(a.reasons.includes('fails-closed')));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const lines = [`${rows.length} tool${rows.length === 1 ? '' : 's'} to review${values.server ? ` on ${values.server}` : ''}`];
  for (const row of rows) {
    lines.push(
      '',
      `${JSON.stringify(row.id)}  ${CATEGORY_LABELS[row.category]}/${RISK_LABELS[row.risk]}, confidence ${row.confidence.toFixed(2)}: ${row.reasons.map((r) => REVIEW_REASON_LABELS[r]).join('; ')}`,
    );
    for (const detail of row.details) lines.push(`    ${detail}`);
  }
  if (rows.length > 0) lines.push('', 'Accept with: npx atlas review --accept <server>/<tool>');
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function parseTarget(text: string) {
  try {
    return parseReviewTarget(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
