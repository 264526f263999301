import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../src/lib/site/routes.ts';
import { policySchema } from '../../src/schemas/policy.ts';
import { POLL, servedFixtureSite } from '../helpers/browser.ts';

/**
 * The four readers of issue 20, at a phone's width and a desktop's, in light and dark: the
 * security engineer copying a tool's policy in their format, the platform engineer composing
 * "hide every Write tool", the maintainer finding the queue and the changes, and the phone
 * reader whose numbers never wrap. Axe checks every page type in accessibility.test.ts.
 */
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const;
const INDEX_PAGES = [
  routes.home,
  routes.servers,
  routes.risks,
  routes.categories,
  routes.risk('critical'),
  routes.category('financial'),
  routes.review,
  routes.changes,
  routes.attacks,
];

const served = servedFixtureSite('catalog');

/** Numbers in the page's text that the layout split over two lines. */
function wrappedNumbers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const split: string[] = [];
    const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent!.matchAll(/\d[\d,.]*%?/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) split.push(`${match[0]} in "${node.textContent!.trim().slice(0, 60)}"`);
      }
    }
    return split;
  });
}

for (const viewport of VIEWPORTS) {
  for (const colorScheme of ['light', 'dark'] as const) {
    describe(`a reader at ${viewport.width}px, ${colorScheme}`, () => {
      let context: BrowserContext;
      // One page for the reader's four tasks, each starting with a navigation of its own: a new
      // page costs Chromium about as much as a load.
      let page: Page;
      beforeAll(async () => {
        context = await served.browser.newContext({ viewport, colorScheme, acceptDownloads: true });
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.site.origin });
        page = await context.newPage();
      });
      afterAll(async () => {
        await context?.close();
      });

      it('sees the risk and a copy-in-my-format button in the first screen of a tool page, and copies in that format', async () => {
        await page.goto(served.site.url(routes.tool('acme-files', 'write-note')));
        const block = page.getByRole('region', { name: 'Risk and recommended policy' });
        const button = block.getByRole('button', { name: /^Copy / });
        await expect.poll(() => button.isVisible(), POLL).toBe(true);
        for (const part of [block.locator('.risk-scale'), block.locator('.threat'), button]) {
          const box = (await part.boundingBox())!;
          expect(box.y + box.height, `${await part.textContent()}`).toBeLessThanOrEqual(viewport.height);
        }
        await block.getByRole('combobox', { name: 'Format' }).selectOption('claude-code');
        await button.click();
        await expect.poll(() => block.getByRole('status').textContent(), POLL).toBe('Copied');
        const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as { permissions: Record<string, string[]> };
        expect(copied.permissions['ask']).toEqual(['mcp__acme-files__write_note']);
        await page.evaluate(() => localStorage.clear());
      });

      it('composes "hide every Write tool" and downloads a bundle that validates', async () => {
        await page.goto(served.site.url(routes.server('acme-files')));
        await page.getByText('Compose your own policy for Acme Files').click();
        const composer = page.locator('policy-composer');
        await expect.poll(() => composer.locator('tr[data-tool]').count(), POLL).toBeGreaterThan(0);
        await composer.getByRole('button', { name: /^Write/ }).click();
        const writes = await composer.locator('tr[data-tool]:visible th').allTextContents();
        expect(writes.length).toBeGreaterThan(0);
        await composer.getByRole('combobox', { name: 'Set every' }).selectOption('category:write');
        await composer.getByRole('combobox', { name: 'tool to' }).selectOption('hide');
        await composer.getByRole('button', { name: 'Apply' }).click();
        await expect.poll(() => composer.locator('[data-summary]').textContent(), POLL).toMatch(/hide/);
        await expect.poll(() => composer.locator('.summary').isVisible(), POLL).toBe(true);
        const [download] = await Promise.all([page.waitForEvent('download'), composer.getByRole('button', { name: 'Download' }).click()]);
        const policy = policySchema.parse(JSON.parse(readFileSync((await download.path())!, 'utf8')));
        for (const name of writes) expect(policy.hide, name).toContain(name);
        for (const name of writes) expect(policy.tools ?? {}).not.toHaveProperty(name);
      });

      it('finds the review queue and the changes from the navigation, with counts, and filters the queue', async () => {
        await page.goto(served.site.url(routes.home));
        const nav = page.getByRole('navigation', { name: 'Main' });
        const review = nav.getByRole('link', { name: /^Review \d+$/ });
        await expect.poll(() => review.count(), POLL).toBe(1);
        const queued = Number((await review.textContent())!.replace(/\D/g, ''));
        await review.click();
        await expect.poll(() => page.locator('[data-filter-status]').textContent(), POLL).toBe(`${queued} of ${queued} shown`);
        const server = page.getByRole('combobox', { name: 'Server' });
        const first = (await server.locator('option').nth(1).getAttribute('value'))!;
        await server.selectOption(first);
        const shown = await page.locator('.queue > li:visible').count();
        expect(await page.locator('[data-filter-status]').textContent()).toBe(`${shown} of ${queued} shown`);
        for (const item of await page.locator('.queue > li:visible').all()) expect(await item.getAttribute('data-server')).toBe(first);
        await nav.getByRole('link', { name: /^Changes/ }).click();
        await expect.poll(() => page.locator('.changes [data-kind="first-import"]').count(), POLL).toBeGreaterThan(0);
      });

      it('never wraps a number on an index page, and never scrolls sideways', async () => {
        for (const path of INDEX_PAGES) {
          await page.goto(served.site.url(path));
          expect(await wrappedNumbers(page), path).toEqual([]);
          expect(
            await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
            path,
          ).toBeLessThanOrEqual(0);
        }
      });
    });
  }
}
