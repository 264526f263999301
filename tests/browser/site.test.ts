import { parseFeed } from '@rowanmanning/feed-parser';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Dialog, Page } from 'playwright-core';
import { launchChromium } from '../../src/cli/dev/chromium.ts';
import { POLL } from '../helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { catalogIndexSchema } from '../../src/schemas/outputs.ts';
import { EXPORT_FORMATS, exportFor } from '../../src/lib/policy/exports/index.ts';
import { absoluteUrl, routes, withBase } from '../../src/lib/site/routes.ts';
import { policySchema } from '../../src/schemas/policy.ts';
import { readCatalog, type LoadedServer } from '../../src/lib/catalog/files.ts';
import { searchShards, shardOf } from '../../src/lib/site/search-shards.ts';
import { fixtureSite, UNDER_BASE_SHARD_SIZE } from '../helpers/fixture-sites.ts';
import { brokenLinks } from '../helpers/site.ts';
import { serveSite } from '../../src/cli/dev/serve.ts';

/** The origin the fixture sites are built for (tests/helpers/site.ts). */
const SITE = 'https://atlas.example';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Each context's one page, opened by its first test; every later test of the context reuses it. */
const pages = new WeakMap<BrowserContext, Promise<Page>>();

async function openPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return page;
}

/**
 * The context's page for the calling test, collecting console errors, page errors, dialogs and
 * CSP violations while the test runs. The tests of a context take the one page in turn (each
 * starts with a navigation of its own): a new page cost Chromium as much again as a load, and
 * pages left open made later loads dearer still. What a test adds to the page (its listeners
 * for requests, its routes) goes when the test ends.
 */
async function watch(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  if (!pages.has(context)) pages.set(context, openPage(context));
  const page = await pages.get(context)!;
  const problems: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  };
  const onPageError = (error: Error) => problems.push(`page error: ${error.message}`);
  const onDialog = (dialog: Dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  };
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('dialog', onDialog);
  onTestFinished(async () => {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
    page.off('dialog', onDialog);
    page.removeAllListeners('request');
    if (!page.isClosed()) await page.unrouteAll({ behavior: 'ignoreErrors' });
  });
  return { page, problems };
}

