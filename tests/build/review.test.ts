import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routes } from '../../src/lib/site/routes.ts';
import { atlasInProcess } from '../helpers/cli.ts';
import { buildSite, fixtureCatalog, importTools, readOutput, repoRoot } from '../helpers/site.ts';

/**
 * Runs the real `atlas` CLI with the project's Node in a child process, as a maintainer would:
 * bin/atlas.mjs, its exit code and what it prints.
 */
function atlasProcess(args: string[]) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin/atlas.mjs'), ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The requests that succeed run in this process (atlasInProcess: a child costs about a CPU-second to
 * start); the bad ones run in a child, where what reaches the shell (the exit code, and an error
 * main() does not describe but Node prints) counts.
 */
const atlas = atlasInProcess;

const transfer = {
  name: 'transfer_funds',
  description: 'Sends money to any account.',
  inputSchema: { type: 'object', properties: { amount: { type: 'number' }, to_account: { type: 'string' } } },
};
// No verb, no phrase: the classifier is unsure and says so.
const vague = {
  name: 'ledger_v2',
  description: 'Ledger helper.',
  inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
};

// A one-line "cleanup" the server marks destructive: the definition shows less, so the policy
// fails closed (rubric, convention 13) until a person reviews it.
const cleanup = {
  name: 'cleanup_resources',
  description: 'Cleanup all managed resources',
  inputSchema: { type: 'object', properties: {} },
  annotations: { destructiveHint: true },
};

describe('import → review → accept and set → rebuild → re-import', () => {
  it('walks the maintainer loop and keeps the reviewed decisions', async () => {
    const contentDir = fixtureCatalog();
    const toolsList = JSON.parse(readFileSync(join(repoRoot, 'tests/fixtures/tools-lists/acme-pay.json'), 'utf8'));
    const server = toolsList.server;
    importTools(contentDir, [...toolsList.tools, transfer, vague, cleanup], { server, origin: 'acme-pay.json' });
    const slug = 'acme-pay';

    const queue = await atlas(['review', '--server', slug, '--content', contentDir]);
    expect(queue.code).toBe(0);
    expect(queue.stdout).toContain(`"${slug}/ledger_v2"`);
    expect(queue.stdout).toMatch(/low confidence/);
    // Tools whose policy fails closed head the queue, with the reason.
    expect(queue.stdout.split('\n')[2]).toContain(`"${slug}/cleanup_resources"`);
    expect(queue.stdout).toMatch(/Treated as Destructive until a person reviews it: .*destructiveHint/);

    const accepted = await atlas(['review', '--accept', `${slug}/transfer_funds`, '--content', contentDir]);
    expect(accepted.stderr).toBe('');
    expect(accepted.stdout).toMatch(/Accepted "transfer_funds": Financial \/ Critical/);
    const set = await atlas([
      'review',
      '--set',
      `${slug}/ledger_v2`,
      'category=write',
      'risk=medium',
      '--reason',
      'Syncs the ledger with the bank: a reversible write.',
      '--content',
      contentDir,
    ]);
    expect(set.stdout).toMatch(/Set "ledger_v2": Write \/ Medium/);
    expect((await atlas(['review', '--server', slug, '--content', contentDir])).stdout).not.toContain('ledger_v2');

    // A bad request names what is wrong and changes nothing.
    const before = readFileSync(join(contentDir, 'servers', `${slug}.json`), 'utf8');
    const bad = atlasProcess([
      'review',
      '--set',
      `${slug}/ledger_v2`,
      'category=severe',
      'risk=medium',
      '--reason',
      'x',
      '--content',
      contentDir,
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('"category=severe"');
    expect(atlasProcess(['review', '--set', `${slug}/ledger_v2`, 'category=read', 'risk=low', '--content', contentDir]).stderr).toContain(
      '--reason',
    );
    expect(atlasProcess(['review', '--accept', `${slug}/no_such_tool`, '--content', contentDir]).stderr).toContain(
      'no tool named "no_such_tool"',
    );
    expect(readFileSync(join(contentDir, 'servers', `${slug}.json`), 'utf8')).toBe(before);

    const site = buildSite({ contentDir });
    expect(site.status, site.output).toBe(0);
    const page = (route: string) => readOutput(site.outDir, route);
    const ledger = page(routes.tool(slug, 'ledger-v2'));
    expect(ledger).toContain('Reviewed by a person on');
    expect(ledger).toContain('Syncs the ledger with the bank: a reversible write.');
    expect(ledger).toMatch(/<strong[^>]*>Medium risk<\/strong>/);
    const cleanupPage = page(routes.tool(slug, 'cleanup-resources'));
    expect(cleanupPage).toContain('Treated as Destructive until a person reviews it');
    expect(cleanupPage).toContain('data-action="hidden"');
    expect(page(routes.review)).toContain('treated as more dangerous than its category until reviewed');
    const transferPage = page(routes.tool(slug, 'transfer-funds'));
    expect(transferPage).toContain('the automatic classification was confirmed');
    expect(transferPage).toMatch(/<strong[^>]*>Critical risk<\/strong>/);
    expect(page(routes.tool('acme-files', 'read-file'))).toContain('Automatic classification, not yet reviewed by a person.');
    expect(page(routes.review)).not.toContain('ledger_v2');
    const shard = JSON.parse(page(routes.catalogShard(slug)));
    expect(shard.tools.find((t: { name: string }) => t.name === 'ledger_v2')).toMatchObject({
      category: 'write',
      risk: 'medium',
      review: { decision: 'set' },
    });

    // Re-import: the reviews stay. A changed definition sends the tool back to the queue.
    importTools(contentDir, [...toolsList.tools, transfer, { ...vague, description: 'Ledger helper. Now also deletes stale entries.' }], {
      server,
      origin: 'acme-pay.json',
      today: '2026-11-20',
    });
    const file = JSON.parse(readFileSync(join(contentDir, 'servers', `${slug}.json`), 'utf8'));
    const byName = (name: string) => file.tools.find((t: { name: string }) => t.name === name);
    expect(byName('transfer_funds').review).toMatchObject({ decision: 'accepted', category: 'financial', risk: 'critical' });
    expect(byName('ledger_v2').review).toMatchObject({ decision: 'set', category: 'write', risk: 'medium' });
    const again = (await atlas(['review', '--server', slug, '--content', contentDir])).stdout;
    expect(again).toContain('"acme-pay/ledger_v2"');
    expect(again).toContain('definition changed since it was reviewed');
    expect(again).not.toContain('transfer_funds');
  });
});
