import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { routes } from '../../src/lib/site/routes.ts';
import { POLL, servedFixtureSite } from '../helpers/browser.ts';

/**
 * Axe on every page type, at a phone's width and a desktop's, in light and dark. Once, on the
 * fixture catalogue served from `/`: the site under a sub-path is the same markup with another
 * prefix on its links, and site.test.ts checks those links, assets and console there.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The narrowest phone in common use, and a laptop. */
const WIDTHS = [
  { width: 375, height: 740 },
  { width: 1280, height: 800 },
] as const;

/** One page of each kind the site has, and the search dialog open over a page. */
const PAGE_TYPES: Array<{ path: string; searchOpen?: true }> = [
  { path: routes.home },
  { path: routes.servers },
  { path: routes.risks },
  { path: routes.categories },
  { path: routes.risk('critical') },
  { path: routes.category('financial') },
  { path: routes.review },
  { path: routes.changes },
  { path: routes.attacks },
  { path: routes.attack('mcp03') },
  { path: routes.poisoning },
  { path: routes.search },
  { path: routes.tool('acme-files', 'delete-file') },
  { path: routes.server('acme-files') },
  { path: routes.tool('acme-files', 'read-file'), searchOpen: true },
];

const served = servedFixtureSite('catalog');

/** Axe's serious and critical violations on the page as it is now. */
function seriousViolations(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    type Axe = {
      run: (
        context: Document,
        options: { resultTypes: string[] },
      ) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> }>;
    };
    // Only violations are read: axe then spends no time detailing every node that passes.
    const result = await (window as unknown as { axe: Axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

describe('every page type, at a phone and a desktop width, in light and dark', () => {
  it('has no serious or critical accessibility violation, and never scrolls sideways', async () => {
    // axe is injected as a script, which the CSP rightly forbids; this context bypasses it.
    // Added before each page's own scripts, it is there on every page the context opens.
    const context = await served.browser.newContext({ bypassCSP: true, viewport: WIDTHS[0] });
    await context.addInitScript({ content: axeSource });
    const page = await context.newPage();
    const problems: string[] = [];
    // Each page is loaded once and then resized and re-themed: the site's layout and colours
    // follow media queries alone (no script reads the width or the colour scheme), so a
    // resized page is laid out as one opened at that size.
    for (const { path, searchOpen } of PAGE_TYPES) {
      await page.setViewportSize(WIDTHS[0]);
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(served.site.url(path));
      const where = searchOpen ? `${path} with search open` : path;
      if (searchOpen) {
        await page.keyboard.press('Control+k');
        await page.keyboard.type('file');
        await expect.poll(() => page.locator('dialog .results li').count(), POLL).toBeGreaterThan(0);
      }
      for (const viewport of WIDTHS) {
        await page.setViewportSize(viewport);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) problems.push(`${where} at ${viewport.width}px scrolls sideways by ${overflow}px`);
        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme });
          for (const violation of await seriousViolations(page))
            problems.push(`${where} at ${viewport.width}px, ${colorScheme}: ${violation}`);
        }
      }
    }
    await context.close();
    expect(problems).toEqual([]);
  });
});
