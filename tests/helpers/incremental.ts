import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { renderCounts } from '../../src/cli/dev/astro-build.ts';
import { fixtureSite, type FixtureSite } from './fixture-sites.ts';
import { buildSite, renderedPaths, treeDifferences, treeEntries } from './site.ts';

/**
 * What the incremental build tests share: the built `reimported` fixture site (tests/setup/fixture-sites.ts)
 * as the baseline, private copies of it to change and rebuild, and the check that a rebuild equals a
 * clean build of the same content, byte for byte. Each test file gets its own kit, and with it its own
 * clean builds by content digest.
 */
export async function rebuildKit() {
  const baseline: FixtureSite = await fixtureSite('reimported');

  /**
   * A private copy of the built baseline: content to edit, and a work folder to rebuild in, from
   * the baseline's project copy (its rebuilds therefore wait for each other in the build queue).
   */
  function copyOfBaseline() {
    const contentDir = mkdtempSync(join(tmpdir(), 'atlas-incremental-content-'));
    cpSync(baseline.contentDir, contentDir, { recursive: true });
    const work = mkdtempSync(join(tmpdir(), 'atlas-incremental-'));
    cpSync(baseline.work, work, { recursive: true });
    return { contentDir, work, project: baseline.project, serverFile: (slug: string) => join(contentDir, 'servers', `${slug}.json`) };
  }

  /** Every file of a catalogue folder and its bytes, hashed: two folders with one digest build the same site. */
  function contentDigest(dir: string): string {
    const hash = createHash('sha256');
    for (const entry of treeEntries(dir)) {
      hash.update(`${entry}\0`);
      if (!entry.endsWith('/')) hash.update(readFileSync(join(dir, entry)));
    }
    return hash.digest('hex');
  }

  /**
   * Clean builds by content digest, shared by the tests of this file: a test whose content ends
   * as another's (or as the baseline's) compares with the output already built for it.
   */
  const cleanBuilds = new Map([[contentDigest(baseline.contentDir), baseline.outDir]]);
  function cleanBuild(contentDir: string): string {
    const digest = contentDigest(contentDir);
    const built = cleanBuilds.get(digest);
    if (built) return built;
    const clean = buildSite({ contentDir });
    expect(clean.status, clean.output).toBe(0);
    cleanBuilds.set(digest, clean.outDir);
    return clean.outDir;
  }

  /** Rebuilds in place, builds the same content from clean, and expects the same output. */
  function rebuildMatchesClean({ contentDir, work, project }: { contentDir: string; work: string; project: string }) {
    const incremental = buildSite({ contentDir, work, project });
    expect(incremental.status, incremental.output).toBe(0);
    expect(treeDifferences(incremental.outDir, cleanBuild(contentDir))).toEqual([]);
    return { ...renderCounts(incremental.output), paths: renderedPaths(incremental.output), outDir: incremental.outDir };
  }

  return { baseline, copyOfBaseline, cleanBuild, rebuildMatchesClean };
}
