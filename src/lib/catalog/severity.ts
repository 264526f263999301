import { findDangerousArguments, findHiddenInDefinition, findModelInstructions, type ToolDefinition } from '../classification/classify.ts';
import { ARGUMENT_KIND_LABELS } from '../classification/lexicon.ts';
import { CATEGORY_LABELS, RISK_LEVELS, type Category, type Risk } from '../../schemas/risk.ts';
import type { CatalogTool, Classification } from '../../schemas/tool.ts';
import { findHidden } from '../text-safety/hidden.ts';
import { plainLine } from '../text-safety/text.ts';

/**
 * How serious a change to a tool is, by what it means for someone who already allowed the
 * tool. High: the definition now talks to the model or hides characters, gained an argument
 * or option that runs code or destroys, or its category became more severe. Medium: the
 * arguments, annotations or risk changed in another way, or a new tool appeared. Low: wording,
 * or a tool went away. The importer records it with each change; `refresh --check`, SARIF,
 * /changes/ and the feeds all read it from here.
 */

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

export interface Assessment {
  severity: Severity;
  /** One sentence per reason, most serious first. */
  reasons: string[];
}

/** Execute and Destructive share a rank with Financial at the top: a move between them is not "more severe". */
const CATEGORY_RANK: Record<Category, number> = { read: 0, write: 1, execute: 2, destructive: 3, financial: 3 };
const CODE_RUNNING_KINDS = new Set(['command', 'code', 'sql']);
const SEVERE_SUGGESTIONS = new Set<Category>(['execute', 'destructive', 'financial']);
const quoted = (text: string) => JSON.stringify(plainLine(text).slice(0, 80));

type Definition = ToolDefinition & Partial<Pick<CatalogTool, 'outputSchema'>>;

function hiddenCount(tool: Definition): Map<string, number> {
  return new Map(findHiddenInDefinition(tool).map(({ field, findings }) => [field, findings.reduce((sum, f) => sum + f.count, 0)]));
}

export function assessChange(
  before: Definition,
  after: Definition,
  classification: {
    before: Pick<Classification, 'category' | 'risk' | 'evidence'>;
    after: Pick<Classification, 'category' | 'risk' | 'evidence'>;
  },
): Assessment {
  const high: string[] = [];
  const medium: string[] = [];
  const low: string[] = [];

  const earlierInstructions = new Set(findModelInstructions(before).map((f) => `${f.field}\n${f.why}`));
  for (const finding of findModelInstructions(after)) {
    if (!earlierInstructions.has(`${finding.field}\n${finding.why}`))
      high.push(`The ${finding.field} gained instructions to the model (${quoted(finding.match)}: ${finding.why}).`);
  }
  const earlierHidden = hiddenCount(before);
  for (const [field, count] of hiddenCount(after)) {
    if (count > (earlierHidden.get(field) ?? 0))
      high.push(`The ${field} gained hidden characters (${count - (earlierHidden.get(field) ?? 0)}).`);
  }
  const earlierArguments = new Set(findDangerousArguments(before.inputSchema).map((a) => `${a.path}\n${a.kind}`));
  for (const argument of findDangerousArguments(after.inputSchema)) {
    if (CODE_RUNNING_KINDS.has(argument.kind) && !earlierArguments.has(`${argument.path}\n${argument.kind}`))
      high.push(`It gained the argument ${quoted(argument.path)}, ${ARGUMENT_KIND_LABELS[argument.kind]}.`);
  }
  const earlierOptions = new Set(
    classification.before.evidence.filter((e) => e.kind === 'argument').map((e) => `${e.match}\n${e.suggests}`),
  );
  for (const evidence of classification.after.evidence) {
    if (evidence.kind !== 'argument' || !evidence.suggests || !SEVERE_SUGGESTIONS.has(evidence.suggests)) continue;
    if (!earlierOptions.has(`${evidence.match}\n${evidence.suggests}`))
      high.push(`It gained an option that makes it ${CATEGORY_LABELS[evidence.suggests]}: ${quoted(evidence.match)}.`);
  }
  const { before: was, after: now } = classification;
  if (CATEGORY_RANK[now.category] > CATEGORY_RANK[was.category])
    high.push(`Its category became more severe: ${CATEGORY_LABELS[was.category]} → ${CATEGORY_LABELS[now.category]}.`);
  else if (RISK_LEVELS.indexOf(now.risk) > RISK_LEVELS.indexOf(was.risk)) medium.push(`Its risk rose: ${was.risk} → ${now.risk}.`);

  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(before.inputSchema, after.inputSchema)) medium.push('Its arguments changed.');
  if (!same(before.annotations, after.annotations)) medium.push('Its annotations changed.');
  if (!same(before.outputSchema, after.outputSchema)) medium.push('Its output schema changed.');
  if (before.description !== after.description) low.push('Its description was reworded.');
  if (before.title !== after.title) low.push('Its title changed.');

  // Several findings can name the same thing; say each once.
  const reasons = [...new Set([...high, ...medium, ...low])];
  const severity: Severity = high.length > 0 ? 'high' : medium.length > 0 ? 'medium' : 'low';
  return { severity, reasons: reasons.length > 0 ? reasons : ['Its definition changed.'] };
}

/** A tool that appeared: serious if it is High or Critical, or poisoned. */
export function assessAdded(classification: Pick<Classification, 'risk' | 'category' | 'evidence'>): Assessment {
  const poisoned = classification.evidence.some((e) => e.kind === 'hidden-characters' || e.kind === 'model-instruction');
  const risky = RISK_LEVELS.indexOf(classification.risk) >= RISK_LEVELS.indexOf('high' as Risk);
  const reasons = [
    ...(poisoned ? ['The new tool hides characters or gives the model instructions.'] : []),
    ...(risky ? [`The new tool is ${CATEGORY_LABELS[classification.category]}, risk ${classification.risk}.`] : []),
  ];
  return reasons.length > 0
    ? { severity: 'high', reasons }
    : { severity: 'medium', reasons: [`A new ${CATEGORY_LABELS[classification.category]} tool, risk ${classification.risk}.`] };
}

export const assessRemoved = (): Assessment => ({ severity: 'low', reasons: ['The server no longer lists the tool.'] });

/**
 * The severity of a change recorded before severities were: what the history still holds (the
 * fields that changed and the old description) against the tool as it is now.
 */
export function assessRecorded(
  change: {
    fields: readonly string[];
    previousDescription?: string | undefined;
    severity?: Severity | undefined;
    reasons?: readonly string[] | undefined;
  },
  tool: Pick<CatalogTool, 'description'>,
): Assessment {
  if (change.severity) return { severity: change.severity, reasons: [...(change.reasons ?? [])] };
  if (change.previousDescription !== undefined && tool.description !== undefined) {
    const stub = { inputSchema: { type: 'object' as const } };
    const before = findModelInstructions({ ...stub, name: '', description: change.previousDescription }).length;
    const after = findModelInstructions({ ...stub, name: '', description: tool.description }).length;
    if (after > before) return { severity: 'high', reasons: ['The description gained instructions to the model.'] };
    const hidden = (text: string) => findHidden(text).reduce((sum, f) => sum + f.count, 0);
    if (hidden(tool.description) > hidden(change.previousDescription))
      return { severity: 'high', reasons: ['The description gained hidden characters.'] };
  }
  if (change.fields.some((field) => field !== 'description' && field !== 'title'))
    return { severity: 'medium', reasons: [`Changed: ${change.fields.join(', ')}.`] };
  return { severity: 'low', reasons: ['Wording changed.'] };
}
