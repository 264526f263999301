import { CATEGORY_LABELS, maxRisk } from '../../schemas/risk.ts';
import type { Classification } from '../../schemas/tool.ts';
import { HIDDEN_CLASS_LABELS } from '../text-safety/hidden.ts';
import { LONG_DESCRIPTION, OUTBOUND_VERBS, SECRET_HEADERS_PATTERN, SECRET_PATTERN, UNTRUSTED_CONTENT_PATTERN } from './lexicon.ts';
import { failClosedTreatment, type ServerContext } from './fail-closed.ts';
import { findCode } from './passes/code.ts';
import { applyConventions } from './passes/conventions.ts';
import { attackPatternsFor } from './passes/attacks.ts';
import { applyMoney } from './passes/money.ts';
import { applyOffers } from './passes/offers.ts';
import { findHiddenInDefinition, findModelInstructions } from './passes/poisoning.ts';
import { buildRationale, findDisagreements } from './passes/rationale.ts';
import { startReading } from './passes/reading.ts';
import { riskFor } from './passes/risk.ts';
import { severeReadings } from './passes/severe-readings.ts';
import { round2, quote, type ToolDefinition } from './passes/shared.ts';
import { readWords } from './passes/words.ts';
import { verbStems } from './words.ts';

export { argumentKindOf, findDangerousArguments, type ArgumentFinding } from './passes/arguments.ts';
export { definitionTexts, findHiddenInDefinition, findModelInstructions, type ModelInstructionFinding } from './passes/poisoning.ts';
export { findDisagreements } from './passes/rationale.ts';
export { isRecord, type ToolDefinition } from './passes/shared.ts';

/**
 * Classifies one tool from its definition alone, following the rubric
 * (docs/classification-rubric.md): the words of the name and description give a
 * first reading, the rubric's conventions settle close cases, and what the definition
 * explicitly offers (flags, action values, code that runs, money) raises the category to the
 * most severe thing it can do. Annotations are hints: they never vote, and where they
 * disagree the disagreement is recorded as a conflict.
 */
