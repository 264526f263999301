import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/site.ts';

/**
 * The README's "Project layout" is where a newcomer starts: a folder it leaves out is one they
 * find by accident, a folder it names that is gone sends them looking. Build output and caches
 * (what .gitignore lists) do not count.
 */
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const layout = /## Project layout\n[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const ignored = new Set([
  '.git',
  ...readFileSync(join(repoRoot, '.gitignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim().replace(/\/$/, ''))
    .filter((line) => line && !line.includes('*')),
]);

/** The folders directly in `parent` ('' for the top), and the files directly in it, less what git ignores. */
function entriesIn(parent: string): { folders: string[]; files: string[] } {
  const entries = readdirSync(join(repoRoot, parent), { withFileTypes: true }).filter((entry) => !ignored.has(entry.name));
  return {
    folders: entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name),
    files: entries.filter((entry) => entry.isFile()).map((entry) => entry.name),
  };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whether the layout has `text` as a word of its own ("policy/" in "  policy/   recommendations"). */
const hasWord = (text: string) => new RegExp(`(^|[\\s(,])${escape(text)}($|[\\s),:;])`, 'm').test(layout);
/** Whether a word of the layout starts with `path` ("src/" in "src/lib/", "bin/" in "bin/atlas.mjs"). */
const hasPath = (path: string) => new RegExp(`(^|[\\s(,])${escape(path)}`, 'm').test(layout);

describe("the README's project layout", () => {
  it('names every folder a newcomer opens: the top level, src and its rooms, tests and its fixtures', () => {
    expect(layout.split('\n').length).toBeGreaterThan(20);
    const unnamed: string[] = [];
    for (const parent of ['', 'src', 'src/lib', 'src/components', 'src/cli', 'tests', 'tests/fixtures']) {
      const { folders } = entriesIn(parent);
      expect(folders.length, parent).toBeGreaterThan(0);
      for (const folder of folders) {
        const path = parent === '' ? folder : `${parent}/${folder}`;
        // Named by its path (src/lib/, or a file in it: bin/atlas.mjs), or by its name inside its room ("  policy/").
        if (!hasPath(`${path}/`) && !hasWord(`${folder}/`)) unnamed.push(`${path}/`);
      }
    }
    for (const file of entriesIn('src').files) if (!hasWord(`src/${file}`)) unnamed.push(`src/${file}`);
    expect(unnamed).toEqual([]);
  });

  it('names no folder or file that is not there', () => {
    const missing: string[] = [];
    let top = '';
    for (const line of layout.split('\n')) {
      // "src/lib/   …" opens a room; "  policy/   …" is a folder inside the last one opened.
      const opened = /^(\S+)/.exec(line)?.[1];
      const inside = /^ {2}(\S+\/)/.exec(line)?.[1];
      if (opened) {
        top = opened.endsWith('/') ? opened : '';
        if (!existsSync(join(repoRoot, opened))) missing.push(opened);
      } else if (inside && top && !existsSync(join(repoRoot, top, inside))) missing.push(`${top}${inside}`);
    }
    expect(missing).toEqual([]);
  });
});
