import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/cli/dev/astro-build.ts';

/**
 * The queue every real build a test starts waits in.
 *
 * Two builds from one project folder cannot overlap: each writes its prerender bundle to
 * `.astro/.prerender` and its content-module map to `.astro/content-modules.mjs` under the project
 * (whatever its output folder), so two at once load each other's files and fail or, worse, render
 * the other's content. Builds from different project folders (tests/helpers/project-copy.ts) can,
 * but on two cores more than two at once only slow each other and the tests around them.
 *
 * So a build runs once fewer than `slots` builds are running and none from its project is. The
 * queue is first-come, first-served: ticket files, one per waiter, each holding its process id and
 * its project. Every waiter reads the same tickets in the same order and decides the same way who
 * runs; a new ticket always takes a number above every ticket present, so it never passes one ahead
 * of it, and a ticket that runs keeps running whatever else joins or leaves. A ticket whose process
 * has died (a run killed mid-build) is dropped by the next waiter. Each worktree has its own queue.
 */
export const BUILD_QUEUE = join(projectRoot, '.astro', 'test-build-queue');
/** Builds at once: the machine's two cores, each build using a little over one. */
export const BUILD_SLOTS = 2;
const POLL_MS = 50;

export interface BuildQueueOptions {
  /** The project folder the build runs in (its `.astro`); the repository by default. */
  project?: string;
  /** Another queue, for the queue's own tests. */
  queue?: string;
  slots?: number;
}

interface Ticket {
  path: string;
  project: string;
}

function takeTicket(queue: string, project: string): string {
  mkdirSync(queue, { recursive: true });
  const numbers = () => readdirSync(queue).map(Number).filter(Number.isFinite);
  for (;;) {
    const mine = Math.max(0, ...numbers()) + 1;
    const ticket = join(queue, String(mine).padStart(12, '0'));
    try {
      writeFileSync(ticket, `${process.pid}\n${project}`, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    // The folder was read before the ticket was made: a ticket above it means another waiter
    // read it later, and may already run. Take a later number.
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

/**
 * The tickets ahead of `ticket` and `ticket` itself, in order, dropping those of dead processes;
 * undefined while a ticket ahead is still empty (made, not yet written: its process is alive and
 * its project unknown, so nobody behind it can tell whether it runs until the next poll).
 */
function ticketsUpTo(queue: string, ticket: string): Ticket[] | undefined {
  const tickets: Ticket[] = [];
  for (const name of readdirSync(queue).sort()) {
    const path = join(queue, name);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // released while we looked
    }
    if (text === '') return undefined;
    const [pid = '', project = ''] = text.split('\n');
    if (!isAlive(Number(pid))) {
      rmSync(path, { force: true });
      continue;
    }
    tickets.push({ path, project });
    if (path === ticket) return tickets;
  }
  throw new Error(`the build queue lost this process's ticket ${ticket}`);
}

/**
 * Whether the last of `tickets` (in queue order) may run. Each in turn runs if fewer than `slots`
 * ahead of it run and none of its project does, so every waiter computes the same answer for each.
 */
export function mayRun(tickets: readonly { project: string }[], slots: number): boolean {
  const running = new Set<string>();
  for (const [index, { project }] of tickets.entries()) {
    const runs = running.size < slots && !running.has(project);
    if (index === tickets.length - 1) return runs;
    if (runs) running.add(project);
  }
  return false;
}

function isMyTurn(queue: string, ticket: string, slots: number): boolean {
  const tickets = ticketsUpTo(queue, ticket);
  return tickets !== undefined && mayRun(tickets, slots);
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Runs a build (or anything that builds) when the queue says its turn has come. */
export function withBuildLockSync<T>(build: () => T, options: BuildQueueOptions = {}): T {
  const { project = projectRoot, queue = BUILD_QUEUE, slots = BUILD_SLOTS } = options;
  const ticket = takeTicket(queue, project);
  try {
    while (!isMyTurn(queue, ticket, slots)) Atomics.wait(pause, 0, 0, POLL_MS);
    return build();
  } finally {
    rmSync(ticket, { force: true });
  }
}

/** The same, without blocking the event loop while it waits. */
export async function withBuildLock<T>(build: () => Promise<T>, options: BuildQueueOptions = {}): Promise<T> {
  const { project = projectRoot, queue = BUILD_QUEUE, slots = BUILD_SLOTS } = options;
  const ticket = takeTicket(queue, project);
  try {
    while (!isMyTurn(queue, ticket, slots)) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    return await build();
  } finally {
    rmSync(ticket, { force: true });
  }
}