for (const base of ['/', '/atlas/']) {
  describe(`the site served from ${base}`, () => {
    let site: Awaited<ReturnType<typeof serveSite>>;
    let outDir: string;
    let context: BrowserContext;

    beforeAll(async () => {
      outDir = (await fixtureSite(base === '/' ? 'catalog' : 'catalogUnderBase')).outDir;
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
      await page.goto(site.url(routes.search));
      await page.getByRole('searchbox', { name: 'Tool or server' }).fill('delete_file');
      const result = page.locator('.results a').first();
      await expect.poll(() => result.getAttribute('href'), POLL).toBe(withBase(routes.tool('acme-files', 'delete-file'), base));
      await result.click();
      await expect.poll(() => page.url(), POLL).toBe(site.url(routes.tool('acme-files', 'delete-file')));
      expect(problems).toEqual([]);
    });

    it('narrows results with the risk filter to the count the catalogue gives', async () => {
      const catalog = catalogIndexSchema.parse(JSON.parse(readFileSync(join(outDir, routes.catalogIndex), 'utf8')));
      const { page, problems } = await watch(context);
      await page.goto(site.url(routes.search));
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
      await page.goto(site.url(`${routes.search}?server=Acme%20Pay`));
      await expect.poll(() => page.locator('.results li').count(), POLL).toBe(3);
      expect(await page.getByLabel('Server', { exact: true }).inputValue()).toBe('Acme Pay');
      expect(await page.getByLabel('Server', { exact: true }).locator('option').allTextContents()).toEqual([
        'Any server',
        'Acme Files (7)',
        'Acme Pay (3)',
      ]);
      expect(problems).toEqual([]);
    });

    it('searches as you type in the header dialog, with filters, loading search only when it opens', async () => {
      const { page, problems } = await watch(context);
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(site.url(routes.tool('acme-files', 'read-file')));
      expect(requests.some((url) => url.includes('pagefind') || /\/search\.[\w-]+\.js/.test(url))).toBe(false);
      await page.getByRole('searchbox', { name: 'Search tools and servers' }).click();
      const dialog = page.getByRole('dialog', { name: 'Search' });
      await expect.poll(() => dialog.isVisible(), POLL).toBe(true);
      await dialog.getByRole('searchbox', { name: 'Tool or server' }).pressSequentially('file');
      // Wait for the search of the whole word: a shorter prefix's list is replaced when it lands.
      await expect.poll(() => dialog.locator('.summary').textContent(), POLL).toContain('“file”');
      const results = dialog.locator('.results li');
      await expect.poll(() => results.count(), POLL).toBeGreaterThan(1);
      const all = await results.count();
      expect(await results.first().locator('.meta').textContent()).toMatch(/on Acme \w+ · (Low|Medium|High|Critical) risk · \w+/);
      await dialog.getByLabel('Risk').selectOption('Critical');
      await expect.poll(() => results.count(), POLL).toBeLessThan(all);
      for (const meta of await results.locator('.meta').allTextContents()) expect(meta).toContain('Critical risk');
      // Each result links to its tool's page under the base.
      for (const href of await results.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))))
        expect(href).toMatch(new RegExp(`^${withBase('tools/', base)}[^/]+/[^/]+/$`));
      expect(requests.some((url) => url.includes('pagefind'))).toBe(true);
      expect(page.url()).toBe(site.url(routes.tool('acme-files', 'read-file')));
      expect(problems).toEqual([]);
    });

    // Behaviour the base cannot change (keys, copy buttons, the risk block, the remembered format):
    // checked once, at `/`. Under the base, the tests around these check what it does change:
    // links, search and its results' links, scripts loaded on demand, feeds, badges and downloads.
    if (base === '/') {
      it('fills the results of a search sent again while they are still loading', async () => {
        const { page, problems } = await watch(context);
        // Each result's text (its fragment) is held back until the same search has been sent again,
        // as when a reader presses Enter on words already searched as they typed.
        let release = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        await page.route(/\/pagefind\/.*\/fragment\//, async (route) => {
          await held;
          await route.continue();
        });
        await page.goto(site.url(routes.search));
        const input = page.getByRole('searchbox', { name: 'Tool or server' });
        await input.fill('file');
        await expect.poll(() => page.locator('.summary').textContent(), POLL).toMatch(/^\d+ results? for “file”$/);
        const found = Number(/^(\d+)/.exec((await page.locator('.summary').textContent())!)![1]);
        expect(await page.locator('.results li').count()).toBe(0);
        await input.press('Enter');
        // The search sent again has started and been skipped (same words, same filters) by the time
        // a timer set after it fires.
        await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
        release();
        await expect.poll(() => page.locator('.results li').count(), POLL).toBe(found);
        expect(problems).toEqual([]);
      });

      it('works from the keyboard alone: Ctrl-K and / open it, arrows reach the results, Escape closes', async () => {
        const { page, problems } = await watch(context);
        await page.goto(site.url(routes.server('acme-pay')));
        const dialog = page.getByRole('dialog', { name: 'Search' });
        await page.keyboard.press('Control+k');
        await expect.poll(() => dialog.isVisible(), POLL).toBe(true);
        const input = dialog.getByRole('searchbox', { name: 'Tool or server' });
        await expect.poll(() => input.evaluate((el) => el === document.activeElement), POLL).toBe(true);
        await page.keyboard.type('payment');
        // Wait for the search of the whole word: results of a shorter prefix are replaced when it lands.
        await expect.poll(() => dialog.locator('.summary').textContent(), POLL).toContain('“payment”');
        await expect.poll(() => dialog.locator('.results a').count(), POLL).toBeGreaterThan(0);
        await page.keyboard.press('ArrowDown');
        const first = dialog.locator('.results a').first();
        await expect.poll(() => first.evaluate((el) => el === document.activeElement), POLL).toBe(true);
        // The same words searched again (a key event that lands as the panel starts, the form sent
        // again) keep the list, so the reader keeps their place in it.
        await first.evaluate((link) => {
          (link as HTMLAnchorElement & { marked?: boolean }).marked = true;
          const panel = link.closest('atlas-search')!;
          panel.querySelector('input[name="q"]')!.dispatchEvent(new Event('input'));
          panel.querySelector('form')!.requestSubmit();
        });
        await page.waitForTimeout(1000);
        expect(await page.evaluate(() => (document.activeElement as HTMLAnchorElement & { marked?: boolean }).marked)).toBe(true);
        await page.keyboard.press('ArrowUp');
        await expect.poll(() => input.evaluate((el) => el === document.activeElement), POLL).toBe(true);
        // Focus stays inside the open dialog.
        for (let i = 0; i < 12; i++) {
          await page.keyboard.press('Tab');
          expect(
            await page.evaluate(() => document.activeElement?.closest('dialog') !== null || document.activeElement === document.body),
          ).toBe(true);
        }
        await page.keyboard.press('Escape');
        await expect.poll(() => dialog.isVisible(), POLL).toBe(false);
        await page.keyboard.press('/');
        await expect.poll(() => dialog.isVisible(), POLL).toBe(true);
        await input.fill('create_payment');
        // The list still shows the last search's results until the new one lands: wait for it.
        await expect.poll(() => dialog.locator('.summary').textContent(), POLL).toContain('“create_payment”');
        await expect
          .poll(() => dialog.locator('.results a').first().getAttribute('href'), POLL)
          .toBe(withBase(routes.tool('acme-pay', 'create-payment'), base));
        await dialog.locator('.results a').first().focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => page.url(), POLL).toBe(site.url(routes.tool('acme-pay', 'create-payment')));
        expect(problems).toEqual([]);
      });

      it('copies exactly the displayed policy, and the copy validates', async () => {
        const { page, problems } = await watch(context);
        await page.goto(site.url(routes.tool('acme-files', 'write-note')));
        const block = page.getByRole('region', { name: 'Recommended policy for write_note' });
        const shown = await block.locator('pre').textContent();
        const figure = page.locator('figure', { has: block });
        await figure.getByRole('button', { name: 'Copy JSON' }).click();
        await expect.poll(() => figure.getByRole('status').textContent(), POLL).toBe('Copied');
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        expect(copied).toBe(shown);
        expect(policySchema.safeParse(JSON.parse(copied)).success).toBe(true);
        expect(problems).toEqual([]);
      });

      it('answers first: the risk block gives the level, the threat, what the policy does, and copies it in the chosen format', async () => {
        const { page, problems } = await watch(context);
        await page.goto(site.url(routes.tool('acme-files', 'write-note')));
        const block = page.getByRole('region', { name: 'Risk and recommended policy' });
        // The block comes before every section of detail.
        expect(
          await page.evaluate(() => {
            const block = document.querySelector('.risk-block')!;
            const first = document.querySelector('main section[aria-labelledby="why"]')!;
            return Boolean(block.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING);
          }),
        ).toBe(true);
        expect(await block.textContent()).toMatch(/Medium risk\s*step 2 of 4/);
        expect(await block.textContent()).toMatch(/Recommended policy:\s*Allowed, at most 30 calls a minute, with checks on output_path/);
        expect(await block.textContent()).toMatch(/whole policy for Acme Files under default deny/);
        await block.getByRole('button', { name: 'Copy policy.json' }).click();
        await expect.poll(() => block.getByRole('status').textContent(), POLL).toBe('Copied');
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        expect(copied).toBe(await page.locator('#recommended-policy-json pre').textContent());
        expect(policySchema.parse(JSON.parse(copied)).tools).toHaveProperty('write_note');
        await page.goto(site.url(routes.tool('acme-files', 'delete-file')));
        expect(await page.getByRole('region', { name: 'Risk and recommended policy' }).textContent()).toMatch(
          /Critical risk\s*step 4 of 4[\s\S]*Destructive[\s\S]*Hidden: removed from tools\/list/,
        );
        expect(problems).toEqual([]);
      });

      it('remembers the chosen format across pages: the heading, the copy button and the line on what it loses follow it', async () => {
        const formatContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await formatContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
        const { page, problems } = await watch(formatContext);
        await page.goto(site.url(routes.tool('acme-files', 'write-note')));
        const block = page.getByRole('region', { name: 'Risk and recommended policy' });
        await block.getByRole('combobox', { name: 'Format' }).selectOption('claude-code');
        await expect.poll(() => page.locator('#policy').textContent(), POLL).toBe('Recommended policy: Claude Code');
        // The line says what Claude Code does with this tool: it cannot check output_path, so it asks.
        expect(await block.locator('[data-format-line]:visible').textContent()).toMatch(/Claude Code asks a person before each call/);
        expect(await block.locator('[data-format-line]:visible').textContent()).toMatch(/Covers this tool only/);
        await block.getByRole('button', { name: 'Copy Claude Code' }).click();
        await expect.poll(() => block.getByRole('status').textContent(), POLL).toBe('Copied');
        const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as { permissions: { ask: string[] } };
        expect(copied.permissions.ask).toEqual(['mcp__acme-files__write_note']);
        // Another page opens in the same format.
        await page.goto(site.url(routes.tool('acme-files', 'delete-file')));
        const next = page.getByRole('region', { name: 'Risk and recommended policy' });
        await expect.poll(() => next.getByRole('button', { name: 'Copy Claude Code' }).isVisible(), POLL).toBe(true);
        expect(await page.locator('#policy').textContent()).toBe('Recommended policy: Claude Code');
        expect(await next.locator('[data-format-line]:visible').textContent()).toMatch(/Claude Code denies it: it cannot hide a tool/);
        await formatContext.close();
        expect(problems).toEqual([]);
      });

      it('says so when the evaluator cannot load, rather than loading for good', async () => {
        const page = await context.newPage();
        await page.route(/\/try-call\.[\w-]+\.js$/, (route) => route.abort());
        await page.goto(site.url(routes.tool('acme-files', 'write-note')));
        await page.getByText('Try a call against this policy').click();
        const form = page.locator('try-call');
        await form.getByRole('button', { name: 'Decide' }).click();
        await expect
          .poll(() => form.getByRole('status').textContent(), POLL)
          .toBe('The evaluator could not load: reload the page to try again.');
        await page.close();
      });
    }

    it('copies exactly what the format picker shows, in every format', async () => {
      const { page, problems } = await watch(context);
      await page.goto(site.url(routes.tool('acme-files', 'write-note')));
      const section = page.locator('section[aria-labelledby="policy"]');
      for (const [id, label] of [
        ['intercept-yaml', 'Intercept'],
        ['claude-code', 'Claude Code'],
        ['gemini-policy', 'Gemini CLI policy'],
        ['codex', 'Codex'],
        ['cedar', 'ToolHive (Cedar)'],
      ] as const) {
        await section.getByRole('radio', { name: label, exact: true }).check();
        const panel = section.locator(`.panel[data-format="${id}"]`);
        await expect.poll(() => panel.isVisible(), POLL).toBe(true);
        // Written in the browser on first pick, by the exporter the build uses for server files.
        await expect.poll(() => panel.locator('pre').getAttribute('data-written'), POLL).toBe('true');
        const policy = policySchema.parse(JSON.parse((await section.locator('#recommended-policy-json pre').textContent())!));
        expect(await panel.locator('pre').textContent()).toBe(exportFor(id, { server: 'acme-files', policy, tools: ['write_note'] }).text);
        expect(await section.locator('.panel[data-format="policy-json"]').isVisible()).toBe(false);
        const shown = await panel.locator('pre').textContent();
        await panel.getByRole('button', { name: `Copy ${label}` }).click();
        await expect.poll(() => panel.getByRole('status').textContent(), POLL).toBe('Copied');
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);
        expect(shown).toContain('write_note');
      }
      // The pick is remembered for the next pages; the tests after this one start from policy.json.
      await page.evaluate(() => localStorage.clear());
      expect(problems).toEqual([]);
    });

    it('decides a call typed into Try a call with the evaluator, loaded only when opened, even if pressed before it arrives', async () => {
      const { page, problems } = await watch(context);
      const scripts: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(request.url());
      });
      // The evaluator is held back until Decide has been pressed, as on a slow connection.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(/\/try-call\.[\w-]+\.js$/, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(site.url(routes.tool('acme-files', 'write-note')));
      expect(scripts.some((url) => url.includes('try-call'))).toBe(false);
      await page.getByText('Try a call against this policy').click();
      const form = page.locator('try-call');
      await form.getByLabel('Arguments (JSON)').fill('{"output_path": "../../.ssh/authorized_keys", "text": "x"}');
      await form.getByRole('button', { name: 'Decide' }).click();
      // The press is kept, said so, and answered once the evaluator arrives.
      await expect.poll(() => form.getByRole('status').textContent(), POLL).toBe('Loading the evaluator…');
      release();
      await expect.poll(() => form.getByRole('status').textContent(), POLL).toMatch(/^Denied — .*outside the workspace/);
      await form.getByLabel('Arguments (JSON)').fill('{"output_path": "notes/today.md", "text": "x"}');
      await form.getByRole('button', { name: 'Decide' }).click();
      await expect.poll(() => form.getByRole('status').textContent(), POLL).toMatch(/^Allowed/);
      expect(scripts.some((url) => url.includes('try-call'))).toBe(true);
      expect(problems).toEqual([]);
    });

    it('composes a policy on a server page and downloads a bundle that validates', async () => {
      const { page, problems } = await watch(context);
      await page.goto(site.url(routes.server('acme-files')));
      await page.getByText('Compose your own policy for Acme Files').click();
      const composer = page.locator('policy-composer');
      await composer.getByRole('combobox', { name: 'Policy for list_files' }).selectOption('hide');
      await composer.getByRole('combobox', { name: 'Policy for read_file' }).selectOption('stricter');
      await expect.poll(() => composer.locator('[data-output]').textContent(), POLL).toContain('"hide"');
      const [download] = await Promise.all([page.waitForEvent('download'), composer.getByRole('button', { name: 'Download' }).click()]);
      expect(download.suggestedFilename()).toBe('acme-files.policy.json');
      const text = readFileSync((await download.path())!, 'utf8');
      const policy = policySchema.parse(JSON.parse(text));
      expect(policy.hide).toContain('list_files');
      expect(policy.tools?.['read_file']?.limits?.[0]?.window).toBe('hour');
      await composer.getByRole('combobox', { name: 'Format' }).selectOption('claude-code');
      await expect.poll(() => composer.locator('[data-output]').textContent(), POLL).toContain('mcp__acme-files__list_files');
      expect(problems).toEqual([]);
    });

    it('shows the server badge with its title, and serves feeds a feed parser reads', async () => {
      const { page, problems } = await watch(context);
      await page.goto(site.url(routes.server('acme-files')));
      const badge = page.getByRole('img', { name: /^MCP risk: / });
      await expect.poll(() => badge.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), POLL).toBe(true);
      const svg = await (await page.request.get(new URL((await badge.getAttribute('src'))!, site.origin).href)).text();
      expect(svg).toMatch(/<title>MCP risk of Acme Files: \d+ critical, \d+ high, \d+ medium, \d+ low<\/title>/);
      const markdown = await page.locator('figure.snippet pre').textContent();
      expect(markdown).toBe(
        `[![MCP risk](${absoluteUrl(routes.serverBadge('acme-files'), SITE, base)})](${absoluteUrl(routes.server('acme-files'), SITE, base)})`,
      );
      for (const path of [routes.changesFeed, routes.serverFeed('acme-files')]) {
        const response = await page.request.get(site.url(path));
        const feed = parseFeed(await response.text());
        expect(feed.items.length).toBeGreaterThan(0);
        const first = new URL(feed.items[0]!.url!);
        expect((await page.request.get(site.url(first.pathname.slice(base.length)))).status()).toBe(200);
      }
      await page.goto(site.url(routes.changes));
      await expect.poll(() => page.locator('.changes li').count(), POLL).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });

    it('serves the downloadable server bundle', async () => {
      const { page } = await watch(context);
      await page.goto(site.url(routes.server('acme-files')));
      const link = page.getByRole('link', { name: 'Download acme-files.policy.json' });
      for (const { file } of EXPORT_FORMATS.filter((format) => format.id !== 'policy-json')) {
        const response = await page.request.get(site.url(routes.serverFile('acme-files', file)));
        expect(response.status(), file).toBe(200);
      }
      const response = await page.request.get(new URL((await link.getAttribute('href'))!, site.origin).href);
      expect(response.status()).toBe(200);
      expect(policySchema.safeParse(await response.json()).success).toBe(true);
    });
  });
}

