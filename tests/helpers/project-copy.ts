import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/cli/dev/astro-build.ts';

/** What `astro build` reads from the project folder: its code, its configuration and the project's own attack pages. */
const BUILD_INPUTS = ['src', 'public', 'astro.config.mjs', 'tsconfig.json', 'package.json', 'content/attacks'];

/**
 * A copy of the project for test builds to run from, so that builds can run side by side: Astro
 * writes each build's bundle under its project folder (`.astro/`), and two builds from one folder
 * cannot overlap (tests/helpers/build-lock.ts). The dependencies are linked, not copied.
 *
 * A rebuild must run from the same copy as the build before it: Astro's incremental build takes
 * the modules' paths into its cache keys, so from another folder every page counts as changed.
 */
export function projectCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'atlas-project-'));
  for (const input of BUILD_INPUTS) {
    mkdirSync(join(copy, input, '..'), { recursive: true });
    cpSync(join(projectRoot, input), join(copy, input), { recursive: true });
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}
