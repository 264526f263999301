import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mayRun, withBuildLock } from '../helpers/build-lock.ts';
import { repoRoot } from '../helpers/site.ts';

const lockModule = pathToFileURL(join(repoRoot, 'tests/helpers/build-lock.ts')).href;

/** A process that holds the queue for `ms` with a build of `project`, writing when it starts and ends its "build". */
function contender(queue: string, log: string, id: number, ms: number, project: string) {
  const script = `
    import { appendFileSync } from 'node:fs';
    const { withBuildLockSync } = await import(${JSON.stringify(lockModule)});
    withBuildLockSync(() => {
      appendFileSync(${JSON.stringify(log)}, 'start ${id}\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});
      appendFileSync(${JSON.stringify(log)}, 'end ${id}\\n');
    }, { queue: ${JSON.stringify(queue)}, project: ${JSON.stringify(project)} });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<void>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`contender ${id} exited ${code}: ${stderr}`)))),
  );
}

describe('the test build queue', () => {
  it('lets one process build a project at a time, and every waiter builds in the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-build-queue-'));
    const log = join(dir, 'log');
    await Promise.all([1, 2, 3, 4].map((id) => contender(join(dir, 'queue'), log, id, 150, '/one/project')));
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(8);
    // Each start is followed by the same process's end: no two "builds" overlapped.
    for (let i = 0; i < lines.length; i += 2) expect(lines[i + 1]).toBe(lines[i]!.replace('start', 'end'));
    expect(new Set(lines.map((line) => line.split(' ')[1])).size).toBe(4);
  });

  it('passes a ticket left by a process that died (a run killed mid-build)', async () => {
    const queue = join(mkdtempSync(join(tmpdir(), 'atlas-build-queue-')), 'queue');
    mkdirSync(queue);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const stale = join(queue, '000000000001');
    writeFileSync(stale, `${dead.stdout}\n${repoRoot}`);
    let ran = false;
    await withBuildLock(
      async () => {
        ran = true;
      },
      { queue, slots: 1 },
    );
    expect(ran).toBe(true);
    expect(existsSync(stale)).toBe(false);
  });

  it('waits behind a live process ticket of the same project', async () => {
    const queue = join(mkdtempSync(join(tmpdir(), 'atlas-build-queue-')), 'queue');
    mkdirSync(queue);
    // This process's own pid: alive, and ahead in the queue until the ticket goes.
    const ahead = join(queue, '000000000001');
    writeFileSync(ahead, `${process.pid}\n${repoRoot}`);
    let ranAt = 0;
    const released = new Promise<number>((resolve) =>
      setTimeout(() => {
        const at = Date.now();
        rmSync(ahead);
        resolve(at);
      }, 300),
    );
    await withBuildLock(
      async () => {
        ranAt = Date.now();
      },
      { queue, slots: 2 },
    );
    expect(ranAt).toBeGreaterThanOrEqual(await released);
  });

  it('runs beside a live ticket of another project while a slot is free', async () => {
    const queue = join(mkdtempSync(join(tmpdir(), 'atlas-build-queue-')), 'queue');
    mkdirSync(queue);
    const ahead = join(queue, '000000000001');
    writeFileSync(ahead, `${process.pid}\n/another/project`);
    let ran = false;
    await withBuildLock(
      async () => {
        ran = existsSync(ahead);
      },
      { queue, slots: 2 },
    );
    expect(ran).toBe(true);
    rmSync(ahead);
  });

  it('decides in queue order: a slot each, one build per project, none passing a free slot by', () => {
    const queue = (...projects: string[]) => projects.map((project) => ({ project }));
    expect(mayRun(queue('a'), 2)).toBe(true);
    expect(mayRun(queue('a', 'b'), 2)).toBe(true);
    expect(mayRun(queue('a', 'b'), 1)).toBe(false);
    expect(mayRun(queue('a', 'b', 'c'), 2)).toBe(false);
    expect(mayRun(queue('a', 'a'), 2)).toBe(false);
    // The second "a" waits for the first; "b" behind it takes the free slot.
    expect(mayRun(queue('a', 'a', 'b'), 2)).toBe(true);
    expect(mayRun(queue('a', 'a', 'b', 'c'), 2)).toBe(false);
  });
});
