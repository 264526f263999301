import type { ChangeEvent } from '../lib/catalog/changes.ts';

/** One line of /changes/: a change to read, a later addition, or a server's first import as one line. */
export type DigestEntry =
  | { kind: 'changed' | 'removed' | 'added'; event: ChangeEvent }
  | { kind: 'first-import'; server: string; date: string; count: number; serious: number; key: string };

/**
 * What /changes/ lists, in the order a maintainer needs it: changed and removed definitions
 * first (the rug-pull signal), newest first; then tools a later import added; then each server's
 * first import as one line ("219 tools"), instead of one "Added" line per tool.
 */
export function changesDigest(changes: readonly ChangeEvent[]): DigestEntry[] {
  const firstImport = new Map<string, string>();
  for (const event of changes) {
    if (event.kind !== 'added') continue;
    const known = firstImport.get(event.server);
    if (known === undefined || event.date < known) firstImport.set(event.server, event.date);
  }
  const signals: DigestEntry[] = [];
  const later: DigestEntry[] = [];
  const counts = new Map<string, { count: number; serious: number }>();
  // The events come serious first (src/lib/catalogue/changes.ts), and each group keeps that order.
  for (const event of changes) {
    if (event.kind !== 'added') signals.push({ kind: event.kind, event });
    else if (event.date !== firstImport.get(event.server)) later.push({ kind: 'added', event });
    else {
      const tally = counts.get(event.server) ?? { count: 0, serious: 0 };
      tally.count++;
      if (event.severity === 'high') tally.serious++;
      counts.set(event.server, tally);
    }
  }
  const firsts: DigestEntry[] = [...counts]
    .map(([server, { count, serious }]) => ({
      kind: 'first-import' as const,
      server,
      date: firstImport.get(server)!,
      count,
      serious,
      key: `${server}/first-import`,
    }))
    .sort((a, b) => b.date.localeCompare(a.date) || a.server.localeCompare(b.server));
  return [...signals, ...later, ...firsts];
}
