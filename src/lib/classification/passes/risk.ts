import type { Category, Risk } from '../../../schemas/risk.ts';
import type { ArgumentKind } from '../lexicon.ts';
import { quote } from './shared.ts';

/** Pass 10, risk: the rubric's risk for the category, with the reason the definition makes concrete. */

export interface Reach {
  argKinds: ReadonlySet<ArgumentKind>;
  /** Set only for a Read whose purpose or output is secrets. */
  secrets: string | undefined;
  outbound: boolean;
  untrustedContent: boolean;
}

/**
 * Risk follows the rubric: Read is Low (Medium when it returns secrets), Write Medium,
 * Execute High, Destructive and Financial Critical. The reason names what in the
 * definition makes the risk concrete; poisoning can raise it further.
 */
export function riskFor(category: Category, reach: Reach): { risk: Risk; reason: string } {
  const { argKinds } = reach;
  switch (category) {
    case 'read':
      if (reach.secrets)
        return {
          risk: 'medium',
          reason: `it returns secrets (${quote(reach.secrets)}), which an injected prompt can then send elsewhere`,
        };
      if (argKinds.has('path'))
        return {
          risk: 'low',
          reason: 'it changes nothing, though the caller chooses which file it reads, so keep it to the files the task needs',
        };
      if (argKinds.has('url'))
        return {
          risk: 'low',
          reason: 'it changes nothing, though the caller chooses the URL it fetches, which can reach internal services',
        };
      if (reach.untrustedContent)
        return {
          risk: 'low',
          reason: 'it changes nothing, though it returns content written by outsiders, which can carry instructions the model may follow',
        };
      return { risk: 'low', reason: 'it only returns data, though even reads get a limit against runaway loops' };
    case 'write':
      if (reach.outbound || argKinds.has('recipient'))
        return {
          risk: 'medium',
          reason: 'its changes persist, and it sends data out, so an injected prompt can use it to exfiltrate what the agent can read',
        };
      if (argKinds.has('path') || argKinds.has('url'))
        return {
          risk: 'medium',
          reason: `its changes persist, and the caller chooses ${argKinds.has('path') ? 'the path it writes to' : 'the URL it acts on'}, so the change can land outside what the user intended`,
        };
      return { risk: 'medium', reason: 'its changes persist beyond the conversation, though they can be reversed' };
    case 'execute':
      if (argKinds.has('command'))
        return {
          risk: 'high',
          reason: 'it runs a shell command the caller supplies: command injection gives an attacker the server’s full authority',
        };
      return {
        risk: 'high',
        reason: `it runs ${argKinds.has('sql') ? 'a query' : 'code'} the caller supplies, so an injected prompt chooses what runs`,
      };
    case 'destructive':
      return { risk: 'critical', reason: 'it deletes or overwrites, and neither the agent nor a gateway can undo that' };
    case 'financial':
      return {
        risk: 'critical',
        reason: argKinds.has('amount')
          ? 'it moves money in an amount the caller chooses'
          : 'it moves money or incurs a charge on the user’s behalf',
      };
  }
}
