import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverFileSchema, serverSlugSchema, type ServerFile, type ServerMeta, type ServerSource } from '../../schemas/server.ts';
import { DEFINITION_FIELDS, mcpToolSchema, type CatalogTool, type McpTool, type ToolHistory } from '../../schemas/tool.ts';
import { ContentError, parseServerFile, problemsFromIssues, type ContentProblem } from './files.ts';
import { classifyTool } from '../classification/classify.ts';
import { isRecord } from '../shared/records.ts';
import { writeFileAtomic } from '../shared/files.ts';
import { marksEveryChangingToolDestructive } from '../classification/fail-closed.ts';
import { definitionHash, fieldHashes } from './definition-hash.ts';
import { assignSlugs, baseSlug } from '../text-safety/slug.ts';
import { assessChange, type Severity } from './severity.ts';

/** What a `tools/list` source gave us, before it becomes a content file. */
export interface ImportInput {
  /** Raw `tools` entries, all pages concatenated. */
  tools: unknown[];
  /** Server metadata: a saved file's `server` object, or what `initialize` returned. */
  server: Record<string, unknown>;
  /** `--server`: the slug to file it under (else the server's slug or name). */
  slug?: string | undefined;
  source: ServerSource;
  transport: ServerMeta['transport'];
  /** Catalogue folder (holds servers/). */
  contentDir: string;
  /** Day of the import, YYYY-MM-DD. */
  today: string;
  /** Where the tools came from, for error messages. */
  origin: string;
}

export interface ImportResult {
  file: string;
  slug: string;
  added: string[];
  changed: Array<{ name: string; fields: string[]; severity: Severity; reasons: string[] }>;
  removed: string[];
  unchanged: number;
  /** Names whose readable slug was taken, and the slug they got instead. */
  clashes: Array<{ name: string; slug: string; clashesWith: string }>;
}

const MCP_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations', 'icons', 'execution', '_meta'] as const;

