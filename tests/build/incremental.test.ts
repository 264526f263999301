import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCounts } from '../../src/cli/dev/astro-build.ts';
import { readCatalog } from '../../src/lib/catalog/files.ts';
import { readToolsListFile } from '../../src/lib/catalog/importer.ts';
import { recordReview } from '../../src/lib/catalog/review-file.ts';
import { routes } from '../../src/lib/site/routes.ts';
import { withBuildLock } from '../helpers/build-lock.ts';
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
const baseline = await fixtureSite('reimported');
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

  describe('after tools are edited and a person overrides another tool, rebuilt together', () => {
    // Two independent edits share one rebuild (and its clean build): acme-pay's tools get new
    // descriptions, and a person overrides the classification of an acme-files tool that no page
    // shows beside them. As no page shows both (checked first), every page rendered is owed to
    // one edit, and a page rendered for neither (a key covering too much) still fails.
    const overridden = { server: 'acme-files', tool: 'run_command' };
    const reason = 'Checked by hand for the rebuild test.';
    let edits: { edited: string[]; overriddenPage: string; paths: string[]; outDir: string };
    /** The tool pages that are one of `targets` or link to one (related tools, previous and next), in either output. */
    let showing: (targets: string[]) => string[];

    beforeAll(() => {
      const site = copyOfBaseline();
      const edited: string[] = [];
      editJson(site.serverFile('acme-pay'), (data) => {
        for (const tool of data.tools.slice(0, 3)) {
          tool['description'] = `${String(tool['description'] ?? '')} Edited for the rebuild test.`;
          edited.push(baselineTools.get(`acme-pay/${String(tool['name'])}`)!);
        }
      });
      recordReview(site.contentDir, overridden, { on: '2026-11-04', set: { category: 'destructive', risk: 'critical' }, reason });
      const { paths, outDir } = rebuildMatchesClean(site);
      edits = { edited, overriddenPage: baselineTools.get(`${overridden.server}/${overridden.tool}`)!, paths, outDir };
      const links = (dir: string, page: string, targets: string[]) =>
        targets.some((target) => readOutput(dir, page).includes(`href="/${target}"`));
      showing = (targets) =>
        [...baselineTools.values()].filter(
          (page) => targets.includes(page) || links(baseline.outDir, page, targets) || links(outDir, page, targets),
        );
      // Two builds, each waiting its turn behind other files' builds: a test's time, not a hook's.
    }, 600_000);

    const renderedTools = () => edits.paths.filter((path) => [...baselineTools.values()].includes(path));

    it('shows neither edit on a page beside the other, so each rendered page is owed to one', () => {
      const showingEdited = showing(edits.edited);
      expect(showing([edits.overriddenPage]).filter((page) => showingEdited.includes(page))).toEqual([]);
    });

    it('renders the edited tools and, besides the pages that show the overridden tool, only the pages that show them', () => {
      const forOverride = showing([edits.overriddenPage]);
      const forEdits = showing(edits.edited);
      for (const page of edits.edited) expect(renderedTools()).toContain(page);
      expect(renderedTools().filter((page) => !forOverride.includes(page) && !forEdits.includes(page))).toEqual([]);
      expect(renderedTools().length).toBeLessThan(baselineTools.size);
      // Nothing about a server neither edit touched is rendered again.
      for (const slug of baselineServers.filter((slug) => slug !== 'acme-pay' && slug !== overridden.server))
        expect(
          edits.paths.filter((path) => isAboutServer(path, slug)),
          slug,
        ).toEqual([]);
    });

    it('renders the overridden tool with the reason and, besides the pages that show the edited tools, only the pages that show it', () => {
      const forOverride = showing([edits.overriddenPage]);
      const forEdits = showing(edits.edited);
      expect(renderedTools()).toContain(edits.overriddenPage);
      expect(readOutput(edits.outDir, edits.overriddenPage)).toContain(reason);
      expect(renderedTools().filter((page) => !forEdits.includes(page) && !forOverride.includes(page))).toEqual([]);
    });
  });

  it('rebuilds after a tool and a server are added, after they are removed, and after an attack page is edited', () => {
    // One chain of changes, each step rebuilt and compared with a clean build of the same content.
    const site = copyOfBaseline();
    const { contentDir, serverFile } = site;
    const extra = {
      name: 'delete_all_invoices',
      description: 'Permanently deletes every invoice. This cannot be undone.',
      inputSchema: { type: 'object', properties: { confirm: { type: 'boolean' } } },
    };
    // Added: a tool to a server, and a server.
    importTools(contentDir, [...pay.tools, extra], { server: pay.server, origin: 'acme-pay.json', today: '2026-11-02' });
    importTools(contentDir, files.tools.slice(0, 4), { server: { name: 'Second Files' }, slug: 'second-files', origin: 'second.json' });
    const added = toolRoutes(contentDir).get('acme-pay/delete_all_invoices')!;
    const { outDir } = rebuildMatchesClean(site);
    expect(readOutput(outDir, added)).toContain('Permanently deletes every invoice.');
    expect(readOutput(outDir, routes.server('second-files'))).toContain('Second Files');
    // Removed: the server re-imported without the tool (marked removed, and its page says so),
    // and the other server's file deleted (all its output goes).
    importTools(contentDir, pay.tools, { server: pay.server, origin: 'acme-pay.json', today: '2026-11-03' });
    rmSync(serverFile('second-files'));
    rebuildMatchesClean(site);
    expect(readOutput(outDir, added)).toContain('Removed on 2026-11-03');
    expect(treeEntries(outDir).filter((entry) => entry.includes('second-files'))).toEqual([]);
    // The removed tool deleted from the file by hand (its page goes), and an attack page edited.
    // A removed tool is on no attack page, so the attack pages render again for the edit alone.
    editJson(serverFile('acme-pay'), (data) => {
      data.tools = data.tools.filter((tool) => tool['name'] !== 'delete_all_invoices');
    });
    const attack = join(contentDir, 'attacks', 'mcp03.mdx');
    writeFileSync(attack, `${readFileSync(attack, 'utf8')}\nA paragraph added by the rebuild test.\n`);
    rebuildMatchesClean(site);
    expect(existsSync(outputFile(outDir, added))).toBe(false);
    expect(readOutput(outDir, routes.attack('mcp03'))).toContain('A paragraph added by the rebuild test.');
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
    const { args, env } = buildCommand({ contentDir, work });
    await withBuildLock(
      () =>
        new Promise<void>((done, fail) => {
          const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'ignore'] });
          // Stopped once it renders server pages: the catalogue JSON is written, the tool pages are not yet.
          child.stdout.on('data', (chunk: Buffer) => {
            if (stripVTControlCharacters(chunk.toString()).includes(`├─ /${routes.servers}`)) child.kill('SIGKILL');
          });
          child.on('close', (code, signal) =>
            signal === 'SIGKILL' ? done() : fail(new Error(`the build was not stopped (exit ${code})`)),
          );
        }),
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
    const { contentDir, work } = site;
    const forced = buildSite({ contentDir, work, args: ['--full'] });
    expect(forced.status, forced.output).toBe(0);
    expect(renderCounts(forced.output).kept).toBe(0);
    expect(treeDifferences(forced.outDir, cleanBuild(contentDir))).toEqual([]);
  });
});
