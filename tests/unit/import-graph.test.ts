import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/site.ts';

/**
 * The import graph of src, as TypeScript resolves it (plus .astro files, whose frontmatter and
 * scripts are read as TypeScript). The folder rules (which way imports may point) are in
 * eslint.config.js; this checks what a per-file lint cannot see: that no cycle appears. A cycle
 * means two modules cannot be read, tested or moved one without the other.
 */
const srcDir = join(repoRoot, 'src');
const { options } = ts.parseJsonConfigFileContent(
  ts.readConfigFile(join(repoRoot, 'tsconfig.json'), (path) => ts.sys.readFile(path)).config,
  ts.sys,
  repoRoot,
);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|astro)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The code of a file that can import: all of a .ts file; an .astro file's frontmatter and scripts. */
function code(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.astro')) return text;
  const frontmatter = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
  const scripts = [...text.matchAll(/<script(?![^>]*type="application)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  return [frontmatter, ...scripts].join('\n');
}

/** Files below src each file imports (statically, dynamically or for types). */
export function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const { fileName: specifier } of ts.preProcessFile(code(file), true, true).importedFiles) {
      let target: string | undefined;
      if (specifier.endsWith('.astro')) target = resolve(dirname(file), specifier);
      else target = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule?.resolvedFileName;
      if (target && target.startsWith(srcDir) && !target.endsWith('.d.ts')) targets.add(target);
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

/** Every cycle, as its strongly connected component (Tarjan), paths relative to the project. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) cycles.push(component.map((f) => relative(repoRoot, f)).sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

describe('the import graph of src', () => {
  const graph = importGraph(sourceFiles(srcDir));

  it('resolves the imports it reads', () => {
    // A graph with no edges would pass the cycle check without checking anything.
    const catalog = graph.get(join(srcDir, 'data/catalog.ts'))!.map((f) => relative(srcDir, f));
    expect(catalog).toContain('lib/catalog/files.ts');
    const page = graph.get(join(srcDir, 'pages/tools/[server]/[tool].astro'))!.map((f) => relative(srcDir, f));
    expect(page.some((f) => f.startsWith('components/') && f.endsWith('.astro'))).toBe(true);
  });

  it('has no cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const a = join(srcDir, 'a.ts');
    const b = join(srcDir, 'b.ts');
    const c = join(srcDir, 'c.ts');
    expect(
      importCycles(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, [a]],
        ]),
      ),
    ).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts']]);
    expect(
      importCycles(
        new Map([
          [a, [b]],
          [b, []],
        ]),
      ),
    ).toEqual([]);
  });
});
