import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/cli/bench.ts';

// The benchmark's figures are judged by reading them, not here; this only checks the
// command produces its table from a real build.
describe('the benchmark command', () => {
  it('builds a generated catalogue and reports every column', async () => {
    const out = mkdtempSync(join(tmpdir(), 'atlas-bench-'));
    const report = await runBench({ sizes: [40], serversPerTool: 0.25, seed: 2, out, log: () => undefined });
    const row = report.split('\n').find((line) => line.startsWith('| 40 |'))!;
    const cells = row
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    expect(cells).toHaveLength(17);
    expect(Number(cells[2])).toBeGreaterThan(40); // pages: tools plus servers and indexes
    expect(cells[13]).toMatch(/node \d+/); // peak RSS of the build process
    expect(report).toContain('Machine: ');
  }, 120_000);
});
