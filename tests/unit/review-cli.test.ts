import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atlasInProcess } from '../helpers/cli.ts';
import { fixtureCatalog } from '../helpers/site.ts';

describe('atlas review with a target that names no tool a person could review', () => {
  const contentDir = fixtureCatalog();
  const file = join(contentDir, 'servers', 'acme-pay.json');

  it.each([
    [['--accept', 'acme-pay/no_such_tool'], 'no tool named "no_such_tool"'],
    [['--accept', 'no-such-server/read'], 'no server "no-such-server"'],
    [['--accept', 'Acme Pay/read'], '"Acme Pay" is not a server slug'],
    [['--set', 'acme-pay/no_such_tool', 'category=read', 'risk=low', '--reason', 'checked'], 'no tool named "no_such_tool"'],
  ])('%j: says so in one line, exit 2, and writes nothing', async (args, message) => {
    const before = readFileSync(file, 'utf8');
    const { code, stderr } = await atlasInProcess(['review', ...args, '--content', contentDir]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('reads a target without a tool as a mistyped command: exit 2, the problem and the usage', async () => {
    const { code, stderr } = await atlasInProcess(['review', '--accept', 'acme-pay', '--content', contentDir]);
    expect(code).toBe(2);
    expect(stderr).toContain('"acme-pay": expected <server>/<tool>');
    expect(stderr).toContain('Usage: atlas');
  });
});
