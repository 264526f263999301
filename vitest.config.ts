import { defineConfig } from 'vitest/config';
import { ProjectsInTurnSequencer } from './tests/setup/sequencer.ts';

/**
 * Workers shared by every project (Vitest requires one count for projects that run together).
 * More than the two cores of a CI machine on purpose: build files spend most of their time
 * waiting for their turn to build, browser files for Chromium, live files for child processes.
 */
const WORKERS = 3;

/**
 * The tests in layers, each runnable alone (`npm run test:unit`, `test:live`, `test:build`,
 * `test:browser`); `npm test` runs them all side by side, as CI does.
 * - unit: no build, no network, no browser.
 * - live: real MCP servers and the guard, started as child processes.
 * - build: real Astro builds. Builds from the project folder cannot overlap (they share its
 *   .astro folder), so each waits its turn in tests/helpers/build-lock.ts.
 * - browser: Chromium on built sites.
 * The fixture sites that build and browser tests read are built once per run, in the background,
 * by tests/setup/fixture-sites.ts, and shared read-only.
 */
export default defineConfig({
  test: {
    sequence: { sequencer: ProjectsInTurnSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // A unit test that hangs should fail; one slowed by a busy machine (the Cedar engine's
          // corpus takes a minute when six people share two cores) should not.
          testTimeout: 120_000,
          maxWorkers: WORKERS,
          // Worker threads, each file with its own modules: with modules kept from file to file
          // (isolate: false), Node 22's V8 crashed (a fatal error in its deoptimiser) when the
          // red-team, attack-corpus and exports files ran in one worker.
          pool: 'threads',
          isolate: true,
        },
      },
      {
        test: {
          name: 'live',
          include: ['tests/live/**/*.test.ts'],
          maxWorkers: WORKERS,
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'build',
          include: ['tests/build/**/*.test.ts'],
          globalSetup: ['tests/setup/build-sites.ts'],
          maxWorkers: WORKERS,
          // A test here runs up to six builds, each waiting its turn behind other files' builds.
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/setup/browser-sites.ts'],
          maxWorkers: WORKERS,
          // The accessibility test runs axe four times on every page type (two widths, two themes),
          // beside builds and other tests.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
