import type { AttackId } from '../../../schemas/attack.ts';
import type { Category } from '../../../schemas/risk.ts';
import type { HiddenFinding } from '../../text-safety/hidden.ts';
import type { ArgumentKind } from '../lexicon.ts';
import type { ModelInstructionFinding } from './poisoning.ts';

/** Pass 12, attack patterns: which attacks of the taxonomy the tool's reach exposes it to. */

export function attackPatternsFor(input: {
  category: Category;
  argKinds: ReadonlySet<ArgumentKind>;
  secrets: boolean;
  outbound: boolean;
  openWorld: boolean;
  conflicts: boolean;
  untrustedContent: boolean;
  hidden: Array<{ findings: HiddenFinding[] }>;
  instructions: ModelInstructionFinding[];
}): AttackId[] {
  const ids = new Set<AttackId>();
  const { argKinds } = input;
  if (input.category === 'execute' || argKinds.has('command') || argKinds.has('sql')) ids.add('mcp05');
  if (input.category === 'execute') ids.add('denial-of-wallet');
  if (input.category === 'destructive') {
    ids.add('mcp02');
    ids.add('consent-fatigue');
  }
  if (input.category === 'financial') {
    ids.add('denial-of-wallet');
    ids.add('confused-deputy');
    ids.add('consent-fatigue');
  }
  if (input.secrets) ids.add('mcp01');
  if (argKinds.has('credential')) {
    ids.add('mcp01');
    ids.add('confused-deputy');
  }
  if (argKinds.has('url') || input.outbound || argKinds.has('recipient')) ids.add('argument-exfiltration');
  if (input.openWorld || argKinds.has('url') || input.untrustedContent) ids.add('mcp06');
  if (input.category === 'read' && argKinds.has('path')) ids.add('mcp10');
  if ((input.secrets || argKinds.has('path')) && (input.openWorld || input.outbound || argKinds.has('url'))) ids.add('lethal-trifecta');
  if (input.conflicts) ids.add('mcp03');
  if (input.hidden.length > 0 || input.instructions.length > 0) {
    ids.add('mcp03');
    ids.add('line-jumping');
  }
  if (input.hidden.some((h) => h.findings.some((f) => f.class !== 'ansi-escape'))) ids.add('hidden-unicode');
  if (input.hidden.some((h) => h.findings.some((f) => f.class === 'ansi-escape'))) ids.add('ansi-escape');
  if (input.instructions.some((i) => /tool/i.test(i.match))) ids.add('tool-shadowing');
  return [...ids];
}