export function classifyTool(tool: ToolDefinition, context: ServerContext = {}): Classification {
  // The category: each pass reads the definition and may settle the category, leaving evidence.
  const r = startReading(tool, readWords(tool));
  const code = findCode(r);
  const facts = applyConventions(r, code);
  applyOffers(r, code);
  applyMoney(r);
  const treatment = failClosedTreatment(r.category, severeReadings(r, facts, context));

  const { evidence, nameWords, nameVerb, description, lead, argKinds, noSignal, settled, category } = r;
  const hints = tool.annotations ?? {};

  // 9. Annotations: hints from an untrusted server. They never vote; they show agreement or a conflict.
  if (hints.destructiveHint === true) {
    evidence.push({
      kind: 'annotation',
      match: 'destructiveHint: true',
      detail: 'The server marks it destructive (destructiveHint), a hint checked against the definition.',
      suggests: 'destructive',
    });
  }
  if (hints.readOnlyHint === true) {
    evidence.push({
      kind: 'annotation',
      match: 'readOnlyHint: true',
      detail: 'The server marks it read-only (readOnlyHint), a claim the classifier checks against the rest of the definition.',
      suggests: 'read',
    });
  }
  if (hints.openWorldHint === true) {
    evidence.push({
      kind: 'annotation',
      match: 'openWorldHint: true',
      detail: 'The server says it reaches an open world of outside systems (openWorldHint).',
    });
  }

  // 9. Risk, as the rubric sets it for each category.
  // Secrets are the purpose (the name or the lead says so) or the output (headers with cookies or auth).
  const secrets = SECRET_PATTERN.exec(`${nameWords.join(' ')} ${lead}`) ?? SECRET_HEADERS_PATTERN.exec(description);
  const outbound = nameWords.some((word) => verbStems(word).some((stem) => OUTBOUND_VERBS.has(stem)));
  const untrustedContent = UNTRUSTED_CONTENT_PATTERN.exec(`${nameWords.join(' ')} ${lead}`);
  if (untrustedContent && category === 'read') {
    evidence.push({
      kind: 'description',
      match: untrustedContent[0],
      detail: `It returns content from outside (${quote(untrustedContent[0])}), written by whoever controls that source.`,
    });
  }
  const { risk: baseRisk, reason: riskReason } = riskFor(category, {
    argKinds,
    secrets: category === 'read' ? secrets?.[0] : undefined,
    outbound,
    untrustedContent: Boolean(untrustedContent),
  });
  let risk = baseRisk;

  // 10. Annotations that contradict the evidence.
  const conflicts: string[] = [];
  if (hints.readOnlyHint === true && category !== 'read') {
    conflicts.push(
      `Annotated read-only (readOnlyHint), but the ${nameVerb && nameVerb.category === category ? `name's verb ${quote(nameVerb.verb)}` : 'definition'} says it is ${CATEGORY_LABELS[category]}.`,
    );
  }
  if (hints.readOnlyHint === true && secrets) {
    conflicts.push(`Annotated read-only, which reads as harmless, but it exposes ${quote(secrets[0])}: reading secrets is how they leak.`);
  }
  if (hints.readOnlyHint === true && hints.destructiveHint === true) {
    conflicts.push('Annotated both read-only and destructive: the hints contradict each other.');
  }
  if (hints.destructiveHint === false && category === 'destructive') {
    conflicts.push('Annotated non-destructive (destructiveHint: false), but the definition says it deletes or overwrites.');
  }
  if (hints.openWorldHint === false && argKinds.has('url')) {
    conflicts.push('Annotated closed-world (openWorldHint: false), but it takes a URL argument.');
  }
  for (const conflict of conflicts) evidence.push({ kind: 'conflict', match: '', detail: conflict });

  // 11. Tool poisoning: hidden characters and instructions aimed at the model.
  const hidden = findHiddenInDefinition(tool);
  const instructions = findModelInstructions(tool);
  for (const { field, findings, decoded } of hidden) {
    const names = findings.map((f) => `${f.label}${f.count > 1 ? ` ×${f.count}` : ''}`).join(', ');
    evidence.push({
      kind: 'hidden-characters',
      match: names,
      detail: `The ${field} hides ${[...new Set(findings.map((f) => HIDDEN_CLASS_LABELS[f.class]))].join(', ')}: ${names}${decoded ? `; the tag characters spell ${quote(decoded)}` : ''}.`,
    });
  }
  for (const { field, match, why } of instructions) {
    evidence.push({ kind: 'model-instruction', match, detail: `The ${field} ${why}: ${quote(match)}.` });
  }
  const oversized = description.length > LONG_DESCRIPTION;
  if (oversized) {
    evidence.push({
      kind: 'description',
      match: `${description.length} characters`,
      detail: `The description runs to ${description.length.toLocaleString('en')} characters, far more than a tool needs: a long description can bury instructions a reviewer will not read.`,
    });
    risk = maxRisk(risk, 'medium');
  }
  const poisoned = hidden.length > 0 || instructions.length > 0;
  if (poisoned)
    risk = maxRisk(
      risk,
      hidden.some((h) => h.findings.some((f) => f.class === 'tag' || f.class === 'bidi' || f.class === 'ansi-escape')) ||
        instructions.length > 0
        ? 'critical'
        : 'high',
    );

  // 12. Disagreement and confidence: how much of the evidence points the same way.
  const disagreements = findDisagreements(evidence, category);
  // Each independent source (name, description, arguments, a rubric convention) that points to the
  // category adds confidence; each that points elsewhere takes some away.
  const supporting = new Set(evidence.filter((e) => e.suggests === category && e.kind !== 'annotation').map((e) => e.kind));
  let confidence = noSignal ? 0.3 : 0.45 + 0.2 * Math.min(supporting.size, 3) - 0.1 * disagreements.length;
  const annotationAgrees =
    (hints.readOnlyHint === true && category === 'read') || (hints.destructiveHint === true && category === 'destructive');
  if (annotationAgrees) confidence += 0.05;
  if (conflicts.length > 0) confidence = Math.min(confidence, 0.55);
  confidence = round2(Math.min(0.95, Math.max(0.1, confidence)));

  const rationale = buildRationale({
    tool,
    category,
    risk,
    riskReason,
    evidence,
    conflicts,
    settled,
    hidden: hidden.length > 0,
    instructions: instructions.length > 0,
    noSignal,
  });
  const attackPatterns = attackPatternsFor({
    category,
    argKinds,
    secrets: Boolean(secrets),
    outbound,
    openWorld: hints.openWorldHint === true,
    // Contradicting annotations and a buried wall of text are both ways to mislead a reviewer.
    conflicts: conflicts.length > 0 || oversized,
    untrustedContent: category === 'read' && Boolean(untrustedContent),
    hidden,
    instructions,
  });

  return { category, risk, confidence, rationale, evidence, conflicts, disagreements, attackPatterns, ...(treatment ? { treatment } : {}) };
}
