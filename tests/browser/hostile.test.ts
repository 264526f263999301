import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServer, readToolsListFile } from '../../src/lib/importer.ts';
import { buildSite, repoRoot } from '../helpers/site.ts';
import { serveSite } from '../helpers/serve.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const POLL = { timeout: 15_000 };

let browser: Browser;
let site: Awaited<ReturnType<typeof serveSite>>;
let toolPaths: string[];

beforeAll(async () => {
  const contentDir = mkdtempSync(join(tmpdir(), 'atlas-hostile-browser-'));
  const { tools, server } = readToolsListFile(join(repoRoot, 'tests/fixtures/hostile/hostile.json'));
  importServer({
    tools,
    server,
    source: { kind: 'file', file: 'hostile.json' },
    transport: 'unknown',
    contentDir,
    today: '2026-11-01',
    origin: 'hostile.json',
  });
  const build = buildSite({ contentDir });
  if (build.status !== 0) throw new Error(build.output);
  site = await serveSite(build.outDir);
  toolPaths = readdirSync(join(build.outDir, 'tools/hostile')).map((slug) => `tools/hostile/${slug}/`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
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
    for (const path of [...toolPaths, 'servers/hostile/', 'poisoning/', '']) {
      await page.goto(site.url(path));
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned), path).toBeUndefined();
    }
    await page.goto(site.url('search/?q=script'));
    await expect.poll(() => page.locator('.results li').count(), POLL).toBeGreaterThan(0);
    expect(await page.locator('.results img, .results script, .results svg').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await context.close();
  });
});
