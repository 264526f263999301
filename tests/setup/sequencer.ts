import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order test files start in when every project shares one pool of workers. Within a project,
 * Vitest's own order (slowest first once a run has been timed, larger files first before). Across
 * projects, in turn: a build file, a browser file, a live file, a unit file, and again. Build files
 * mostly wait for the builds that may run at once (two; tests/helpers/build-lock.ts), so started
 * together they would hold every worker while the builds queue; taken in turn, each worker that
 * waits for a build has neighbours with work to do.
 */
export class ProjectsInTurnSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byProject = new Map<string, TestSpecification[]>();
    for (const file of await super.sort(files)) {
      const queue = byProject.get(file.project.name) ?? [];
      queue.push(file);
      byProject.set(file.project.name, queue);
    }
    const projects = [...byProject.keys()].sort((a, b) => TURN.indexOf(a) - TURN.indexOf(b));
    const ordered: TestSpecification[] = [];
    while (ordered.length < files.length)
      for (const project of projects) {
        const next = byProject.get(project)!.shift();
        if (next) ordered.push(next);
      }
    return ordered;
  }
}

/** Projects' turns: builds first, as they queue for the longest. */
const TURN = ['build', 'browser', 'live', 'unit-cedar', 'unit'];
