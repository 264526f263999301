import { defineConfig } from 'vitest/config';

/**
 * Workers for the first group (unit and live share it, so they must share this). Vitest 4 runs
 * one worker fewer than the machine has cores: one, on a 2-core machine, so nothing ran in
 * parallel. Every core instead; the main process mostly waits.
 */
const FIRST_GROUP_WORKERS = '100%';

/**
 * The tests in layers, each runnable alone (`npm run test:unit`, `test:live`, `test:build`,
 * `test:browser`); `npm test` runs them all, as CI does.
 * - unit: no build, no network, no browser; files run in parallel.
 * - live: real MCP servers started as child processes; in parallel, they mostly wait.
 * - build and browser: real Astro builds and Chromium. One file at a time in each, because a
 *   build takes every core it can get. The fixture sites they read are built once per run by
 *   tests/setup/fixture-sites.ts and shared (read-only) by every file that needs them.
 * Groups run in order: unit and live, then build, then browser.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // A unit test that hangs should fail; one slowed by a busy machine (the Cedar engine's
          // corpus takes a minute when six people share two cores) should not.
          testTimeout: 120_000,
          sequence: { groupOrder: 0 },
          maxWorkers: FIRST_GROUP_WORKERS,
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
          sequence: { groupOrder: 0 },
          maxWorkers: FIRST_GROUP_WORKERS,
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'build',
          include: ['tests/build/**/*.test.ts'],
          globalSetup: ['tests/setup/build-sites.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          // A test here runs up to six builds one after another; on a busy machine one takes minutes.
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/setup/browser-sites.ts'],
          fileParallelism: false,
          // After the build tests: a build beside Chromium slows its pages past their timeouts.
          sequence: { groupOrder: 2 },
          // The accessibility test runs axe four times on every page type (two widths, two themes);
          // on a busy machine that takes minutes.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
