import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

/** The project folder: where astro.config.mjs is, and what a build runs in. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface AstroBuildOptions {
  /** The catalogue folder (ATLAS_CONTENT). */
  contentDir: string;
  outDir: string;
  /** Astro's cache (ATLAS_CACHE_DIR): keep it between builds and a rebuild is incremental. */
  cacheDir: string;
  /** The sub-path the site is served from (ATLAS_BASE); astro.config.mjs's default when left out. */
  base?: string;
  /** The public origin (ATLAS_SITE); astro.config.mjs's default when left out. */
  site?: string;
  /** More arguments for `astro build`, e.g. `--full`. */
  args?: readonly string[];
  /** More environment, e.g. the benchmark's ATLAS_BENCH_TIMINGS. */
  env?: Record<string, string>;
}

/**
 * The command line and environment of a real `astro build` in a child process, with the
 * project's own Astro and the Node running this: what the benchmark and the tests run.
 */
export function astroBuildCommand(options: AstroBuildOptions): { command: string; args: string[]; env: NodeJS.ProcessEnv; cwd: string } {
  // A parent run by Vite (Vitest, or a script under it) has Vite's own variables (BASE_URL,
  // MODE, …) in process.env; a child Astro build would take them as its own and lose the base.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR'].includes(key) && !key.startsWith('VITE')),
  );
  return {
    command: process.execPath,
    args: [join(projectRoot, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', options.outDir, ...(options.args ?? [])],
    env: {
      ...inherited,
      ATLAS_CONTENT: options.contentDir,
      ATLAS_CACHE_DIR: options.cacheDir,
      ...(options.base !== undefined ? { ATLAS_BASE: options.base } : {}),
      ...(options.site !== undefined ? { ATLAS_SITE: options.site } : {}),
      ASTRO_TELEMETRY_DISABLED: '1',
      ...options.env,
    },
    cwd: projectRoot,
  };
}

/**
 * What one line of `astro build`'s log says about a path: rendered now, or kept from the
 * previous build (cached in place, or restored from the cache). Astro colours its log when it
 * thinks the terminal can (CI=true does), so only the text is read.
 */
export function astroLogLine(line: string): 'rendered' | 'kept' | undefined {
  const text = stripVTControlCharacters(line);
  if (/\((?:cached|restored)\)/.test(text)) return 'kept';
  if (/├─ \S+ \(\+[\d.]+m?s\)/.test(text)) return 'rendered';
  return undefined;
}

/** How many paths a build's log says it rendered, and how many it kept from the previous build. */
export function renderCounts(log: string): { rendered: number; kept: number } {
  const kinds = log.split('\n').map(astroLogLine);
  return { rendered: kinds.filter((kind) => kind === 'rendered').length, kept: kinds.filter((kind) => kind === 'kept').length };
}
