import { describe, expect, it } from 'vitest';
import type { LoadedServer } from '../../src/lib/catalog/files.ts';
import { classifyTool } from '../../src/lib/classification/classify.ts';
import { routes, withBase } from '../../src/lib/site/routes.ts';
import { searchRecords } from '../../src/lib/site/search-records.ts';

const tool = (name: string, description: string, extra: Record<string, unknown> = {}) => {
  const definition = { name, description, inputSchema: { type: 'object' as const } };
  return { ...definition, slug: name.replace(/_/g, '-'), classification: classifyTool(definition), ...extra };
};

const server: LoadedServer = {
  file: 'content/servers/demo.json',
  server: { slug: 'demo', name: 'Demo\u200b', importedOn: '2026-11-01', transport: 'unknown' },
  tools: [
    tool('delete_file', 'Deletes a file.', { overrides: { risk: 'critical' } }),
    tool('old_tool', 'Gone.', { history: { hash: 'x', firstSeen: '2026-01-01', removedOn: '2026-02-01', changes: [] } }),
  ],
};

describe('search records', () => {
  it('index each current tool under its page URL with the effective risk, and each server', () => {
    const records = searchRecords([server]);
    expect(records.map((r) => r.url)).toEqual([withBase(routes.server('demo'), '/'), withBase(routes.tool('demo', 'delete-file'), '/')]);
    const record = records[1]!;
    expect(record.filters).toEqual({ risk: ['Critical'], category: ['Destructive'], server: ['Demo[U+200B ZERO WIDTH SPACE]'] });
    expect(record.meta).toMatchObject({ title: 'delete_file', risk: 'Critical' });
    expect(record.content).toContain('Deletes a file.');
    expect(records[0]!.content).toContain('1 tool.');
  });
});
