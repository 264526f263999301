import type { Category } from '../../../schemas/risk.ts';
import type { Evidence } from '../../../schemas/tool.ts';
import { COMPOUND_VERBS, DESCRIPTION_PHRASES, HTTP_METHODS } from '../lexicon.ts';
import { firstSentence, verbObject, words } from '../words.ts';
import { quote, verbCategory, verbMeaning, type ToolDefinition } from './shared.ts';

/** Pass 2, words: the verbs of the name, the description's leading verb and its phrases, as votes. */

export interface VerbHit {
  verb: string;
  category: Category;
}

export interface WordsReading {
  evidence: Evidence[];
  /** Votes per category: the name's first verb 3, a compound's second verb 8, the lead verb 2, phrases by weight. */
  scores: Record<Category, number>;
  nameWords: string[];
  nameVerbs: VerbHit[];
  /** The name's first verb, the strongest signal. */
  nameVerb: VerbHit | undefined;
  description: string;
  /** The description's first sentence. */
  lead: string;
  leadWords: string[];
  leadWord: string | undefined;
  leadVerb: VerbHit | undefined;
  nameAndLead: string[];
  /**
   * What the tool acts on: the objects of the name's verbs and of the description's leading verb
   * (the whole name when it has no verb). Conventions that lower a category check these words only.
   */
  actedOn: string[];
  /** The name's verbs and the lead verb. */
  verbsSaid: VerbHit[];
}

export function readWords(tool: ToolDefinition): WordsReading {
  const evidence: Evidence[] = [];
  const scores: Record<Category, number> = { read: 0, write: 0, execute: 0, destructive: 0, financial: 0 };
  const vote = (category: Category, weight: number) => {
    scores[category] += weight;
  };

  // Verbs anywhere in the name (verb-last names such as `issue_read` too); the first is the strongest.
  const nameWords = words(tool.name);
  const nameVerbs: Array<{ verb: string; category: Category }> = [];
  let nameVerb: { verb: string; category: Category } | undefined;
  let previousWasVerb = false;
  for (const [index, word] of nameWords.entries()) {
    if (word === 'and' || word === 'or' || word === 'then') continue;
    // Names use a verb's base form: `logs` and `invoices` in a name are nouns, not "logs" and "invoices".
    const hit = verbCategory(word, { inflected: index === 0 });
    // An HTTP method before another verb is transport (`post_search` searches; rubric, convention 6).
    if (hit && HTTP_METHODS.has(word) && nameWords[index + 1] !== undefined && verbCategory(nameWords[index + 1]!, { inflected: false }))
      continue;
    const compound: boolean = previousWasVerb && hit !== undefined && COMPOUND_VERBS.has(hit.verb);
    previousWasVerb = hit !== undefined && (nameVerb === undefined || compound);
    if (!hit) continue;
    nameVerbs.push(hit);
    // The second verb of a compound (`find_replace`) names the effect that matters.
    const weight = compound ? 8 : nameVerb ? 1 : 3;
    nameVerb ??= hit;
    vote(hit.category, weight);
    evidence.push({
      kind: 'name',
      match: word,
      detail: `The name contains the verb ${quote(hit.verb)}, which ${verbMeaning(hit.category)}.`,
      suggests: hit.category,
    });
  }

  // The description: its leading verb, then known phrases.
  const description = tool.description ?? '';
  const lead = firstSentence(description);
  const leadWords = words(lead);
  const leadWord = leadWords[0];
  const leadVerb = leadWord ? verbCategory(leadWord) : undefined;
  if (leadVerb) {
    vote(leadVerb.category, 2);
    evidence.push({
      kind: 'description',
      match: lead.slice(0, 120),
      detail: `The description opens with ${quote(leadWord!)}, which ${verbMeaning(leadVerb.category)}.`,
      suggests: leadVerb.category,
    });
  }
  for (const phrase of DESCRIPTION_PHRASES) {
    const match = phrase.pattern.exec(description);
    if (!match) continue;
    vote(phrase.suggests, phrase.weight);
    evidence.push({
      kind: 'description',
      match: match[0].slice(0, 120),
      detail: `The description ${phrase.why}: ${quote(match[0].trim().slice(0, 120))}.`,
      suggests: phrase.suggests,
    });
  }

  const actedOn: string[] = [];
  nameWords.forEach((word, index) => {
    if (!verbCategory(word, { inflected: index === 0 })) return;
    const object = verbObject(nameWords, index);
    // A verb-last name (`issue_read`, `usage_stats`) acts on the words before its verb.
    actedOn.push(...(object.length > 0 ? object : nameWords.slice(0, index)));
  });
  if (nameVerbs.length === 0) actedOn.push(...nameWords);
  if (leadVerb) actedOn.push(...verbObject(leadWords, 0));
  return {
    evidence,
    scores,
    nameWords,
    nameVerbs,
    nameVerb,
    description,
    lead,
    leadWords,
    leadWord,
    leadVerb,
    nameAndLead: [...nameWords, ...leadWords],
    actedOn,
    verbsSaid: [...nameVerbs, ...(leadVerb ? [leadVerb] : [])],
  };
}
