import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One temporary folder for everything a test run writes (built sites, catalogues, project copies,
 * Chromium profiles, guard audit logs: about a gigabyte a run, which stayed in /tmp before), removed
 * when the run ends. vitest.config.ts makes it and points TMPDIR at it, which os.tmpdir() in the
 * workers, every child process and Chromium read. Each project's global setup (this module's default
 * export) holds it until that project's teardown; the last teardown removes it. A run that is
 * killed leaves its folder, named atlas-test-run-*.
 */
interface RunFolder {
  path: string;
  holders: number;
}
// Each project loads its global setup in its own module runner: the folder is shared through the process.
const shared = globalThis as typeof globalThis & { atlasTestRunFolder?: RunFolder };

/** Makes the run's folder, once per process, and returns it. */
export function makeRunFolder(): string {
  shared.atlasTestRunFolder ??= { path: mkdtempSync(join(tmpdir(), 'atlas-test-run-')), holders: 0 };
  return shared.atlasTestRunFolder.path;
}

export default function holdRunFolder(): () => void {
  const folder = shared.atlasTestRunFolder;
  if (!folder) return () => undefined;
  folder.holders++;
  return () => {
    if (--folder.holders > 0) return;
    rmSync(folder.path, { recursive: true, force: true, maxRetries: 3 });
  };
}
