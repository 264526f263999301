import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderCounts } from '../../src/cli/dev/astro-build.ts';
import { readToolsListFile } from '../../src/lib/catalog/importer.ts';
import { recordReview } from '../../src/lib/catalog/review-file.ts';
import { fixtureSite } from '../helpers/fixture-sites.ts';
import { buildCommand, buildSite, importTools, repoRoot, treeDifferences, treeEntries } from '../helpers/site.ts';

/**
 * A rebuild after a change reuses what did not change, and its output is the same, file for
 * file and byte for byte, as a clean build of the same content.
 *
 * Every test starts from its own copy of one built site (the shipped catalogue plus the two
 * fixture servers, built once per run by tests/setup/fixture-sites.ts): its content, its
 * output and Astro's cache. So each test can run alone, and none depends on another's edits.
 */
const baseline = fixtureSite('incremental');
const lists = join(repoRoot, 'tests/fixtures/tools-lists');
const pay = readToolsListFile(join(lists, 'acme-pay.json'));
const files = readToolsListFile(join(lists, 'acme-files.json'));

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

/** A clean build of this content: the baseline's own output when the content is the baseline's. */
const baselineDigest = contentDigest(baseline.contentDir);
function cleanBuild(contentDir: string): string {
  if (contentDigest(contentDir) === baselineDigest) return baseline.outDir;
  const clean = buildSite({ contentDir });
  expect(clean.status, clean.output).toBe(0);
  return clean.outDir;
}

/** Rebuilds in place, builds the same content from clean, and expects the same output. */
function rebuildMatchesClean({ contentDir, work }: { contentDir: string; work: string }) {
  const incremental = buildSite({ contentDir, work });
  expect(incremental.status, incremental.output).toBe(0);
  expect(treeDifferences(incremental.outDir, cleanBuild(contentDir))).toEqual([]);
  return renderCounts(incremental.output);
}

describe('incremental rebuilds', () => {
  it('builds from nothing, then rebuilds without a change by rendering nothing', () => {
    const pages = renderCounts(baseline.log).rendered;
    expect(pages).toBeGreaterThan(400);
    const again = rebuildMatchesClean(copyOfBaseline());
    // The pages with no cache key (home, indexes, llms.txt, …) are always rendered.
    expect(again.rendered).toBeLessThan(20);
    expect(again.kept).toBeGreaterThan(pages - 20);
  });

  it('rebuilds after tools are edited, rendering only what shows them', () => {
    const site = copyOfBaseline();
    const { serverFile } = site;
    editJson(serverFile('acme-pay'), (data) => {
      for (const tool of data.tools.slice(0, 3)) tool['description'] = `${String(tool['description'] ?? '')} Edited for the rebuild test.`;
    });
    const { rendered, kept } = rebuildMatchesClean(site);
    expect(rendered).toBeGreaterThan(3);
    expect(rendered).toBeLessThan(kept / 4);
  });

  it('rebuilds after a tool is added and after one is removed', () => {
    const site = copyOfBaseline();
    const { contentDir, work, serverFile } = site;
    const extra = {
      name: 'delete_all_invoices',
      description: 'Permanently deletes every invoice. This cannot be undone.',
      inputSchema: { type: 'object', properties: { confirm: { type: 'boolean' } } },
    };
    importTools(contentDir, [...pay.tools, extra], { server: pay.server, origin: 'acme-pay.json', today: '2026-11-02' });
    rebuildMatchesClean(site);
    // Re-imported without it: the tool is marked removed, and its page says so.
    importTools(contentDir, pay.tools, { server: pay.server, origin: 'acme-pay.json', today: '2026-11-03' });
    rebuildMatchesClean(site);
    // Deleted from the file by hand: its page goes.
    editJson(serverFile('acme-pay'), (data) => {
      data.tools = data.tools.filter((tool) => tool['name'] !== 'delete_all_invoices');
    });
    rebuildMatchesClean(site);
    expect(treeEntries(join(work, 'dist')).some((entry) => entry.includes('delete-all-invoices'))).toBe(false);
  });

  it('rebuilds after a server is added and after one is removed', () => {
    const site = copyOfBaseline();
    const { contentDir, work, serverFile } = site;
    importTools(contentDir, files.tools.slice(0, 4), { server: { name: 'Second Files' }, slug: 'second-files', origin: 'second.json' });
    rebuildMatchesClean(site);
    rmSync(serverFile('second-files'));
    rebuildMatchesClean(site);
    expect(treeEntries(join(work, 'dist')).some((entry) => entry.includes('second-files'))).toBe(false);
  });

  it('rebuilds after an attack page is edited', () => {
    const site = copyOfBaseline();
    const { contentDir, work } = site;
    const page = join(contentDir, 'attacks', 'mcp03.mdx');
    writeFileSync(page, `${readFileSync(page, 'utf8')}\nA paragraph added by the rebuild test.\n`);
    rebuildMatchesClean(site);
    const html = readFileSync(join(work, 'dist/attacks/mcp03/index.html'), 'utf8');
    expect(html).toContain('A paragraph added by the rebuild test.');
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
    rebuildMatchesClean(site);
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
        if (/├─ \/servers\//.test(stripVTControlCharacters(chunk.toString()))) child.kill('SIGKILL');
      });
      child.on('close', (code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`the build was not stopped (exit ${code})`))));
    });
    expect(readFileSync(join(work, 'dist/catalog/acme-files.json'), 'utf8')).toContain('Acme Files, renamed');
    // Some pages now name the server as renamed; the content says otherwise again.
    writeFileSync(file, original);
    rebuildMatchesClean(site);
  });

  it('rebuilds into an output folder that was deleted, from the cache', () => {
    const site = copyOfBaseline();
    const { work } = site;
    rmSync(join(work, 'dist'), { recursive: true });
    const { rendered, kept } = rebuildMatchesClean(site);
    expect(kept).toBeGreaterThan(rendered);
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
