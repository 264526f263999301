import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, POLL } from '../helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogIndexSchema } from '../../src/schemas/outputs.ts';
import { policySchema } from '../../src/schemas/policy.ts';
import { brokenLinks, buildSite, fixtureCatalog } from '../helpers/site.ts';
import { serveSite } from '../helpers/serve.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let contentDir: string;

beforeAll(async () => {
  contentDir = fixtureCatalog();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Collects console errors, page errors and CSP violations of a page. */
async function watch(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { page, problems };
}

for (const base of ['/', '/atlas/']) {
  describe(`the site served from ${base}`, () => {
    let site: Awaited<ReturnType<typeof serveSite>>;
    let outDir: string;
    let context: BrowserContext;

    beforeAll(async () => {
      const build = buildSite({ contentDir, base });
      if (build.status !== 0) throw new Error(build.output);
      outDir = build.outDir;
      site = await serveSite(outDir, base);
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
    });
    afterAll(async () => {
      await context?.close();
      await site?.close();
    });

    it('has no broken internal link', () => {
      expect(brokenLinks(outDir, base)).toEqual([]);
    });

    it('finds a tool by name from the search page, with no console error or CSP violation', async () => {
      const { page, problems } = await watch(context);
      await page.goto(site.url('search/'));
      await page.getByRole('searchbox', { name: 'Tool or server' }).fill('delete_file');
      const result = page.locator('.results a').first();
      await expect.poll(() => result.getAttribute('href'), POLL).toBe(`${base}tools/acme-files/delete-file/`);
      await result.click();
      await expect.poll(() => page.url(), POLL).toBe(site.url('tools/acme-files/delete-file/'));
      expect(problems).toEqual([]);
    });

    it('narrows results with the risk filter to the count the catalogue gives', async () => {
      const catalog = catalogIndexSchema.parse(JSON.parse(readFileSync(join(outDir, 'catalog.json'), 'utf8')));
      const { page, problems } = await watch(context);
      await page.goto(site.url('search/'));
      await page.getByLabel('Risk').selectOption('Critical');
      await expect.poll(() => page.locator('.summary').textContent(), POLL).toBe(`${catalog.totals.byRisk.critical} results`);
      await expect.poll(() => page.locator('.results li').count(), POLL).toBe(catalog.totals.byRisk.critical);
      expect(await page.getByLabel('Risk').locator('option[value="Critical"]').textContent()).toBe(
        `Critical (${catalog.totals.byRisk.critical})`,
      );
      expect(problems).toEqual([]);
    });

    it('fills the server filter from the index and honours it in a shared link', async () => {
      const { page, problems } = await watch(context);
      await page.goto(site.url('search/?server=Acme%20Pay'));
      await expect.poll(() => page.locator('.results li').count(), POLL).toBe(3);
      expect(await page.getByLabel('Server', { exact: true }).inputValue()).toBe('Acme Pay');
      expect(await page.getByLabel('Server', { exact: true }).locator('option').allTextContents()).toEqual([
        'Any server',
        'Acme Files (7)',
        'Acme Pay (3)',
      ]);
      expect(problems).toEqual([]);
    });

    it('searches from the header of a tool page', async () => {
      const { page, problems } = await watch(context);
      await page.goto(site.url('tools/acme-files/read-file/'));
      await page.getByRole('searchbox', { name: 'Search tools and servers' }).fill('payment');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.results a').first().getAttribute('href'), POLL).toBe(`${base}tools/acme-pay/create-payment/`);
      expect(problems).toEqual([]);
    });

    it('copies exactly the displayed policy, and the copy validates', async () => {
      const { page, problems } = await watch(context);
      await page.goto(site.url('tools/acme-files/write-note/'));
      const block = page.getByRole('region', { name: 'Recommended policy for write_note' });
      const shown = await block.locator('pre').textContent();
      await page.getByRole('button', { name: 'Copy JSON' }).first().click();
      await expect.poll(() => page.getByRole('status').first().textContent(), POLL).toBe('Copied');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(shown);
      expect(policySchema.safeParse(JSON.parse(copied)).success).toBe(true);
      expect(problems).toEqual([]);
    });

    it('serves the downloadable server bundle', async () => {
      const { page } = await watch(context);
      await page.goto(site.url('servers/acme-files/'));
      const link = page.getByRole('link', { name: 'Download acme-files.policy.json' });
      const response = await page.request.get(new URL((await link.getAttribute('href'))!, site.origin).href);
      expect(response.status()).toBe(200);
      expect(policySchema.safeParse(await response.json()).success).toBe(true);
    });

    it('has no serious or critical accessibility violation, in light and dark themes', async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        // axe is injected as a script, which the CSP rightly forbids; this context bypasses it.
        const axeContext = await browser.newContext({ bypassCSP: true, colorScheme });
        const page = await axeContext.newPage();
        for (const path of ['', 'tools/acme-files/delete-file/', 'servers/acme-files/', 'risk/critical/', 'search/', 'attacks/mcp03/']) {
          await page.goto(site.url(path));
          await page.addScriptTag({ content: axeSource });
          const violations = await page.evaluate(async () => {
            const result = await (
              window as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }
            ).axe.run();
            return result.violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => (n as { target: unknown }).target))}`);
          });
          expect(violations, `${path} (${colorScheme})`).toEqual([]);
        }
        await axeContext.close();
      }
    });

    it('renders without horizontal scrolling on a phone and on a desktop', async () => {
      for (const viewport of [
        { width: 375, height: 740 },
        { width: 1280, height: 800 },
      ]) {
        const sized = await browser.newContext({ viewport });
        const page = await sized.newPage();
        for (const path of ['', 'tools/acme-files/read-file/', 'servers/acme-files/', 'search/']) {
          await page.goto(site.url(path));
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, `${path} at ${viewport.width}px`).toBeLessThanOrEqual(0);
        }
        await sized.close();
      }
    });
  });
}
