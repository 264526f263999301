import type { Policy } from '../../schemas/policy.ts';
import { CATEGORY_SUMMARIES, RISK_LABELS, categoryNoun, type Category, type Risk } from '../../schemas/risk.ts';
import { describePolicyFor, policyAtAGlance, type PolicyAlternative } from './recommend.ts';

export interface FaqItem {
  question: string;
  answer: string;
}

export interface FaqInput {
  /** The exact name, as the policy keys it. */
  name: string;
  /** The name as shown to a reader, hidden characters revealed. */
  displayName: string;
  serverName: string;
  category: Category;
  risk: Risk;
  rationale: readonly string[];
  conflicts: readonly string[];
  attackTitles: readonly string[];
  policy: Policy;
  alternatives: readonly PolicyAlternative[];
}

/**
 * Questions a reader asks about a tool, answered from the same policy object the page
 * shows, so the FAQ and the policy block cannot disagree.
 */
export function toolFaq(input: FaqInput): FaqItem[] {
  const { name, displayName: shown } = input;
  const items: FaqItem[] = [
    {
      question: `What does ${shown} do?`,
      answer: `${shown} is ${categoryNoun(input.category)} on ${input.serverName}: it ${CATEGORY_SUMMARIES[input.category]}.`,
    },
    {
      question: `How risky is ${shown}?`,
      // The deciding sentences; the page's "Why it needs a policy" has the rest.
      answer: `${RISK_LABELS[input.risk]}. ${input.rationale.slice(0, 2).join(' ')}`,
    },
    {
      question: `What gateway policy should I use for ${shown}?`,
      // The at-a-glance line of the same policy; the page's policy block spells out every check.
      answer: `The recommended policy.json, under default deny: ${policyAtAGlance(input.policy, name).text}.`,
    },
  ];
  const hide = input.alternatives.find((alternative) => alternative.id === 'hide');
  if (hide) {
    items.push({
      question: `How do I block ${shown} completely?`,
      answer: describePolicyFor(hide.policy, name, shown, `The "${hide.title}" alternative`).join(' '),
    });
  } else {
    const allow = input.alternatives.find((alternative) => alternative.id === 'allow-with-conditions');
    if (allow)
      items.push({
        question: `What if an agent really needs ${shown}?`,
        answer: `${allow.summary} ${describePolicyFor(allow.policy, name, shown, `The "${allow.title}" alternative`).join(' ')}`,
      });
  }
  if (input.attackTitles.length > 0) {
    items.push({ question: `Which attacks apply to ${shown}?`, answer: `${input.attackTitles.join('; ')}.` });
  }
  if (input.conflicts.length > 0) {
    items.push({ question: `Can I trust the annotations of ${shown}?`, answer: `No. ${input.conflicts.join(' ')}` });
  }
  return items;
}

/** FAQPage structured data (schema.org). */
export function faqJsonLd(items: readonly FaqItem[]): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'FAQPage',
    mainEntity: items.map((item) => ({
      '@type': 'Question',
      name: item.question,
      acceptedAnswer: { '@type': 'Answer', text: item.answer },
    })),
  };
}

/** JSON safe to place inside a <script> element: no "</script>", no HTML comment openers. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
