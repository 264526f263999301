import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainLine } from '../../lib/text-safety/text.ts';
import { catalogIndexSchema, catalogShardSchema } from '../../schemas/outputs.ts';
import { launchChromium } from './chromium.ts';
import { serveSite } from './serve.ts';

/**
 * Search, tried as a reader would in Chromium, on a built site: a tool of the catalogue's last
 * server found by its name and its server's filter, then the Critical filter's count (over all
 * servers) checked against catalog.json.
 * The benchmark runs it on every size it builds, so "search works at 250,000 tools" is measured.
 */
export interface SearchProbe {
  query: string;
  /** From typing the name to its result on screen, search's first load included. */
  firstResultMs: number;
  /** Search index files fetched for that first result, and their size. */
  indexRequests: number;
  indexKb: number;
  criticalShown: number;
  criticalExpected: number;
}

export async function probeSearch(outDir: string): Promise<SearchProbe> {
  const catalog = catalogIndexSchema.parse(JSON.parse(readFileSync(join(outDir, 'catalog.json'), 'utf8')));
  const last = catalog.servers.at(-1);
  if (!last) throw new Error(`${outDir} has no servers to search for`);
  const shard = catalogShardSchema.parse(JSON.parse(readFileSync(join(outDir, 'catalog', `${last.slug}.json`), 'utf8')));
  const tool = shard.tools.find((candidate) => !candidate.removed);
  if (!tool) throw new Error(`server ${last.slug} has no current tool to search for`);
  const site = await serveSite(outDir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const sizes: Array<Promise<number>> = [];
    page.on('response', (response) => {
      if (!new URL(response.url()).pathname.startsWith('/pagefind/')) return;
      sizes.push(
        response.body().then(
          (body) => body.length,
          () => 0,
        ),
      );
    });
    await page.goto(site.url('search/'));
    const box = page.getByRole('searchbox', { name: 'Tool or server' });
    const serverFilter = page.getByLabel('Server', { exact: true });
    const started = performance.now();
    await box.fill(tool.name);
    // Names repeat across servers; the server filter (by the name as search shows it) makes the result certain.
    await serverFilter.selectOption(plainLine(last.name), { timeout: 120_000 });
    const expected = `/tools/${last.slug}/${tool.slug}/`;
    await page.waitForFunction(
      (href) => [...document.querySelectorAll('.results a')].some((a) => a.getAttribute('href') === href),
      expected,
      { timeout: 120_000 },
    );
    const firstResultMs = performance.now() - started;
    const fetched = await Promise.all(sizes.slice());
    await box.fill('');
    await serverFilter.selectOption('');
    await page.getByLabel('Risk').selectOption('Critical');
    await page.waitForFunction(() => /^\d+ results?$/.test(document.querySelector('.summary')?.textContent ?? ''), undefined, {
      timeout: 120_000,
    });
    const summary = (await page.locator('.summary').textContent()) ?? '';
    return {
      query: tool.name,
      firstResultMs,
      indexRequests: fetched.length,
      indexKb: fetched.reduce((sum, size) => sum + size, 0) / 1024,
      criticalShown: Number(/^(\d+)/.exec(summary)?.[1] ?? -1),
      criticalExpected: catalog.totals.byRisk.critical,
    };
  } finally {
    await browser.close();
    await site.close();
  }
}
