import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/** The sites tests/setup/fixture-sites.ts builds once per run. */
export type FixtureSiteName = 'catalog' | 'catalogUnderBase' | 'hostile' | 'reimported';

/**
 * Tools per search shard in the `catalogUnderBase` site (ATLAS_SEARCH_SHARD_SIZE): its two servers
 * go to two shards, so search under the base also merges shards, as a large catalogue's does at 4,000.
 */
export const UNDER_BASE_SHARD_SIZE = 4;

/** The day the `reimported` site's Acme Files was imported again, with one tool changed and one gone. */
export const REIMPORTED_ON = '2026-11-09';

export interface FixtureSite {
  /** The catalogue folder it was built from. */
  contentDir: string;
  base: string;
  /** Holds `dist` (the output) and `cache` (Astro's): copy it to rebuild incrementally, from `project`. */
  work: string;
  /** The copy of the project it was built from (tests/helpers/project-copy.ts). */
  project: string;
  outDir: string;
  /** What the build printed. */
  log: string;
}

/** What the global setup writes to `<work>/site.json` once a fixture site's build has ended. */
export interface FixtureSiteRecord {
  contentDir: string;
  base: string;
  outDir: string;
  project: string;
  /** The build's exit status: 0 when it built. */
  status: number | null;
  /** Where the build's output is kept. */
  logFile: string;
}

/** The file a finished fixture build is recorded in, inside its work folder. */
export const fixtureSiteRecord = (work: string) => join(work, 'site.json');

declare module 'vitest' {
  interface ProvidedContext {
    /** The work folder of each fixture site this project's global setup is building. */
    fixtureSites: Partial<Record<FixtureSiteName, string>>;
  }
}

const WAIT_MS = 100;
const GIVE_UP_MS = 20 * 60_000;

/**
 * A site built for this run by the project's global setup, once its build has ended (the
 * builds run while the tests do). Shared by every test file that reads it: copy its folders
 * before changing anything.
 */
export async function fixtureSite(name: FixtureSiteName): Promise<FixtureSite> {
  const work = inject('fixtureSites')[name];
  if (!work) throw new Error(`the fixture site "${name}" is not built for this project: add it to its file in tests/setup/`);
  const record = fixtureSiteRecord(work);
  const started = Date.now();
  while (!existsSync(record)) {
    // The setup records every build's end, failed or not; no record this late means it never ran.
    if (Date.now() - started > GIVE_UP_MS)
      throw new Error(`the fixture site "${name}" has no record in ${work} after ${GIVE_UP_MS / 60_000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  }
  const built = JSON.parse(readFileSync(record, 'utf8')) as FixtureSiteRecord;
  const log = existsSync(built.logFile) ? readFileSync(built.logFile, 'utf8') : '';
  if (built.status !== 0)
    throw new Error(`the fixture site "${name}" from ${built.contentDir} (base ${built.base}) did not build:\n${log}`);
  return { contentDir: built.contentDir, base: built.base, work, project: built.project, outDir: built.outDir, log };
}
