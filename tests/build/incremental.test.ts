import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/lib/catalog/files.ts';
import { readToolsListFile } from '../../src/lib/catalog/importer.ts';
import { recordReview } from '../../src/lib/catalog/review-file.ts';
import { routes } from '../../src/lib/site/routes.ts';
import { rebuildKit } from '../helpers/incremental.ts';
import { importTools, outputFile, readOutput, renderedPaths, repoRoot, toolRoutes, treeDifferences, treeEntries } from '../helpers/site.ts';

/**
 * A rebuild after a change reuses what did not change, and its output is the same, file for
 * file and byte for byte, as a clean build of the same content.
 *
 * Every test starts from its own copy of one built site (a small catalogue with a history: the
 * two fixture servers, a few generated ones and the attack pages, built once per run by
 * tests/setup/fixture-sites.ts): its content, its output and Astro's cache. So each test can run
 * alone, and none depends on another's edits.
 */
const { baseline, copyOfBaseline, rebuildMatchesClean } = await rebuildKit();
const lists = join(repoRoot, 'tests/fixtures/tools-lists');
const pay = readToolsListFile(join(lists, 'acme-pay.json'));
const files = readToolsListFile(join(lists, 'acme-files.json'));
const baselineTools = toolRoutes(baseline.contentDir);
const baselineServers = readCatalog(baseline.contentDir).map(({ server }) => server.slug);

const editJson = (path: string, edit: (data: { tools: Array<Record<string, unknown>> }) => void) => {
  const data = JSON.parse(readFileSync(path, 'utf8'));
  edit(data);
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
};

/** The routes of every page and file about one server (its page, bundle, exports, feed, badge, catalogue shard). */
const isAboutServer = (path: string, slug: string) => path.startsWith(routes.server(slug)) || path === routes.catalogShard(slug);

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

  it('rebuilds after a tool and a server are added and an attack page is edited, after they are removed, and after the content is put back', () => {
    // One chain of changes, each step rebuilt and compared with a clean build of the same content.
    const site = copyOfBaseline();
    const { contentDir, serverFile } = site;
    const extra = {
      name: 'delete_all_invoices',
      description: 'Permanently deletes every invoice. This cannot be undone.',
      inputSchema: { type: 'object', properties: { confirm: { type: 'boolean' } } },
    };
    // Added: a tool to a server, and a server; and a paragraph to an attack page.
    importTools(contentDir, [...pay.tools, extra], { server: pay.server, origin: 'acme-pay.json', today: '2026-11-02' });
    importTools(contentDir, files.tools.slice(0, 4), { server: { name: 'Second Files' }, slug: 'second-files', origin: 'second.json' });
    const attack = join(contentDir, 'attacks', 'mcp03.mdx');
    writeFileSync(attack, `${readFileSync(attack, 'utf8')}\nA paragraph added by the rebuild test.\n`);
    const added = toolRoutes(contentDir).get('acme-pay/delete_all_invoices')!;
    const { outDir } = rebuildMatchesClean(site);
    expect(readOutput(outDir, added)).toContain('Permanently deletes every invoice.');
    expect(readOutput(outDir, routes.server('second-files'))).toContain('Second Files');
    expect(readOutput(outDir, routes.attack('mcp03'))).toContain('A paragraph added by the rebuild test.');
    // Removed: the server re-imported without the tool (marked removed, and its page says so),
    // and the other server's file deleted (all its output goes).
    importTools(contentDir, pay.tools, { server: pay.server, origin: 'acme-pay.json', today: '2026-11-03' });
    rmSync(serverFile('second-files'));
    rebuildMatchesClean(site);
    expect(readOutput(outDir, added)).toContain('Removed on 2026-11-03');
    expect(treeEntries(outDir).filter((entry) => entry.includes('second-files'))).toEqual([]);
    // Put back: every file as it was before the chain, as a checkout of the catalogue's history
    // would leave it (the removed tool is gone from its file, so its page goes, and the attack
    // page loses its paragraph). The rebuild then equals the baseline's own build.
    rmSync(contentDir, { recursive: true });
    cpSync(baseline.contentDir, contentDir, { recursive: true });
    rebuildMatchesClean(site);
    expect(treeDifferences(outDir, baseline.outDir)).toEqual([]);
    expect(existsSync(outputFile(outDir, added))).toBe(false);
    expect(readOutput(outDir, routes.attack('mcp03'))).not.toContain('A paragraph added by the rebuild test.');
  });
});
