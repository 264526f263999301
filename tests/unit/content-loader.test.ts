import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError, readCatalog, readCatalogShared } from '../../src/lib/catalog/files.ts';
import { fixtureCatalog } from '../helpers/site.ts';

/**
 * What a build says about bad content, without a build: the build reads the catalogue with
 * readCatalogShared (src/data/catalog.ts), and fails with its error. One real failing build
 * (tests/build/build.test.ts) checks that the build does fail and prints it.
 */
function brokenCatalog(edits: Record<string, (file: { tools: Array<Record<string, any>> }) => void>): string {
  const dir = fixtureCatalog();
  for (const [slug, edit] of Object.entries(edits)) {
    const path = join(dir, 'servers', `${slug}.json`);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    edit(file);
    writeFileSync(path, JSON.stringify(file, null, 2));
  }
  return dir;
}

const problemsOf = (read: () => unknown): string[] => {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError);
    return (error as ContentError).message.split('\n').slice(1);
  }
  throw new Error('the catalogue was read without a problem');
};

describe('the content loader the build reads with', () => {
  it('names the file, the entry and the field of an unknown attack pattern in an override', () => {
    const dir = brokenCatalog({
      'acme-files': (file) => {
        file.tools[0]!['overrides'] = { attackPatterns: ['mcp11'] };
      },
    });
    const [problem, ...rest] = problemsOf(() => readCatalogShared(dir));
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /acme-files\.json: tool "read_file" \(tools\[0\]\) › overrides\.attackPatterns\.0: is not a known attack pattern id \(got "mcp11"\)/,
    );
  });

  it('reports every broken file of a catalogue at once, so one run shows every fix', () => {
    const dir = brokenCatalog({
      'acme-files': (file) => {
        file.tools[2]!['classification'].risk = 'severe';
      },
      'acme-pay': (file) => {
        file.tools[0]!['overrides'] = { attackPatterns: ['mcp11'] };
      },
    });
    const problems = problemsOf(() => readCatalog(dir));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(
      'acme-files.json: tool "run_command" (tools[2]) › classification.risk: must be one of low, medium, high, critical (got "severe")',
    );
    expect(problems[1]).toMatch(
      /acme-pay\.json: tool "\w+" \(tools\[0\]\) › overrides\.attackPatterns\.0: is not a known attack pattern id/,
    );
  });
});
