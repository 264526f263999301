import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderCounts } from '../../src/cli/dev/astro-build.ts';
import { readCatalog } from '../../src/lib/catalog/files.ts';
import { readToolsListFile } from '../../src/lib/catalog/importer.ts';
import { recordReview } from '../../src/lib/catalog/review-file.ts';
import { routes } from '../../src/lib/site/routes.ts';
import { fixtureSite } from '../helpers/fixture-sites.ts';
import {
  buildCommand,
  buildSite,
  importTools,
  outputFile,
  readOutput,
  renderedPaths,
  repoRoot,
  toolRoutes,
  treeDifferences,
  treeEntries,
} from '../helpers/site.ts';

/**
 * A rebuild after a change reuses what did not change, and its output is the same, file for
 * file and byte for byte, as a clean build of the same content.
 *
 * Every test starts from its own copy of one built site (a small catalogue with a history: the
 * two fixture servers, a few generated ones and the attack pages, built once per run by
 * tests/setup/fixture-sites.ts): its content, its output and Astro's cache. So each test can run
 * alone, and none depends on another's edits.
 */
const baseline = fixtureSite('reimported');
const lists = join(repoRoot, 'tests/fixtures/tools-lists');
const pay = readToolsListFile(join(lists, 'acme-pay.json'));
const files = readToolsListFile(join(lists, 'acme-files.json'));
const baselineTools = toolRoutes(baseline.contentDir);
const baselineServers = readCatalog(baseline.contentDir).map(({ server }) => server.slug);

/** The routes of every page and file about one server (its page, bundle, exports, feed, badge, catalogue shard). */
const isAboutServer = (path: string, slug: string) => path.startsWith(routes.server(slug)) || path === routes.catalogShard(slug);

/** A private copy of the built baseline: content to edit, and a work folder to rebuild in. */
function copyOfBaseline() {
  const contentDir = mkdtempSync(join(tmpdir(), 'atlas-incremental-content-'));
  cpSync(baseline.contentDir, contentDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'atlas-incremental-'));
  cpSync(baseline.work, work, { recursive: true });
  return { contentDir, work, serverFile: (slug: string) => join(contentDir, 'servers', `${slug}.json`) };
}

const editJson = (path: string, edit: (data: { tools: Array<Record<string, unknown>> }) => void) => {
  const data = JSON.parse(readFileSync(path, 'utf8'));
  edit(data);
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
};

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
function rebuildMatchesClean({ contentDir, work }: { contentDir: string; work: string }) {
  const incremental = buildSite({ contentDir, work });
  expect(incremental.status, incremental.output).toBe(0);
  expect(treeDifferences(incremental.outDir, cleanBuild(contentDir))).toEqual([]);
  return { ...renderCounts(incremental.output), paths: renderedPaths(incremental.output), outDir: incremental.outDir };
}

