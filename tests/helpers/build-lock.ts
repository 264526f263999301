import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/cli/dev/astro-build.ts';

/**
 * Real Astro builds from the project folder cannot overlap: each writes its prerender bundle to
 * `.astro/.prerender` and its content-module map to `.astro/content-modules.mjs` under the project
 * (whatever its output folder), so two at once load each other's files and fail or, worse, render
 * the other's content. Test files run side by side, so every build a test starts waits here.
 *
 * A first-come, first-served queue of ticket files, one per waiter, each holding its process id:
 * the lowest ticket builds. A new ticket always takes a number above every ticket present, so it
 * can never pass the one building. A ticket whose process has died (a run killed mid-build) is
 * dropped by the next waiter. Each worktree has its own queue, as it has its own `.astro`.
 */
export const BUILD_QUEUE = join(projectRoot, '.astro', 'test-build-queue');
const POLL_MS = 50;

function takeTicket(queue: string): string {
  mkdirSync(queue, { recursive: true });
  const numbers = () => readdirSync(queue).map(Number).filter(Number.isFinite);
  for (;;) {
    const mine = Math.max(0, ...numbers()) + 1;
    const ticket = join(queue, String(mine).padStart(12, '0'));
    try {
      writeFileSync(ticket, String(process.pid), { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    // The folder was read before the ticket was made: a ticket above it means another waiter
    // read it later, and may already build. Take a later number.
    if (numbers().every((n) => n <= mine)) return ticket;
    rmSync(ticket, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `ticket` is first in the queue, dropping the tickets of dead processes ahead of it. */
function isFirst(queue: string, ticket: string): boolean {
  for (const name of readdirSync(queue).sort()) {
    const path = join(queue, name);
    if (path === ticket) return true;
    let holder: number;
    try {
      holder = Number(readFileSync(path, 'utf8'));
    } catch {
      continue; // released while we looked
    }
    // An empty ticket is being written: its process is alive.
    if (holder > 0 && !isAlive(holder)) rmSync(path, { force: true });
    else return false;
  }
  throw new Error(`the build queue lost this process's ticket ${ticket}`);
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Runs a build (or anything that builds) once no other test's build is running (`queue`: another queue, for its own tests). */
export function withBuildLockSync<T>(build: () => T, queue = BUILD_QUEUE): T {
  const ticket = takeTicket(queue);
  try {
    while (!isFirst(queue, ticket)) Atomics.wait(pause, 0, 0, POLL_MS);
    return build();
  } finally {
    rmSync(ticket, { force: true });
  }
}

/** The same, without blocking the event loop while it waits. */
export async function withBuildLock<T>(build: () => Promise<T>, queue = BUILD_QUEUE): Promise<T> {
  const ticket = takeTicket(queue);
  try {
    while (!isFirst(queue, ticket)) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    return await build();
  } finally {
    rmSync(ticket, { force: true });
  }
}
