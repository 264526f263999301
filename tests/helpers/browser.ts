import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../src/cli/dev/chromium.ts';
import { serveSite } from '../../src/cli/dev/serve.ts';
import { fixtureSite, type FixtureSiteName } from './fixture-sites.ts';

/** Pagefind loads its index on first use; give the search UI time to answer. */
export const POLL = { timeout: 15_000 };

export interface ServedSite {
  browser: Browser;
  site: Awaited<ReturnType<typeof serveSite>>;
}

/**
 * Serves a fixture site at `/` and opens Chromium for the calling file's tests, closing both
 * after them. The fields are set once the file's first hook has run.
 */
export function servedFixtureSite(name: FixtureSiteName): ServedSite {
  const served = {} as ServedSite;
  beforeAll(async () => {
    served.site = await serveSite((await fixtureSite(name)).outDir, '/');
    served.browser = await launchChromium();
  });
  afterAll(async () => {
    await served.browser?.close();
    await served.site?.close();
  });
  return served;
}
