import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evaluate } from '../../src/lib/policy/evaluate.ts';
import { policySchema } from '../../src/schemas/policy.ts';
import { atlasInProcess } from '../helpers/cli.ts';

const work = mkdtempSync(join(tmpdir(), 'atlas-policy-'));

const atlas = atlasInProcess;

afterEach(() => vi.restoreAllMocks());

describe('atlas check with a pattern RE2 cannot run', () => {
  it('is bad input: exit 2, naming the file and the field', async () => {
    const file = join(work, 'lookahead.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: '1',
        default: 'deny',
        tools: { t: { deny_if: [{ path: 'args.a', op: 'regex', value: '^(?=a)(a+)+$' }] } },
      }),
    );
    const { code, stderr } = await atlas(['check', '--policy', file, '--tool', 't', '--args', '{"a":"aaa"}']);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: tools.t.deny_if.0.value: must be a regular expression RE2 can run`);
  });
});

describe('atlas policy --server <slug> --root <dir>', () => {
  it('prints the bundle in the root form: absolute paths under the root only', async () => {
    const { code, stdout } = await atlas(['policy', '--server', 'docx-mcp', '--root', '/srv/work']);
    expect(code).toBe(0);
    const policy = policySchema.parse(JSON.parse(stdout));
    const decide = (path: string) => evaluate(policy, { tool: 'export_session_script', args: { output_path: path } }).decision;
    expect(decide('/srv/work/out/session.py')).toBe('allow');
    for (const path of ['out/session.py', '/srv/work/../../etc/cron.d/x', '/srv/workshop/x', '/srv/work/.bashrc', '/etc/cron.d/x']) {
      expect(decide(path), path).toBe('deny');
    }
  });

  it('without a root, keeps paths relative to the workspace', async () => {
    const { stdout } = await atlas(['policy', '--server', 'docx-mcp']);
    const policy = policySchema.parse(JSON.parse(stdout));
    const decide = (path: string) => evaluate(policy, { tool: 'export_session_script', args: { output_path: path } }).decision;
    expect(decide('out/session.py')).toBe('allow');
    expect(decide('/srv/work/out/session.py')).toBe('deny');
  });

  it('writes an export format atomically to --out', async () => {
    const out = join(work, 'policy.yaml');
    const { code } = await atlas(['policy', '--server', 'docx-mcp', '--root', '/srv/work', '--format', 'intercept-yaml', '--out', out]);
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('^/srv/work/');
  });

  it('refuses a root that is not an absolute path of plain segments, and an unknown server', async () => {
    for (const root of ['srv/work', '/', '/srv/../etc', '/srv/work/', '/home/u/.ssh', 'C:\\work']) {
      const { code, stderr } = await atlas(['policy', '--server', 'docx-mcp', '--root', root]);
      expect(code, root).toBe(2);
      expect(stderr).toContain('--root');
    }
    expect((await atlas(['policy', '--server', 'no-such-server'])).code).toBe(2);
  });
});
