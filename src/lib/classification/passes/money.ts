import {
  CHARGE_COMMITTING_VERBS,
  DRAFT_PATTERN,
  FINANCIAL_NOUNS,
  INCURS_CHARGE_PATTERN,
  MONEY_DESTINATION_WORDS,
  MONEY_DOCUMENT_NOUNS,
  MONEY_MOVING_PATTERN,
  MONEY_VERBS,
} from '../lexicon.ts';
import { words } from '../words.ts';
import type { Reading } from './reading.ts';
import { quote } from './shared.ts';

/** Pass 7, money: moving it or committing a charge, never reading about it (conventions 7 and 12). */
export function applyMoney(r: Reading): void {
  const { evidence, settle, nameWords, nameVerbs, nameVerb, description, lead, leadVerb, args, argKinds, properties } = r;
  const readsMoney = nameVerb?.category === 'read' || (leadVerb?.category === 'read' && !nameVerb);
  const moneyVerb = nameVerbs.find((v) => MONEY_VERBS.has(v.verb));
  // A payment, charge or refund is money moving; an invoice or a quote only once it is committed.
  const moneyNoun = nameWords.find((word) => FINANCIAL_NOUNS.has(word));
  const documentNoun = nameWords.find((word) => MONEY_DOCUMENT_NOUNS.has(word));
  const commits = nameWords.find((word) => CHARGE_COMMITTING_VERBS.has(word));
  const amountArg = args.find((arg) => arg.kind === 'amount');
  const destinationArg = Object.keys(properties).find((name) => words(name).some((word) => MONEY_DESTINATION_WORDS.has(word)));
  const moneyPhrase = MONEY_MOVING_PATTERN.exec(description);
  const chargePhrase = INCURS_CHARGE_PATTERN.exec(description);
  // "Creates a draft invoice": nothing is charged until a later step (convention 12).
  const draft = DRAFT_PATTERN.test(`${nameWords.join(' ')} ${lead}`) && !commits;
  if (!readsMoney && !draft) {
    const money =
      moneyVerb !== undefined
        ? `the name’s verb ${quote(moneyVerb.verb)} moves money`
        : moneyNoun && nameVerb
          ? `the name ${quote(nameVerb.verb)}s ${quote(moneyNoun)}`
          : documentNoun && commits
            ? `the name commits ${quote(documentNoun)} (${quote(commits)})`
            : amountArg && (destinationArg || argKinds.has('recipient'))
              ? `it takes an amount (${quote(amountArg.path)}) and where it goes (${quote(destinationArg ?? 'recipient')})`
              : chargePhrase && nameVerb && nameVerb.category !== 'read'
                ? `the description says it ${quote(chargePhrase[0])}`
                : moneyPhrase && nameVerb && nameVerb.category !== 'read'
                  ? `the description says it ${quote(moneyPhrase[0])}`
                  : undefined;
    if (money) {
      evidence.push({
        kind: 'name',
        match: moneyVerb?.verb ?? moneyNoun ?? documentNoun ?? amountArg?.path ?? chargePhrase?.[0] ?? moneyPhrase?.[0] ?? '',
        detail: `It moves money: ${money}.`,
        suggests: 'financial',
      });
      settle(
        'financial',
        moneyVerb?.verb ?? moneyNoun ?? documentNoun ?? amountArg?.path ?? '',
        `It moves money or commits a charge on purpose: ${money} (rubric, conventions 7 and 12).`,
      );
    }
  }
  if (r.category === 'financial' && (readsMoney || draft) && !moneyVerb) {
    settle(
      readsMoney ? 'read' : 'write',
      nameWords.join(' '),
      readsMoney
        ? 'It reads balances, invoices or charges; reading money moves none (rubric, convention 12).'
        : 'It prepares a draft that charges nobody until a later step: a Write (rubric, convention 12).',
    );
  }
}
