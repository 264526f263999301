import type { Policy } from '../../../schemas/policy.ts';
import { policyJson } from '../json.ts';
import { cedarExport } from './cedar.ts';
import { claudeCodeExport } from './claude-code.ts';
import { interceptExport } from './intercept.ts';
import { EXPORT_IDS, commentLine, type ExportId, type ExportInput, type ExportResult } from './shared.ts';
import { codexExport, geminiCliExport } from './tool-lists.ts';
import { geminiPolicyExport } from './gemini-policy.ts';

export { EXPORT_IDS, type ExportId, type ExportInput, type ExportResult };

export interface ExportFormat {
  id: ExportId;
  /** What a reader picks. */
  label: string;
  /** Where the text goes, in the target's own words. */
  where: string;
  /** File name of the server's export, at /servers/<server>/<file>. */
  file: string;
  /** The format has comments, and the export writes its notes into them: the page need not repeat them. */
  notesInText?: boolean;
  build: (input: ExportInput) => ExportResult;
}

/** Notes as `#` comments above a TOML document (TOML has no other place for them). */
function withTomlNotes(result: ExportResult): ExportResult {
  const header = ['# Codex config.toml fragment exported by Policy Atlas', ...result.notes.map((note) => `# ${commentLine(note)}`)].join(
    '\n',
  );
  return { ...result, text: `${header}\n\n${result.text}` };
}

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    id: 'policy-json',
    label: 'policy.json',
    where: 'the gateway policy model itself',
    file: 'policy.json',
    build: (input) => ({ text: policyJson(input.policy), notes: [] }),
  },
  {
    id: 'intercept-yaml',
    label: 'Intercept',
    where: 'PolicyLayer Intercept: policy.yaml, run with intercept -c policy.yaml',
    file: 'intercept.yaml',
    notesInText: true,
    build: interceptExport,
  },
  {
    id: 'claude-code',
    label: 'Claude Code',
    where: 'Claude Code: the permissions block of .claude/settings.json',
    file: 'claude-code.json',
    build: claudeCodeExport,
  },
  {
    id: 'gemini-cli',
    label: 'Gemini CLI',
    where: 'Gemini CLI: mcpServers in settings.json',
    file: 'gemini-cli.json',
    build: geminiCliExport,
  },
  {
    id: 'gemini-policy',
    label: 'Gemini CLI policy',
    where: 'Gemini CLI policy engine: a .toml file in ~/.gemini/policies/',
    file: 'gemini-policy.toml',
    notesInText: true,
    build: geminiPolicyExport,
  },
  {
    id: 'codex',
    label: 'Codex',
    where: 'OpenAI Codex: ~/.codex/config.toml',
    file: 'codex.toml',
    notesInText: true,
    build: (input) => withTomlNotes(codexExport(input)),
  },
  {
    id: 'cedar',
    label: 'ToolHive (Cedar)',
    where: 'ToolHive: an authorization config for thv run --authz-config',
    file: 'cedar.json',
    build: cedarExport,
  },
];

/** Formats that can ask a person before a call; policy-json is the model itself, which holds `ask`. */
const ASKS = new Set<ExportId>(['policy-json', 'claude-code', 'gemini-policy', 'codex']);

/** Tools a person approves call by call: the rules with `ask: true`, and any the caller names. */
export function askedTools(input: ExportInput): string[] {
  const asked = new Set(input.ask ?? []);
  for (const [name, rule] of Object.entries(input.policy.tools ?? {})) if (rule.ask === true) asked.add(name);
  return [...asked];
}

/** The policy with every asked tool denied: hidden, the safest denial every format has. */
function denyingAsked(policy: Policy, asked: readonly string[]): Policy {
  const tools = Object.fromEntries(Object.entries(policy.tools ?? {}).filter(([name]) => !asked.includes(name)));
  const hide = policy.hide?.includes('*') ? policy.hide : [...new Set([...(policy.hide ?? []), ...asked])];
  return { ...policy, ...(hide && hide.length > 0 ? { hide } : {}), tools };
}

/**
 * One format of one policy. Where the target can ask a person, an asked tool keeps its rule and
 * is asked about; where it cannot, the tool is denied (a call a person was meant to approve never
 * runs unasked), and a note says so.
 */
export function exportFor(id: ExportId, input: ExportInput): ExportResult {
  const format = EXPORT_FORMATS.find((f) => f.id === id)!;
  const asked = askedTools(input);
  if (ASKS.has(id) || asked.length === 0) return format.build({ ...input, ask: asked });
  const result = format.build({ ...input, policy: denyingAsked(input.policy, asked), ask: [] });
  return {
    ...result,
    notes: [
      `${format.label} cannot ask a person before a call: the ${asked.length === 1 ? 'tool' : `${asked.length} tools`} whose rule asks ${asked.length === 1 ? 'is' : 'are'} denied here.`,
      ...result.notes,
    ],
    lossy: [...new Set([...(result.lossy ?? []), ...asked])],
  };
}

/** Every format of one policy. */
export function exportAll(server: string, policy: Policy, tools: readonly string[]): Array<ExportFormat & ExportResult> {
  return EXPORT_FORMATS.map((format) => ({ ...format, ...exportFor(format.id, { server, policy, tools }) }));
}
