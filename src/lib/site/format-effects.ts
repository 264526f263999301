import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { EXPORT_FORMATS, exportFor, type ExportId } from '../policy/exports/index.ts';
import { treatment } from '../policy/treatment.ts';
import type { Policy } from '../../schemas/policy.ts';

/** What one export format does with a page's one tool: read off the exported text itself, not assumed. */
export type FormatDecision = 'allowed' | 'asks' | 'denied' | 'hidden';

export interface FormatEffect {
  id: ExportId;
  label: string;
  decision: FormatDecision;
  /** One line: what the format does with the tool and what it loses against the policy model. */
  line: string;
  /** Whether the snippet is a whole policy (blocks the server's other tools) or covers only this tool. */
  whole: boolean;
}

type Reader = (text: string, server: string) => FormatDecision;

/**
 * Each reader parses its format with the format's own parser and finds the decision for the one
 * tool a tool page's snippet covers (so "any allow entry" is this tool's). A format added later
 * without a reader is reported as denied, the safe reading, and its notes still say the rest.
 */
const READERS: Partial<Record<ExportId, Reader>> = {
  'intercept-yaml': (text) => {
    const doc = parseYaml(text) as { hide?: unknown; tools?: Record<string, { rules?: Array<{ action?: string }> }> };
    if (Array.isArray(doc.hide) && doc.hide.length > 0) return 'hidden';
    const rules = Object.entries(doc.tools ?? {}).filter(([name]) => name !== '*');
    if (rules.length === 0 || rules.some(([, tool]) => tool.rules?.some((rule) => rule.action === 'deny'))) return 'denied';
    return 'allowed';
  },
  'claude-code': (text) => {
    const { permissions } = JSON.parse(text) as { permissions: { allow?: string[]; ask?: string[] } };
    return (permissions.allow?.length ?? 0) > 0 ? 'allowed' : (permissions.ask?.length ?? 0) > 0 ? 'asks' : 'denied';
  },
  'gemini-cli': (text, server) => {
    const settings = JSON.parse(text) as { mcpServers: Record<string, { includeTools?: string[] }> };
    return (settings.mcpServers[server]?.includeTools?.length ?? 0) > 0 ? 'allowed' : 'hidden';
  },
  codex: (text, server) => {
    const config = parseToml(text) as {
      mcp_servers: Record<string, { enabled_tools?: string[]; tools?: Record<string, { approval_mode?: string }> }>;
    };
    const entry = config.mcp_servers[server];
    if ((entry?.enabled_tools?.length ?? 0) === 0) return 'hidden';
    return Object.values(entry?.tools ?? {}).some((tool) => tool.approval_mode === 'prompt') ? 'asks' : 'allowed';
  },
  'gemini-policy': (text) => {
    // The tool's own rules (the server-wide deny has no toolName); the highest priority decides.
    const { rule = [] } = parseToml(text) as {
      rule?: Array<{ toolName?: string; decision?: string; priority?: number; argsPattern?: string }>;
    };
    const own = rule.filter((r) => r.toolName !== undefined && r.argsPattern === undefined);
    const top = own.sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0))[0];
    return top?.decision === 'allow' ? 'allowed' : top?.decision === 'ask_user' ? 'asks' : 'hidden';
  },
  cedar: (text) => {
    const config = JSON.parse(text) as { cedar: { policies: string[] } };
    // ToolHive filters a tool no policy permits out of tools/list.
    return config.cedar.policies.some((policy) => policy.startsWith('permit')) ? 'allowed' : 'hidden';
  },
};

/** What each format can keep of a rule, from the formats' documentation (README, "Exports"). */
const KEEPS: Record<string, { checks: 'kept' | 'must-hold' | 'globs' | 'none'; limits: boolean; hide: boolean; whole: boolean }> = {
  'policy-json': { checks: 'kept', limits: true, hide: true, whole: true },
  'intercept-yaml': { checks: 'must-hold', limits: true, hide: true, whole: true },
  'claude-code': { checks: 'none', limits: false, hide: false, whole: false },
  'gemini-cli': { checks: 'none', limits: false, hide: true, whole: true },
  'gemini-policy': { checks: 'none', limits: false, hide: true, whole: true },
  codex: { checks: 'none', limits: false, hide: true, whole: true },
  cedar: { checks: 'globs', limits: false, hide: true, whole: true },
};

const DOES: Record<FormatDecision, string> = {
  allowed: 'allows it',
  asks: 'asks a person before each call',
  denied: 'denies it',
  hidden: 'hides it from the model and denies any call',
};

/** One line per format for a tool page: what the snippet does with this tool, and what it loses. */
export function formatEffects(server: string, policy: Policy, toolName: string): FormatEffect[] {
  const how = treatment(policy, toolName);
  const checks = how.kind === 'allowed' ? how.checks.length : 0;
  const limits = how.kind === 'allowed' ? (how.rule?.limits?.length ?? 0) : 0;
  return EXPORT_FORMATS.map((format) => {
    const keeps = KEEPS[format.id] ?? { checks: 'none', limits: false, hide: false, whole: true };
    let decision: FormatDecision;
    if (format.id === 'policy-json') decision = how.kind === 'allowed' ? 'allowed' : how.kind;
    else {
      const text = exportFor(format.id, { server, policy, tools: [toolName], scope: 'tool' }).text;
      decision = READERS[format.id]?.(text, server) ?? 'denied';
    }
    const blocked = decision === 'denied' || decision === 'hidden';
    const loses: string[] = [];
    if (how.kind === 'hidden' && !keeps.hide) loses.push('it cannot hide a tool, so the model still sees it');
    if (decision === 'asks') loses.push('it cannot check arguments');
    else if (checks > 0 && blocked && how.kind === 'allowed')
      loses.push(keeps.checks === 'none' ? 'it cannot check arguments' : `a check has no form ${format.label} can require`);
    else if (checks > 0 && keeps.checks === 'must-hold') loses.push('a call that omits a checked argument is denied');
    else if (checks > 0 && keeps.checks === 'globs') loses.push('checks become globs that refuse a little more');
    if (limits > 0 && !keeps.limits && !blocked) loses.push('the rate limit is not kept');
    const line =
      format.id === 'policy-json'
        ? `${format.label} ${DOES[decision]}${how.kind === 'allowed' ? ' under its rule' : ''}, and loses nothing: it is the policy model itself.`
        : `${format.label} ${DOES[decision]}${loses.length > 0 ? `: ${loses.join('; ')}` : ', as recommended'}.`;
    return { id: format.id, label: format.label, decision, line, whole: keeps.whole };
  });
}
