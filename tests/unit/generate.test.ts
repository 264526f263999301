import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/lib/catalog/files.ts';
import { generateCatalog, toolsPerServer, prng } from '../../src/lib/catalog/generate.ts';

const generate = (seed: number, tools = 600, servers = 80) => {
  const out = mkdtempSync(join(tmpdir(), 'atlas-gen-'));
  generateCatalog({ tools, servers, seed, out });
  return out;
};
const snapshot = (dir: string) =>
  readdirSync(join(dir, 'servers'))
    .sort()
    .map((name) => readFileSync(join(dir, 'servers', name), 'utf8'));

describe('the synthetic catalogue generator', () => {
  it('is deterministic from its seed', () => {
    const first = snapshot(generate(7));
    expect(snapshot(generate(7))).toEqual(first);
    expect(snapshot(generate(8))).not.toEqual(first);
  });

  it('writes exactly the requested size, in the format the build reads', () => {
    const servers = readCatalog(generate(3));
    expect(servers).toHaveLength(80);
    expect(servers.reduce((n, s) => n + s.tools.length, 0)).toBe(600);
  });

  it('has the variety of a public catalogue', () => {
    const tools = readCatalog(generate(5, 3000, 400)).flatMap((s) => s.tools);
    const categories = new Set(tools.map((t) => t.classification.category));
    const risks = new Set(tools.map((t) => t.classification.risk));
    expect([...categories].sort()).toEqual(['destructive', 'execute', 'financial', 'read', 'write']);
    expect([...risks].sort()).toEqual(['critical', 'high', 'low', 'medium']);
    expect(tools.some((t) => /^[a-z]+[A-Z]/.test(t.name))).toBe(true);
    expect(tools.some((t) => t.name.includes('-'))).toBe(true);
    expect(tools.some((t) => t.annotations)).toBe(true);
    expect(tools.some((t) => !t.annotations)).toBe(true);
    expect(tools.some((t) => (t.description ?? '').length > 5000)).toBe(true);
    expect(tools.some((t) => Object.keys(t.inputSchema.properties ?? {}).length === 0)).toBe(true);
    expect(tools.some((t) => t.overrides?.attackPatterns)).toBe(true);
    expect(tools.some((t) => t.classification.evidence.some((e) => e.kind === 'hidden-characters' || e.kind === 'model-instruction'))).toBe(
      true,
    );
  });

  it('spreads tools over servers with a long tail', () => {
    const counts = toolsPerServer(prng(1), 31000, 4600);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(31000);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeGreaterThan(100);
  });
});
