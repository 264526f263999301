import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'astro/zod';
import { serverFileSchema, type ServerFile } from '../../schemas/server.ts';
import { assignSlugs } from '../text-safety/slug.ts';
import { ContentError, type ContentProblem } from './errors.ts';

export { ContentError, formatProblems, type ContentProblem } from './errors.ts';

const displayName = (value: unknown): string => {
  const text = typeof value === 'string' ? value : '?';
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
};

/** Turns zod issues on a server file into problems that name the entry and the field. */
export function problemsFromIssues(file: string, data: unknown, issues: readonly z.core.$ZodIssue[]): ContentProblem[] {
  const tools = (data as { tools?: unknown[] } | null)?.tools;
  return issues.map((issue) => {
    const [head, index, ...rest] = issue.path;
    if (head === 'tools' && typeof index === 'number') {
      const name = (tools?.[index] as { name?: unknown } | undefined)?.name;
      return { file, entry: `tool ${displayName(name)} (tools[${index}])`, field: rest.join('.'), message: issue.message };
    }
    if (head === 'server')
      return { file, entry: 'server', field: [index, ...rest].filter((p) => p !== undefined).join('.'), message: issue.message };
    return { file, entry: '(file)', field: issue.path.join('.'), message: issue.message };
  });
}

/** Parses JSON text, reporting the line and column of a syntax error. */
export function parseJsonText(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ContentError([{ file, entry: '(file)', field: '', message: `not valid JSON: ${(error as Error).message}` }]);
  }
}

export interface LoadedServer extends ServerFile {
  /** Path of the file, relative to the working directory, for messages. */
  file: string;
}

/**
 * Validates one server file: shape, the file name matching the slug, tool names
 * unique, slugs unique. Tools without a stored slug get one here.
 */
export function parseServerFile(file: string, text: string, expectedSlug?: string): LoadedServer {
  const data = parseJsonText(file, text);
  const result = serverFileSchema.safeParse(data);
  if (!result.success) throw new ContentError(problemsFromIssues(file, data, result.error.issues));
  const server = result.data;
  const problems: ContentProblem[] = [];
  if (expectedSlug !== undefined && server.server.slug !== expectedSlug) {
    problems.push({
      file,
      entry: 'server',
      field: 'slug',
      message: `is ${JSON.stringify(server.server.slug)} but the file is named ${expectedSlug}.json; they must match`,
    });
  }
  const seenNames = new Map<string, number>();
  server.tools.forEach((tool, index) => {
    const first = seenNames.get(tool.name);
    if (first !== undefined) {
      problems.push({
        file,
        entry: `tool ${displayName(tool.name)} (tools[${index}])`,
        field: 'name',
        message: `duplicates tools[${first}]; tool names must be unique within a server`,
      });
    } else seenNames.set(tool.name, index);
  });
  const seenSlugs = new Map<string, number>();
  server.tools.forEach((tool, index) => {
    if (!tool.slug) return;
    const first = seenSlugs.get(tool.slug);
    if (first !== undefined) {
      problems.push({
        file,
        entry: `tool ${displayName(tool.name)} (tools[${index}])`,
        field: 'slug',
        message: `${JSON.stringify(tool.slug)} is already used by tool ${displayName(server.tools[first]?.name)} (tools[${first}]); each tool needs its own URL`,
      });
    } else seenSlugs.set(tool.slug, index);
  });
  if (problems.length > 0) throw new ContentError(problems);
  const { slugs } = assignSlugs(server.tools);
  server.tools.forEach((tool, index) => {
    tool.slug = slugs[index]!;
  });
  return { ...server, file };
}

/** Where the catalogue lives: ATLAS_CONTENT, else ./content. */
export function contentDir(env: Record<string, string | undefined> = process.env): string {
  return env['ATLAS_CONTENT'] || 'content';
}

export function serversDir(dir: string): string {
  return join(dir, 'servers');
}

/**
 * The catalogue parsed once per build and shared: the data layer and the search
 * integration run in one process but load separate copies of this module, so the cache
 * lives on globalThis. It is keyed by the files' names, sizes and modification times, so
 * `astro dev` sees edits and a build of any length reads the catalogue once.
 */
const SHARED_KEY = Symbol.for('policy-atlas.catalog');

function catalogSignature(dir: string): string {
  const folder = serversDir(dir);
  if (!existsSync(folder)) return `${dir}\0missing`;
  const parts = [dir];
  for (const name of readdirSync(folder).sort()) {
    const stats = statSync(join(folder, name));
    parts.push(`${name}\0${stats.size}\0${stats.mtimeMs}`);
  }
  return parts.join('\n');
}

export function readCatalogShared(dir: string): LoadedServer[] {
  const holder = globalThis as Record<symbol, { signature: string; servers: LoadedServer[] } | undefined>;
  const signature = catalogSignature(dir);
  const shared = holder[SHARED_KEY];
  if (shared && shared.signature === signature) return shared.servers;
  const servers = readCatalog(dir);
  holder[SHARED_KEY] = { signature, servers };
  return servers;
}

/**
 * Reads and validates every server file of a catalogue. All files are checked before
 * failing, so one run reports every problem.
 */
export function readCatalog(dir: string): LoadedServer[] {
  const folder = serversDir(dir);
  if (!existsSync(folder)) {
    throw new ContentError([
      { file: folder, entry: '(folder)', field: '', message: 'does not exist; a catalogue keeps one JSON file per server in servers/' },
    ]);
  }
  const names = readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const servers: LoadedServer[] = [];
  const problems: ContentProblem[] = [];
  for (const name of names) {
    const path = join(folder, name);
    const file = relative(process.cwd(), path) || path;
    try {
      servers.push(parseServerFile(file, readFileSync(path, 'utf8'), name.slice(0, -'.json'.length)));
    } catch (error) {
      if (error instanceof ContentError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length > 0) throw new ContentError(problems);
  return servers;
}
