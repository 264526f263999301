import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError, parseServerFile } from '../../src/lib/catalog/files.ts';
import { readToolsListFile } from '../../src/lib/catalog/importer.ts';
import { importTools, repoRoot } from '../helpers/site.ts';

describe('malformed input', () => {
  const malformed = (name: string) => join(repoRoot, 'tests/fixtures/malformed', name);
  const importFile = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-malformed-'));
    const { tools, server } = readToolsListFile(malformed(name));
    return importTools(dir, tools, { server, slug: 'x', origin: name });
  };
  const message = (name: string) => {
    try {
      importFile(name);
    } catch (error) {
      expect(error).toBeInstanceOf(ContentError);
      return (error as Error).message;
    }
    throw new Error(`${name} imported without error`);
  };

  it('names the file and the problem of each malformed input', () => {
    expect(message('not-json.json')).toContain(`${malformed('not-json.json')}: (file): not valid JSON`);
    expect(message('wrong-shape.json')).toContain('(file) › tools: must be an array');
    expect(message('missing-name.json')).toContain(
      'missing-name.json: tool "?" (tools[0]) › name: Invalid input: expected string, received undefined',
    );
    expect(message('duplicate-tools.json')).toContain('tool "dup" (tools[1]) › name: duplicates tools[0]');
    const schemas = message('schema-not-object.json');
    expect(schemas).toContain('tool "s" (tools[0]) › inputSchema.type: must be "object"');
    expect(schemas).toContain('tool "t" (tools[1]) › inputSchema: Invalid input: expected object, received string');
  });

  it('refuses schemas nested deeper than any client could use, without overflowing the stack', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 20_000; i++) schema = { type: 'object', properties: { a: schema } };
    const dir = mkdtempSync(join(tmpdir(), 'atlas-deep-'));
    expect(() => importTools(dir, [{ name: 'deep', inputSchema: schema }], { slug: 'deep', origin: 'deep.json' })).toThrow(
      'deep.json: tool "deep" (tools[0]) › inputSchema: nests deeper than 64 levels',
    );
  });

  it('drops a non-http repository at import, and rejects one written by hand', () => {
    const result = importFile('script-url.json');
    const file = JSON.parse(readFileSync(result.file, 'utf8'));
    expect(file.server.repository).toBeUndefined();
    file.server.repository = 'javascript:alert(1)';
    writeFileSync(result.file, JSON.stringify(file));
    expect(() => parseServerFile('x.json', JSON.stringify(file))).toThrow('x.json: server › repository: must be an http(s) URL');
  });
});
