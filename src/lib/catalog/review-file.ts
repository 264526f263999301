import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverFileSchema } from '../../schemas/server.ts';
import type { Category, Risk } from '../../schemas/risk.ts';
import type { CatalogTool } from '../../schemas/tool.ts';
import { reviewDecision } from '../classification/review.ts';
import { ContentError, parseServerFile, problemsFromIssues } from './files.ts';
import { writeFileAtomic } from '../shared/files.ts';
import { ReviewTargetError } from './errors.ts';

export interface ReviewTarget {
  server: string;
  /** The tool's name or its URL slug. */
  tool: string;
}

/** Parses `<server>/<tool>`; the server slug never holds a slash, so the first one splits. */
export function parseReviewTarget(text: string): ReviewTarget {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) throw new ReviewTargetError(`${JSON.stringify(text)}: expected <server>/<tool>`);
  return { server: text.slice(0, slash), tool: text.slice(slash + 1) };
}

/**
 * Records a person's decision in the server's content file: read, change one tool, validate
 * the whole file with the build's schema, then write through a temporary file and a rename.
 */
export function recordReview(
  contentDir: string,
  target: ReviewTarget,
  input: { on: string; set?: { category: Category; risk: Risk }; reason?: string | undefined },
): { file: string; tool: CatalogTool } {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(target.server)) throw new ReviewTargetError(`${JSON.stringify(target.server)} is not a server slug`);
  const path = join(contentDir, 'servers', `${target.server}.json`);
  if (!existsSync(path)) throw new ReviewTargetError(`no server ${JSON.stringify(target.server)} in ${join(contentDir, 'servers')}`);
  const loaded = parseServerFile(path, readFileSync(path, 'utf8'), target.server);
  const { file: _file, ...data } = loaded;
  const index = data.tools.findIndex((tool) => tool.name === target.tool || tool.slug === target.tool);
  if (index === -1) throw new ReviewTargetError(`${path}: no tool named ${JSON.stringify(target.tool)}`);
  const tool = data.tools[index]!;
  if (tool.history?.removedOn)
    throw new ReviewTargetError(`${path}: ${JSON.stringify(tool.name)} was removed on ${tool.history.removedOn}`);
  const updated: CatalogTool = { ...tool, review: reviewDecision(tool, input) };
  data.tools[index] = updated;
  const check = serverFileSchema.safeParse(data);
  if (!check.success) throw new ContentError(problemsFromIssues(path, data, check.error.issues));
  writeFileAtomic(path, `${JSON.stringify(data, null, 2)}\n`);
  return { file: path, tool: updated };
}
