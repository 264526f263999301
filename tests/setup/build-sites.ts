import type { TestProject } from 'vitest/node';
import { provideFixtureSites } from './fixture-sites.ts';

export default (project: TestProject) => provideFixtureSites(project, ['catalog', 'hostile', 'reimported']);
