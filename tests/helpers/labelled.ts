import { readFileSync, readdirSync } from 'node:fs';
import { labelSetSchema, type LabelSet } from '../../src/lib/classification/agreement.ts';
import type { ToolDefinition } from '../../src/lib/classification/classify.ts';

/**
 * The 15 hand-labelled servers (docs/labels.md), from files inside the repository: the four
 * reference servers' tools/list files are the shipped catalogue's sources (content/sources/), the
 * eleven more are in tests/fixtures/labelled-servers/. Keys are `<server>/<tool>`, as in the labels.
 */
const file = (path: string) => new URL(`../../${path}`, import.meta.url);
const json = (path: string): unknown => JSON.parse(readFileSync(file(path), 'utf8'));

export const REFERENCE_SERVERS = ['camoufox-mcp', 'claude-code-notebook-mcp', 'docx-mcp', 'tachibot-mcp'];
export const MORE_SERVERS = readdirSync(file('tests/fixtures/labelled-servers'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.slice(0, -'.json'.length))
  .sort();

/** The servers nobody read while writing the rules of convention 8 to 13: scored only (README, "Measured agreement"). */
export const HELD_OUT_SERVERS = [
  'playwright-mcp',
  'modelcontextprotocol-server-github',
  'modelcontextprotocol-server-filesystem',
  'modelcontextprotocol-server-memory',
  'modelcontextprotocol-server-puppeteer',
  'upstash-context7-mcp',
];

export function labelledServers(): Map<string, ToolDefinition[]> {
  const servers = new Map<string, ToolDefinition[]>();
  for (const slug of REFERENCE_SERVERS) servers.set(slug, (json(`content/sources/${slug}.json`) as { tools: ToolDefinition[] }).tools);
  for (const slug of MORE_SERVERS)
    servers.set(slug, (json(`tests/fixtures/labelled-servers/${slug}.json`) as { tools: ToolDefinition[] }).tools);
  return servers;
}

export function allLabels(): LabelSet {
  return {
    ...labelSetSchema.parse(json('tests/fixtures/labels/reference.json')),
    ...labelSetSchema.parse(json('tests/fixtures/labels/more.json')),
  };
}

export function definitionsByKey(servers: ReadonlyMap<string, ToolDefinition[]>): Map<string, ToolDefinition> {
  const definitions = new Map<string, ToolDefinition>();
  for (const [slug, tools] of servers) for (const tool of tools) definitions.set(`${slug}/${tool.name}`, tool);
  return definitions;
}
