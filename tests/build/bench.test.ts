import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/cli/dev/bench.ts';

/** Each Markdown table of a report, as rows keyed by the column headings a reader sees. */
function tables(report: string): Array<Array<Record<string, string>>> {
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const found: Array<Array<Record<string, string>>> = [];
  const lines = report.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || !lines[i + 1]?.startsWith('| ---')) continue;
    const header = cells(lines[i]!);
    const rows: Array<Record<string, string>> = [];
    for (i += 2; lines[i]?.startsWith('|'); i++) {
      const row = cells(lines[i]!);
      expect(row, lines[i]).toHaveLength(header.length);
      rows.push(Object.fromEntries(header.map((name, n) => [name, row[n]!])));
    }
    found.push(rows);
  }
  return found;
}

// The benchmark's figures are judged by reading them, not here; this checks the command
// produces its tables from a real build, and that the figures agree with each other.
describe('the benchmark command', () => {
  it('builds a generated catalogue and reports every column', async () => {
    const out = mkdtempSync(join(tmpdir(), 'atlas-bench-'));
    const report = await runBench({ sizes: [40], serversPerTool: 0.25, seed: 2, out, log: () => undefined });
    expect(report).toContain('Machine: ');
    const [[build], [incremental], [search]] = tables(report) as [
      [Record<string, string>],
      [Record<string, string>],
      [Record<string, string>],
    ];
    for (const row of [build, incremental, search]) {
      expect(row['tools']).toBe('40');
      for (const [column, value] of Object.entries(row)) expect(value, column).not.toBe('');
    }
    const pages = Number(build['pages']);
    expect(pages).toBeGreaterThan(40); // tools plus servers and indexes
    expect(Number(build['servers'])).toBe(10);
    expect(build['peak RSS MB by process']).toMatch(/node \d+/);
    // A rebuild with no change renders only the pages without a cache key (home, indexes,
    // llms.txt, …); one with a server's tools edited renders more.
    const renderedNoChange = Number(incremental['paths rendered (no change)']);
    expect(renderedNoChange).toBeLessThan(pages / 2);
    expect(Number(incremental['paths rendered'])).toBeGreaterThan(renderedNoChange);
    expect(Number(incremental['tools edited'])).toBeGreaterThan(0);
    // Search was tried in Chromium and its Critical count is the catalogue's.
    const [shown, expected] = search['Critical filter: shown / in catalog.json']!.split(' / ').map(Number);
    expect(shown).toBe(expected);
    expect(Number(search['first result ms'])).toBeGreaterThan(0);
  });
});
