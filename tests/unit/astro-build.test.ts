import { describe, expect, it, vi } from 'vitest';
import { astroBuildCommand, renderCounts } from '../../src/cli/dev/astro-build.ts';
import { writeFileAtomic } from '../../src/lib/shared/files.ts';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('the real build command', () => {
  it("passes the catalogue, output, cache and base, and none of Vite's own variables", () => {
    // Any script Vite runs (Vitest too) has Vite's own variables; set here so the test does not rely on Vitest's.
    vi.stubEnv('BASE_URL', '/vite-base/');
    vi.stubEnv('MODE', 'test');
    vi.stubEnv('VITE_USER_NODE_ENV', 'test');
    // The rest of the environment (a proxy, a CA) reaches the build.
    vi.stubEnv('HTTPS_PROXY', 'http://proxy.example:3128');
    let command;
    try {
      command = astroBuildCommand({ contentDir: '/c', outDir: '/o', cacheDir: '/k', base: '/atlas/', args: ['--full'] });
    } finally {
      vi.unstubAllEnvs();
    }
    const { args, env } = command;
    expect(args.slice(1)).toEqual(['build', '--outDir', '/o', '--full']);
    expect(env).toMatchObject({
      ATLAS_CONTENT: '/c',
      ATLAS_CACHE_DIR: '/k',
      ATLAS_BASE: '/atlas/',
      HTTPS_PROXY: 'http://proxy.example:3128',
    });
    for (const key of ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'VITE_USER_NODE_ENV']) expect(env[key], key).toBeUndefined();
    // Left out, the base and origin are astro.config.mjs's defaults, not an empty value.
    expect(astroBuildCommand({ contentDir: '/c', outDir: '/o', cacheDir: '/k' }).env['ATLAS_BASE']).toBeUndefined();
  });

  it("counts rendered and kept paths in Astro's log, coloured or not", () => {
    const log = [
      '\u001b[32m  ├─ /tools/a/b/index.html\u001b[39m \u001b[2m(+12ms)\u001b[22m',
      '  ├─ /servers/a/index.html (+1.2s)',
      '  ├─ /tools/a/c/index.html (cached)',
      '\u001b[2m  ├─ /tools/a/d/index.html (restored)\u001b[22m',
      '12:00:00 [build] 4 page(s) built',
    ].join('\n');
    expect(renderCounts(log)).toEqual({ rendered: 2, kept: 2 });
  });
});

describe('writeFileAtomic', () => {
  it('writes the whole text, leaves no temporary file, and keeps the mode asked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-atomic-'));
    const path = join(dir, 'nested', 'config.json');
    writeFileAtomic(path, '{"a":1}\n', { mode: 0o600 });
    writeFileAtomic(path, '{"a":2}\n', { mode: 0o600 });
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}\n');
    expect(readdirSync(join(dir, 'nested'))).toEqual(['config.json']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('removes its temporary file when the rename fails, and changes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-atomic-'));
    // A folder where the file should go: the write succeeds, the rename over it fails.
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'inside'), 'kept');
    expect(() => writeFileAtomic(join(dir, 'taken'), 'new')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(join(dir, 'taken', 'inside'), 'utf8')).toBe('kept');
  });
});
