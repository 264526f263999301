import { inject } from 'vitest';

/** The sites tests/setup/fixture-sites.ts builds once per run. */
export type FixtureSiteName = 'catalog' | 'catalogUnderBase' | 'hostile' | 'reimported';

/** The day the `reimported` site's Acme Files was imported again, with one tool changed and one gone. */
export const REIMPORTED_ON = '2026-11-09';

export interface FixtureSite {
  /** The catalogue folder it was built from. */
  contentDir: string;
  base: string;
  /** Holds `dist` (the output) and `cache` (Astro's): copy it to rebuild incrementally. */
  work: string;
  outDir: string;
  /** What the build printed. */
  log: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    fixtureSites: Partial<Record<FixtureSiteName, FixtureSite>>;
  }
}

/**
 * A site built for this run by the project's global setup. Shared by every test file that reads
 * it: copy its folders before changing anything.
 */
export function fixtureSite(name: FixtureSiteName): FixtureSite {
  const site = inject('fixtureSites')[name];
  if (!site) throw new Error(`the fixture site "${name}" is not built for this project: add it to its file in tests/setup/`);
  return site;
}
