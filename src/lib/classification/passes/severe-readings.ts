import type { ServerContext, SevereReading } from '../fail-closed.ts';
import { EPHEMERAL_OBJECTS, KEEPS_CONTENT_PATTERN, MONEY_VERBS, TRACKED_CHANGE_PATTERN } from '../lexicon.ts';
import type { ConventionFacts } from './conventions.ts';
import type { Reading } from './reading.ts';
import { quote } from './shared.ts';

/**
 * Pass 8, fail closed (convention 13): readings more severe than the category, from the name, the
 * description and the annotations. The category stays the best judgement; the policy uses these.
 */
export function severeReadings(r: Reading, facts: ConventionFacts, context: ServerContext): SevereReading[] {
  const { tool, nameVerbs, description, leadWord, leadVerb, actedOn, properties } = r;
  const { endsRunningState } = facts;
  const hints = tool.annotations ?? {};
  const readings: SevereReading[] = [];
  // A removal the rubric itself defines by its object (a captured buffer, a wrapper that keeps its
  // content, a tracked deletion, an ending process) is not a delete however the verb reads.
  const definedByItsObject =
    actedOn.some((word) => EPHEMERAL_OBJECTS.has(word)) ||
    endsRunningState ||
    KEEPS_CONTENT_PATTERN.test(description) ||
    (TRACKED_CHANGE_PATTERN.test(description) && !Object.keys(properties).some((name) => /^track(ed|_?changes)?$/i.test(name)));
  const severeNameVerb = nameVerbs.find((v) => v.category === 'destructive');
  if (severeNameVerb && !definedByItsObject) {
    readings.push({
      category: 'destructive',
      reason: `Its name says ${quote(severeNameVerb.verb)}, and no convention names what it removes as temporary.`,
    });
  }
  if (leadVerb?.category === 'destructive' && !definedByItsObject) {
    readings.push({ category: 'destructive', reason: `Its description opens with ${quote(leadWord!)}.` });
  }
  const moneyNameVerb = nameVerbs.find((v) => MONEY_VERBS.has(v.verb));
  if (moneyNameVerb) readings.push({ category: 'financial', reason: `Its name says ${quote(moneyNameVerb.verb)}, which moves money.` });
  if (hints.destructiveHint === true && !context.destructiveHintOnEveryChangingTool) {
    readings.push({
      category: 'destructive',
      reason:
        'The server annotates it destructiveHint: true, more danger than the definition shows; the hint holds until a person checks it.',
    });
  }

  return readings;
}
