import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/cli/dev/bench.ts';

// The benchmark's figures are judged by reading them, not here; this only checks the
// command produces its table from a real build.
describe('the benchmark command', () => {
  it('builds a generated catalogue and reports every column', async () => {
    const out = mkdtempSync(join(tmpdir(), 'atlas-bench-'));
    const report = await runBench({ sizes: [40], serversPerTool: 0.25, seed: 2, out, log: () => undefined });
    // The report has three tables, each with one row for the 40-tool catalogue.
    const [cells, incremental, search] = report
      .split('\n')
      .filter((line) => line.startsWith('| 40 |'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      ) as [string[], string[], string[]];
    expect(cells).toHaveLength(18);
    expect(Number(cells[2])).toBeGreaterThan(40); // pages: tools plus servers and indexes
    expect(cells[13]).toMatch(/node \d+/); // peak RSS of the build process
    expect(report).toContain('Machine: ');
    // The incremental rows: a rebuild with no change renders only the pages without a cache
    // key (home, indexes, llms.txt, …); one with a server's tools edited renders more.
    expect(incremental).toHaveLength(10);
    const [, , , , , renderedAfterEdit, , , , renderedNoChange] = incremental.map(Number);
    expect(renderedNoChange).toBeLessThan(Number(cells[2]) / 2);
    expect(renderedAfterEdit).toBeGreaterThan(renderedNoChange!);
    // Search was tried in Chromium and its Critical count is the catalogue's.
    const [shown, expected] = search[5]!.split(' / ').map(Number);
    expect(shown).toBe(expected);
  }, 120_000);
});
