import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyTool, type ToolDefinition } from '../../src/lib/classification/classify.ts';

/**
 * How a person reads a sample of the reference tools. A change to the classifier that
 * moves one of these must be a deliberate one.
 */
const EXPECTED: Array<[server: string, tool: string, category: string, risk: string]> = [
  ['docx-mcp', 'open_document', 'read', 'medium'],
  ['docx-mcp', 'get_headings', 'read', 'low'],
  ['docx-mcp', 'xpath_query', 'read', 'low'],
  ['docx-mcp', 'set_run_font', 'write', 'medium'],
  ['docx-mcp', 'get_runs', 'read', 'low'],
  ['docx-mcp', 'find_replace_formatted', 'write', 'medium'],
  ['docx-mcp', 'export_session_script', 'write', 'medium'],
  ['docx-mcp', 'compare_documents', 'write', 'medium'],
  ['docx-mcp', 'save_document', 'destructive', 'high'],
  ['docx-mcp', 'delete_paragraph', 'destructive', 'medium'],
  ['docx-mcp', 'set_document_protection', 'write', 'high'],
  ['camoufox-mcp', 'evaluate_mainworld', 'execute', 'high'],
  ['camoufox-mcp', 'save_session', 'write', 'medium'],
  ['camoufox-mcp', 'get_page_text', 'read', 'medium'],
  ['camoufox-mcp', 'navigate_page', 'write', 'medium'],
  ['camoufox-mcp', 'clear_console_logs', 'destructive', 'medium'],
  ['camoufox-mcp', 'get_recording_status', 'read', 'low'],
  ['claude-code-notebook-mcp', 'notebook_delete', 'destructive', 'high'],
  ['claude-code-notebook-mcp', 'notebook_read', 'read', 'medium'],
  ['claude-code-notebook-mcp', 'notebook_create', 'write', 'medium'],
  ['claude-code-notebook-mcp', 'notebook_export', 'write', 'medium'],
  ['tachibot-mcp', 'think', 'read', 'low'],
  ['tachibot-mcp', 'grok_search', 'read', 'medium'],
  ['tachibot-mcp', 'perplexity_ask', 'read', 'high'],
  ['tachibot-mcp', 'focus_clear_old_sessions', 'destructive', 'high'],
  ['tachibot-mcp', 'create_workflow', 'write', 'medium'],
  ['tachibot-mcp', 'list_plans', 'read', 'low'],
];

const servers = new Map<string, ToolDefinition[]>();
const toolsOf = (server: string) => {
  if (!servers.has(server))
    servers.set(server, JSON.parse(readFileSync(new URL(`../../content/servers/${server}.json`, import.meta.url), 'utf8')).tools);
  return servers.get(server)!;
};

describe('classification of the reference tools, as a person reads them', () => {
  it.each(EXPECTED)('%s %s is %s / %s', (server, name, category, risk) => {
    const tool = toolsOf(server).find((t) => t.name === name);
    expect(tool, name).toBeDefined();
    expect(classifyTool(tool!)).toMatchObject({ category, risk });
  });
});
