import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { ProjectsInTurnSequencer } from './tests/setup/sequencer.ts';
import { makeRunFolder } from './tests/setup/temp-folder.ts';

// Everything the run writes to a temporary folder goes in one, removed when the run ends
// (tests/setup/temp-folder.ts, every project's first global setup).
process.env['TMPDIR'] = makeRunFolder();
const RUN_FOLDER = 'tests/setup/temp-folder.ts';

/**
 * Workers shared by every project (Vitest requires one count for projects that run together).
 * More than the two cores of a CI machine on purpose: build files spend most of their time
 * waiting for their turn to build, browser files for Chromium, live files for child processes.
 */
const WORKERS = 3;

/**
 * The unit files that run the Cedar engine (WebAssembly, through tests/helpers/toolhive-cedar.ts).
 * With modules kept from file to file, Node 22's V8 once crashed (a fatal error in its deoptimiser)
 * when three of them ran in one worker; they keep a fresh copy of their modules each.
 */
const unitFolder = fileURLToPath(new URL('./tests/unit/', import.meta.url));
const CEDAR_UNIT_FILES = readdirSync(unitFolder)
  .filter((name) => name.endsWith('.test.ts'))
  .filter((name) => /toolhive-cedar|@cedar-policy\/cedar-wasm/.test(readFileSync(join(unitFolder, name), 'utf8')))
  .map((name) => `tests/unit/${name}`);

/**
 * The tests in layers, each runnable alone (`npm run test:unit`, `test:live`, `test:build`,
 * `test:browser`); `npm test` runs them all side by side, as CI does.
 * - unit (and unit-cedar, its files that run the Cedar engine): no build, no network, no browser.
 * - live: real MCP servers and the guard, started as child processes.
 * - build: real Astro builds, each from its own copy of the project (tests/helpers/project-copy.ts),
 *   two at a time (tests/helpers/build-lock.ts).
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
          globalSetup: [RUN_FOLDER],
          include: ['tests/unit/**/*.test.ts'],
          exclude: CEDAR_UNIT_FILES,
          // A unit test that hangs should fail; one slowed by a busy machine should not.
          testTimeout: 120_000,
          maxWorkers: WORKERS,
          // Worker threads, the modules a file imports kept for the next file in the worker: with a
          // fresh copy per file the unit tests took half as much CPU again (64 core-seconds against
          // 40–44, and 33 s against 21–23 s).
          // Unit tests share no mutable state: caches are keyed by their input, and env stubs and
          // spies are restored.
          pool: 'threads',
          isolate: false,
        },
      },
      {
        test: {
          name: 'unit-cedar',
          globalSetup: [RUN_FOLDER],
          include: CEDAR_UNIT_FILES,
          // The Cedar engine's corpus takes a minute when six people share two cores.
          testTimeout: 120_000,
          maxWorkers: WORKERS,
          pool: 'threads',
          isolate: true,
        },
      },
      {
        test: {
          name: 'live',
          globalSetup: [RUN_FOLDER],
          include: ['tests/live/**/*.test.ts'],
          maxWorkers: WORKERS,
          testTimeout: 120_000,
          // The SDK and the guard's modules kept from file to file, as in unit: 0.8–0.94 of the
          // project's CPU alone, measured back to back twice. Each test starts its own processes.
          isolate: false,
        },
      },
      {
        test: {
          name: 'build',
          include: ['tests/build/**/*.test.ts'],
          globalSetup: [RUN_FOLDER, 'tests/setup/build-sites.ts'],
          maxWorkers: WORKERS,
          // Each build runs in its own child process; a worker keeps the helpers' modules (parse5,
          // the schemas, the SDK) from file to file. A test passes a build its environment rather
          // than setting process.env, which the next file in the worker would inherit.
          isolate: false,
          // A test here runs up to six builds, each waiting its turn behind other files' builds.
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: [RUN_FOLDER, 'tests/setup/browser-sites.ts'],
          maxWorkers: WORKERS,
          // Each file launches its own Chromium; a worker keeps playwright-core's modules loaded.
          isolate: false,
          // The accessibility test runs axe four times on every page type (two widths, two themes),
          // beside builds and other tests.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