/** Keeps only the fields MCP defines, in a stable order. */
function pickDefinition(tool: McpTool): McpTool {
  const picked: Record<string, unknown> = {};
  for (const field of MCP_FIELDS) if (tool[field] !== undefined) picked[field] = tool[field];
  return picked as McpTool;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const url = (value: unknown): string | undefined => {
  const text = str(value);
  return text && /^https?:\/\//.test(text) ? text : undefined;
};

/** How much of a replaced description the history keeps. */
const PREVIOUS_DESCRIPTION_LIMIT = 5000;

/** Deepest nesting a schema may have; deeper is hostile or broken, and no client could use it. */
export const MAX_NESTING = 64;

/** Nesting depth of a JSON value, counted without recursion and capped at `limit + 1`. */
export function nestingDepth(value: unknown, limit = MAX_NESTING): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Validates every incoming tool; reports all problems at once. */
export function validateIncomingTools(origin: string, tools: unknown[]): McpTool[] {
  const problems: ContentProblem[] = [];
  const valid: McpTool[] = [];
  const seen = new Map<string, number>();
  tools.forEach((raw, index) => {
    if (isRecord(raw)) {
      const tooDeep = (['inputSchema', 'outputSchema', 'annotations', '_meta'] as const).filter(
        (field) => nestingDepth(raw[field]) > MAX_NESTING,
      );
      if (tooDeep.length > 0) {
        for (const field of tooDeep) {
          problems.push({
            file: origin,
            entry: `tool ${JSON.stringify(String(raw['name'] ?? '?'))} (tools[${index}])`,
            field,
            message: `nests deeper than ${MAX_NESTING} levels; refusing a schema no client could use`,
          });
        }
        return;
      }
    }
    const result = mcpToolSchema.safeParse(raw);
    if (!result.success) {
      problems.push(
        ...problemsFromIssues(
          origin,
          { tools },
          result.error.issues.map((issue) => ({ ...issue, path: ['tools', index, ...issue.path] })),
        ),
      );
      return;
    }
    const first = seen.get(result.data.name);
    if (first !== undefined) {
      problems.push({
        file: origin,
        entry: `tool ${JSON.stringify(result.data.name)} (tools[${index}])`,
        field: 'name',
        message: `duplicates tools[${first}]; a server cannot list two tools with one name`,
      });
      return;
    }
    seen.set(result.data.name, index);
    valid.push(pickDefinition(result.data));
  });
  if (problems.length > 0) throw new ContentError(problems);
  return valid;
}

function changedFields(before: Partial<McpTool>, after: Partial<McpTool>): Array<(typeof DEFINITION_FIELDS)[number]> {
  const a = fieldHashes(before);
  const b = fieldHashes(after);
  return DEFINITION_FIELDS.filter((field) => a[field] !== b[field]);
}

/**
 * The slug a server is filed under: `--server`, else the slug its file gives, else one
 * made from its name. Checked before it is used in any path, since a saved tools/list
 * file is untrusted (`"slug": "../../x"` must never reach the file system).
 */
export function serverSlugFor(input: Pick<ImportInput, 'slug' | 'server' | 'origin'>): string {
  const rawSlug = input.slug ?? str(input.server['slug']) ?? baseSlug(str(input.server['name']) ?? 'server', 'server');
  const slugCheck = serverSlugSchema.safeParse(rawSlug);
  if (!slugCheck.success) {
    throw new ContentError([
      {
        file: input.origin,
        entry: 'server',
        field: 'slug',
        message: `${JSON.stringify(rawSlug)} ${slugCheck.error.issues[0]?.message ?? 'is not a valid slug'}`,
      },
    ]);
  }
  return slugCheck.data;
}

/** Builds the new content file from the incoming tools and the existing file, if any. */
export function mergeImport(
  input: ImportInput,
  existing: ServerFile | undefined,
): { file: ServerFile; result: Omit<ImportResult, 'file'> } {
  const incoming = validateIncomingTools(input.origin, input.tools);
  const slug = serverSlugFor(input);
  const previous = new Map((existing?.tools ?? []).map((tool) => [tool.name, tool]));
  const added: string[] = [];
  const changed: ImportResult['changed'] = [];
  let unchanged = 0;
  // A hint every changing tool of the server carries tells one tool from no other (rubric, convention 5).
  const serverContext = { destructiveHintOnEveryChangingTool: marksEveryChangingToolDestructive(incoming) };

  const tools: CatalogTool[] = incoming.map((definition) => {
    const before = previous.get(definition.name);
    const hash = definitionHash(definition);
    const classification = classifyTool(definition, serverContext);
    let history: ToolHistory;
    if (!before?.history) {
      if (!before) added.push(definition.name);
      history = { hash, firstSeen: input.today, changes: [] };
    } else if (before.history.hash !== hash) {
      const fields = changedFields(before, definition);
      const assessment = assessChange(before, definition, { before: before.classification, after: classification });
      changed.push({ name: definition.name, fields, ...assessment });
      history = {
        hash,
        firstSeen: before.history.firstSeen,
        changes: [
          ...before.history.changes,
          {
            date: input.today,
            fields: fields.length > 0 ? fields : ['description'],
            previousHash: before.history.hash,
            ...(fields.includes('description') && before.description !== undefined
              ? { previousDescription: before.description.slice(0, PREVIOUS_DESCRIPTION_LIMIT) }
              : {}),
            severity: assessment.severity,
            reasons: assessment.reasons,
          },
        ],
      };
    } else {
      unchanged++;
      history = { hash, firstSeen: before.history.firstSeen, changes: before.history.changes };
    }
    const tool: CatalogTool = { ...definition, classification, history };
    if (before?.slug) tool.slug = before.slug;
    if (before?.overrides) tool.overrides = before.overrides;
    if (before?.review) tool.review = before.review;
    return tool;
  });

  const incomingNames = new Set(incoming.map((tool) => tool.name));
  const removed: string[] = [];
  for (const before of existing?.tools ?? []) {
    if (incomingNames.has(before.name)) continue;
    const history = before.history ?? { hash: definitionHash(before), firstSeen: input.today, changes: [] };
    if (!history.removedOn) removed.push(before.name);
    tools.push({ ...before, history: { ...history, removedOn: history.removedOn ?? input.today } });
  }

  const { slugs, clashes } = assignSlugs(tools);
  tools.forEach((tool, index) => {
    tool.slug = slugs[index]!;
  });

  const meta = input.server;
  const old = existing?.server;
  const serverInfo =
    isRecord(meta['serverInfo']) && typeof meta['serverInfo']['name'] === 'string'
      ? (meta['serverInfo'] as ServerMeta['serverInfo'])
      : old?.serverInfo;
  const server: ServerMeta = {
    slug,
    name: old?.name ?? str(meta['title']) ?? str(meta['name']) ?? slug,
    importedOn: input.today,
    transport: input.transport,
    source: input.source,
  };
  // Hand-edited metadata wins over what the server says about itself.
  const optional = {
    description: old?.description ?? str(meta['description']),
    repository: old?.repository ?? url(meta['repository']),
    package: str(meta['package']) ?? old?.package,
    version: str(meta['version']) ?? serverInfo?.version ?? old?.version,
    commit: str(meta['commit']) ?? old?.commit,
    serverInfo,
    instructions: str(meta['instructions']) ?? old?.instructions,
    notes: old?.notes,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (server as Record<string, unknown>)[key] = value;

  const file: ServerFile = { server, tools };
  return { file, result: { slug, added, changed, removed, unchanged, clashes } };
}

/** Imports one server into the catalogue: validate, merge with what is there, write atomically. */
export function importServer(input: ImportInput): ImportResult {
  const slug = serverSlugFor(input);
  const path = join(input.contentDir, 'servers', `${slug}.json`);
  const existing = existsSync(path) ? parseServerFile(path, readFileSync(path, 'utf8'), slug) : undefined;
  const { file, result } = mergeImport(input, existing);
  // Validate what we are about to write with the same schema the build uses.
  const check = serverFileSchema.safeParse(file);
  if (!check.success) throw new ContentError(problemsFromIssues(path, file, check.error.issues));
  writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
  return { file: path, ...result };
}

/** Reads a saved `tools/list` result: `{"tools": [...]}`, optionally with a `server` object. */
export function readToolsListFile(path: string): { tools: unknown[]; server: Record<string, unknown> } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ContentError([
      {
        file: path,
        entry: '(file)',
        field: '',
        message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      },
    ]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ContentError([{ file: path, entry: '(file)', field: '', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  // Accept a bare result, or a JSON-RPC response wrapping one.
  const result = isRecord(data) && isRecord(data['result']) && Array.isArray(data['result']['tools']) ? data['result'] : data;
  if (!isRecord(result) || !Array.isArray(result['tools'])) {
    throw new ContentError([
      { file: path, entry: '(file)', field: 'tools', message: 'must be an array: expected a tools/list result such as {"tools": [...]}' },
    ]);
  }
  return { tools: result['tools'], server: isRecord(result['server']) ? result['server'] : {} };
}
