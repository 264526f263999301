/**
 * Whether this build was asked to render every page and index every search shard, whatever
 * its caches say: `npm run build -- --full`, Astro's own `--force`, or ATLAS_FULL_BUILD=1.
 */
export function fullBuildRequested(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): boolean {
  return argv.includes('--full') || argv.includes('--force') || env['ATLAS_FULL_BUILD'] === '1';
}
