import { writeFileSync } from 'node:fs';
import type { AstroIntegration } from 'astro';
import { buildMarks, markOnce } from '../lib/site/build-marks.ts';

/**
 * Build phase timings for the benchmark. Marks are taken at Astro's hooks (and by the
 * search integration around indexing); when ATLAS_BENCH_TIMINGS names a file, the
 * marks and the process's peak RSS are written there at the very end of the build.
 */
export const mark = markOnce;

export function timingsIntegration(): AstroIntegration {
  const file = process.env['ATLAS_BENCH_TIMINGS'];
  const hook = (name: string) => () => {
    if (file) mark(name);
  };
  return {
    name: 'policy-atlas-timings',
    hooks: {
      'astro:config:done': hook('config:done'),
      'astro:build:start': hook('build:start'),
      'astro:build:generated': hook('build:generated'),
      'astro:build:done': () => {
        if (!file) return;
        mark('build:done');
        writeFileSync(file, JSON.stringify({ marks: buildMarks(), maxRssKb: process.resourceUsage().maxRSS }, null, 2));
      },
    },
  };
}
