import type { Browser } from 'playwright-core';
import { launchChromium } from '../../src/cli/dev/chromium.ts';
import { POLL } from '../helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSite } from '../helpers/fixture-sites.ts';
import { serveSite } from '../../src/cli/dev/serve.ts';
import { readCatalog } from '../../src/lib/catalog/files.ts';
import { routes } from '../../src/lib/site/routes.ts';

let browser: Browser;
let site: Awaited<ReturnType<typeof serveSite>>;
/** Every tool's page and every server's page of the hostile corpus. */
let catalogPaths: string[];

beforeAll(async () => {
  const { outDir, contentDir } = await fixtureSite('hostile');
  site = await serveSite(outDir);
  catalogPaths = readCatalog(contentDir).flatMap(({ server, tools }) => [
    ...tools.map((tool) => routes.tool(server.slug, tool.slug!)),
    routes.server(server.slug),
  ]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('hostile pages in Chromium', () => {
  it('run none of the tool text: no dialog, no injected script, no CSP violation, a clean console', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective}`));
    });
    for (const path of [...catalogPaths, routes.poisoning, routes.home]) {
      await page.goto(site.url(path));
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned), path).toBeUndefined();
    }
    await page.goto(site.url(`${routes.search}?q=script`));
    await expect.poll(() => page.locator('.results li').count(), POLL).toBeGreaterThan(0);
    expect(await page.locator('.results img, .results script, .results svg').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await context.close();
  });
});
