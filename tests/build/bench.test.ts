import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/cli/dev/bench.ts';
import { readCatalog } from '../../src/lib/catalog/files.ts';
import { routes } from '../../src/lib/site/routes.ts';
import { catalogIndexSchema } from '../../src/schemas/outputs.ts';
import { withBuildLock } from '../helpers/build-lock.ts';
import { readOutput } from '../helpers/site.ts';

/** A row of a Markdown table as a reader reads it: each cell under its column's heading, in order (headings may repeat). */
type Row = Array<{ column: string; value: string }>;

/** The table that follows the paragraph starting with `intro`, as rows. */
function tableAfter(report: string, intro: string): Row[] {
  const lines = report.split('\n');
  const start = lines.findIndex((line) => line.startsWith(intro));
  expect(start, `no paragraph starting "${intro}"`).toBeGreaterThanOrEqual(0);
  const first = lines.findIndex((line, i) => i > start && line.startsWith('|'));
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const header = cells(lines[first]!);
  expect(cells(lines[first + 1]!).every((cell) => /^-+$/.test(cell))).toBe(true);
  const rows: Row[] = [];
  for (let i = first + 2; lines[i]?.startsWith('|'); i++) {
    const row = cells(lines[i]!);
    expect(row, lines[i]).toHaveLength(header.length);
    rows.push(header.map((column, n) => ({ column, value: row[n]! })));
  }
  return rows;
}

const cell = (row: Row, column: string) => row.find((c) => c.column === column)!.value;
const number = (row: Row, column: string) => {
  const value = Number(cell(row, column));
  expect(Number.isFinite(value), `${column}: ${cell(row, column)}`).toBe(true);
  return value;
};

// The benchmark's figures are judged by reading them, not here: this checks that RESULTS.md says
// what a reader takes from it, for a real build of a generated catalogue, and that its figures
// agree with each other and with what was built.
describe('the benchmark command', () => {
  it('reports a real build of a generated catalogue in tables a reader can trust', async () => {
    const out = mkdtempSync(join(tmpdir(), 'atlas-bench-'));
    // Each of the benchmark's real builds from the project folder waits its turn like any test build
    // (its search probe in Chromium does not hold the queue).
    const report = await runBench({ sizes: [40], serversPerTool: 0.25, seed: 2, out, log: () => undefined, runBuild: withBuildLock });
    expect(report).toMatch(/^Machine: \d+ × .+, \d+ GiB RAM, Linux .+, Node v\d+/m);

    // One row per size, for the catalogue that was generated and built.
    const [build] = tableAfter(report, 'Taken with `npm run bench`');
    const work = join(out, 'size-40');
    const generated = readCatalog(join(work, 'content'));
    expect(number(build!, 'tools')).toBe(generated.reduce((n, server) => n + server.tools.length, 0));
    expect(number(build!, 'servers')).toBe(generated.length);
    expect(number(build!, 'tools')).toBe(40);
    for (const { column, value } of build!) expect(value, column).not.toBe('');
    const pages = number(build!, 'pages');
    expect(pages).toBeGreaterThan(40); // a page per tool, plus servers and indexes
    expect(number(build!, 'build wall s')).toBeGreaterThan(0);
    expect(cell(build!, 'peak RSS MB by process')).toMatch(/node \d+/);

    // Each "of full" is the rebuild's seconds beside it against the full build's.
    const [incremental] = tableAfter(report, 'Incremental rebuilds');
    expect(number(incremental!, 'tools')).toBe(40);
    const full = number(incremental!, 'full build s');
    expect(full).toBe(number(build!, 'build wall s'));
    const ratios = incremental!.flatMap((c, i) => (c.column === 'of full' ? [[incremental![i - 1]!, c] as const] : []));
    expect(ratios.map(([seconds]) => seconds.column)).toEqual(['one-server change s', 'no-change rebuild s']);
    for (const [seconds, ratio] of ratios) {
      const [, divisor] = /^1\/(\d+(?:\.\d)?)$/.exec(ratio.value) ?? [];
      expect(divisor, ratio.value).toBeDefined();
      // The seconds are printed to a tenth, and so is the ratio: the ratio lies where those roundings allow, no further.
      const rebuild = Number(seconds.value);
      expect(Number(divisor), `${ratio.value} beside ${seconds.value} s`).toBeGreaterThanOrEqual((full - 0.05) / (rebuild + 0.05) - 0.05);
      expect(Number(divisor), `${ratio.value} beside ${seconds.value} s`).toBeLessThanOrEqual((full + 0.05) / (rebuild - 0.05) + 0.05);
    }
    // A rebuild with no change renders only the pages without a cache key; one with tools edited renders more.
    const renderedNoChange = number(incremental!, 'paths rendered (no change)');
    expect(renderedNoChange).toBeLessThan(pages / 2);
    expect(number(incremental!, 'paths rendered')).toBeGreaterThan(renderedNoChange);
    expect(number(incremental!, 'tools edited')).toBeGreaterThan(0);
    expect(cell(incremental!, 'search shards re-indexed')).toMatch(/^\d+ of \d+$/);

    // Search found the tool it names, and the Critical filter showed the catalogue's own count.
    const [search] = tableAfter(report, 'Search on the clean build');
    expect(number(search!, 'tools')).toBe(40);
    const query = /^`(.+)`$/.exec(cell(search!, 'searched for'))![1]!;
    expect(generated.flatMap((server) => server.tools.map((tool) => tool.name.toLowerCase()))).toContain(query.toLowerCase());
    expect(number(search!, 'first result ms')).toBeGreaterThan(0);
    const index = catalogIndexSchema.parse(JSON.parse(readOutput(join(work, 'dist'), routes.catalogIndex)));
    expect(cell(search!, 'Critical filter: shown / in catalog.json')).toBe(
      `${index.totals.byRisk.critical} / ${index.totals.byRisk.critical}`,
    );
  });
});