describe('a catalogue whose search index is split into shards, served from /atlas/', () => {
  // The fixture catalogue under the base, built with a small shard size (UNDER_BASE_SHARD_SIZE):
  // the search tests above ran on these shards there, merged in the browser.
  const base = '/atlas/';
  let site: Awaited<ReturnType<typeof serveSite>>;
  let outDir: string;
  let context: BrowserContext;
  let shards: ReturnType<typeof searchShards>;
  let servers: LoadedServer[];

  beforeAll(async () => {
    const built = await fixtureSite('catalogUnderBase');
    outDir = built.outDir;
    servers = readCatalog(built.contentDir);
    shards = searchShards(servers, UNDER_BASE_SHARD_SIZE);
    site = await serveSite(outDir, base);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await context?.close();
    await site?.close();
  });

  it('writes one folder per shard and names them for the browser', () => {
    expect(shards.length).toBeGreaterThan(1);
    const manifest = JSON.parse(readFileSync(join(outDir, 'pagefind/shards.json'), 'utf8')) as { shards: string[] };
    expect(manifest.shards).toHaveLength(shards.length);
    for (const folder of manifest.shards) expect(existsSync(join(outDir, 'pagefind', folder, 'pagefind-entry.json'))).toBe(true);
  });

  it('searches every shard: a tool from each, filters and counts over the whole catalogue', async () => {
    const catalog = catalogIndexSchema.parse(JSON.parse(readFileSync(join(outDir, routes.catalogIndex), 'utf8')));
    const { page, problems } = await watch(context);
    await page.goto(site.url(routes.search));
    // One tool from each shard, found by its exact name: every shard holds a server (an empty one
    // would stop the whole search in the browser), and so a tool.
    const count = shards.length;
    const searched = Array.from({ length: count }, (_, n) =>
      servers.find((s) => shardOf(s.server.slug, count) === n && s.tools.length > 0),
    );
    expect(searched.filter(Boolean)).toHaveLength(count);
    for (const loaded of searched) {
      const tool = loaded!.tools[0]!;
      await page.getByRole('searchbox', { name: 'Tool or server' }).fill(tool.name);
      await expect
        .poll(() => page.locator('.results a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))), POLL)
        .toContain(withBase(routes.tool(loaded!.server.slug, tool.slug!), base));
    }
    await page.getByRole('searchbox', { name: 'Tool or server' }).fill('');
    await page.getByLabel('Risk').selectOption('Critical');
    await expect.poll(() => page.locator('.summary').textContent(), POLL).toBe(`${catalog.totals.byRisk.critical} results`);
    // Every server appears in the server filter (plus "Any server").
    expect(await page.getByLabel('Server', { exact: true }).locator('option').count()).toBe(catalog.totals.servers + 1);
    expect(problems).toEqual([]);
  });
});
