import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderCounts } from '../../src/cli/dev/astro-build.ts';
import { routes } from '../../src/lib/site/routes.ts';
import { withBuildLock } from '../helpers/build-lock.ts';
import { rebuildKit } from '../helpers/incremental.ts';
import { buildCommand, buildSite, readOutput, treeDifferences } from '../helpers/site.ts';

/**
 * A rebuild recovers from what happens to a build folder: a build stopped half-way, an output
 * folder deleted, a full build asked for. Each ends with the same output as a clean build of the
 * same content. (Apart from incremental.test.ts so that the two files' builds queue side by side.)
 */
const { copyOfBaseline, cleanBuild, rebuildMatchesClean } = await rebuildKit();

describe('incremental rebuilds recover', () => {
  it('after a build that was stopped half-way and content put back, matches a clean build', async () => {
    const site = copyOfBaseline();
    const { contentDir, work, serverFile } = site;
    // The server's name is in its catalogue JSON (rendered early), its pages and all its tool pages (last).
    const file = serverFile('acme-files');
    const original = readFileSync(file, 'utf8');
    const renamed = JSON.parse(original);
    renamed.server.name = 'Acme Files, renamed';
    writeFileSync(file, `${JSON.stringify(renamed, null, 2)}\n`);
    const { args, env, project } = buildCommand({ contentDir, work, project: site.project });
    await withBuildLock(
      () =>
        new Promise<void>((done, fail) => {
          const child = spawn(process.execPath, args, { cwd: project, env, stdio: ['ignore', 'pipe', 'ignore'] });
          // Stopped once it renders server pages: the catalogue JSON is written, the tool pages are not yet.
          child.stdout.on('data', (chunk: Buffer) => {
            if (stripVTControlCharacters(chunk.toString()).includes(`├─ /${routes.servers}`)) child.kill('SIGKILL');
          });
          child.on('close', (code, signal) =>
            signal === 'SIGKILL' ? done() : fail(new Error(`the build was not stopped (exit ${code})`)),
          );
        }),
      { project },
    );
    expect(readOutput(join(work, 'dist'), routes.catalogShard('acme-files'))).toContain('Acme Files, renamed');
    // Some pages now name the server as renamed; the content says otherwise again.
    writeFileSync(file, original);
    rebuildMatchesClean(site);
  });

  it('rebuilds into an output folder that was deleted, from the cache', () => {
    const site = copyOfBaseline();
    const { work } = site;
    rmSync(join(work, 'dist'), { recursive: true });
    const { paths, kept } = rebuildMatchesClean(site);
    expect(kept).toBeGreaterThan(paths.length);
  });

  it('rebuilds everything when asked for a full build, with the same output', () => {
    const site = copyOfBaseline();
    const { contentDir, work, project } = site;
    const forced = buildSite({ contentDir, work, project, args: ['--full'] });
    expect(forced.status, forced.output).toBe(0);
    expect(renderCounts(forced.output).kept).toBe(0);
    expect(treeDifferences(forced.outDir, cleanBuild(contentDir))).toEqual([]);
  });
});