describe('incremental rebuilds', () => {
  it('builds from nothing, then rebuilds without a change by rendering no page that has a cache key', () => {
    const built = renderedPaths(baseline.log);
    for (const page of baselineTools.values()) expect(built).toContain(page);
    const again = rebuildMatchesClean(copyOfBaseline());
    // Only the pages with no cache key (home, indexes, llms.txt, …) are rendered again: no tool
    // page, nothing about a server, no attack page; everything else is kept.
    const keyed = (path: string) =>
      [...baselineTools.values()].includes(path) ||
      baselineServers.some((slug) => isAboutServer(path, slug)) ||
      (path.startsWith(routes.attacks) && path !== routes.attacks);
    expect(again.paths.filter(keyed)).toEqual([]);
    // Most of the site has a key, so a rebuild that rendered those pages again would be noticed.
    expect(built.filter(keyed).length).toBeGreaterThan(again.paths.length);
    expect(again.kept).toBe(built.length - again.paths.length);
  });

  it('rebuilds after tools are edited, rendering only the pages that show them', () => {
    const site = copyOfBaseline();
    const { serverFile } = site;
    const edited: string[] = [];
    editJson(serverFile('acme-pay'), (data) => {
      for (const tool of data.tools.slice(0, 3)) {
        tool['description'] = `${String(tool['description'] ?? '')} Edited for the rebuild test.`;
        edited.push(baselineTools.get(`acme-pay/${String(tool['name'])}`)!);
      }
    });
    const { paths, outDir } = rebuildMatchesClean(site);
    // A tool page shows another tool by linking to it (related tools, previous and next).
    const linksToEdited = (dir: string, page: string) => edited.some((target) => readOutput(dir, page).includes(`href="/${target}"`));
    const showing = [...baselineTools.values()].filter(
      (page) => edited.includes(page) || linksToEdited(baseline.outDir, page) || linksToEdited(outDir, page),
    );
    const renderedTools = paths.filter((path) => [...baselineTools.values()].includes(path));
    for (const page of edited) expect(renderedTools).toContain(page);
    expect(renderedTools.filter((page) => !showing.includes(page))).toEqual([]);
    expect(renderedTools.length).toBeLessThan(baselineTools.size);
    // Nothing about another server is rendered again.
    for (const slug of baselineServers.filter((slug) => slug !== 'acme-pay'))
      expect(
        paths.filter((path) => isAboutServer(path, slug)),
        slug,
      ).toEqual([]);
  });

  it('rebuilds after a tool is added and after one is removed', () => {
    const site = copyOfBaseline();
    const { contentDir, serverFile } = site;
    const extra = {
      name: 'delete_all_invoices',
      description: 'Permanently deletes every invoice. This cannot be undone.',
      inputSchema: { type: 'object', properties: { confirm: { type: 'boolean' } } },
    };
    importTools(contentDir, [...pay.tools, extra], { server: pay.server, origin: 'acme-pay.json', today: '2026-11-02' });
    const added = toolRoutes(contentDir).get('acme-pay/delete_all_invoices')!;
    const { outDir } = rebuildMatchesClean(site);
    expect(readOutput(outDir, added)).toContain('Permanently deletes every invoice.');
    // Re-imported without it: the tool is marked removed, and its page says so.
    importTools(contentDir, pay.tools, { server: pay.server, origin: 'acme-pay.json', today: '2026-11-03' });
    rebuildMatchesClean(site);
    expect(readOutput(outDir, added)).toContain('Removed on 2026-11-03');
    // Deleted from the file by hand: its page goes.
    editJson(serverFile('acme-pay'), (data) => {
      data.tools = data.tools.filter((tool) => tool['name'] !== 'delete_all_invoices');
    });
    rebuildMatchesClean(site);
    expect(existsSync(outputFile(outDir, added))).toBe(false);
  });

  it('rebuilds after a server is added and after one is removed', () => {
    const site = copyOfBaseline();
    const { contentDir, serverFile } = site;
    importTools(contentDir, files.tools.slice(0, 4), { server: { name: 'Second Files' }, slug: 'second-files', origin: 'second.json' });
    const { outDir } = rebuildMatchesClean(site);
    expect(readOutput(outDir, routes.server('second-files'))).toContain('Second Files');
    rmSync(serverFile('second-files'));
    rebuildMatchesClean(site);
    expect(treeEntries(outDir).filter((entry) => entry.includes('second-files'))).toEqual([]);
  });

  it('rebuilds after an attack page is edited', () => {
    const site = copyOfBaseline();
    const page = join(site.contentDir, 'attacks', 'mcp03.mdx');
    writeFileSync(page, `${readFileSync(page, 'utf8')}\nA paragraph added by the rebuild test.\n`);
    const { outDir } = rebuildMatchesClean(site);
    expect(readOutput(outDir, routes.attack('mcp03'))).toContain('A paragraph added by the rebuild test.');
  });

  it('rebuilds after a person overrides a classification', () => {
    const site = copyOfBaseline();
    const { contentDir } = site;
    const tool = pay.tools[0] as { name: string };
    recordReview(
      contentDir,
      { server: 'acme-pay', tool: tool.name },
      { on: '2026-11-04', set: { category: 'destructive', risk: 'critical' }, reason: 'Checked by hand for the rebuild test.' },
    );
    const page = baselineTools.get(`acme-pay/${tool.name}`)!;
    const { paths, outDir } = rebuildMatchesClean(site);
    expect(paths).toContain(page);
    expect(readOutput(outDir, page)).toContain('Checked by hand for the rebuild test.');
  });

  it('after a build that was stopped half-way and content put back, matches a clean build', async () => {
    const site = copyOfBaseline();
    const { contentDir, work, serverFile } = site;
    // The server's name is in its catalogue JSON (rendered early), its pages and all its tool pages (last).
    const file = serverFile('acme-files');
    const original = readFileSync(file, 'utf8');
    const renamed = JSON.parse(original);
    renamed.server.name = 'Acme Files, renamed';
    writeFileSync(file, `${JSON.stringify(renamed, null, 2)}\n`);
    await new Promise<void>((done, fail) => {
      const { args, env } = buildCommand({ contentDir, work });
      const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'ignore'] });
      // Stopped once it renders server pages: the catalogue JSON is written, the tool pages are not yet.
      child.stdout.on('data', (chunk: Buffer) => {
        if (stripVTControlCharacters(chunk.toString()).includes(`├─ /${routes.servers}`)) child.kill('SIGKILL');
      });
      child.on('close', (code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`the build was not stopped (exit ${code})`))));
    });
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
    const { contentDir, work } = site;
    const forced = buildSite({ contentDir, work, args: ['--full'] });
    expect(forced.status, forced.output).toBe(0);
    expect(renderCounts(forced.output).kept).toBe(0);
    expect(treeDifferences(forced.outDir, cleanBuild(contentDir))).toEqual([]);
  });
});
