import { PLAIN_TOOL_NAME, pluralTools, toolsOf, treatment, type ExportInput, type ExportResult } from './shared.ts';

/**
 * Claude Code: the `permissions` block of `.claude/settings.json`, rules `mcp__<server>__<tool>`.
 * It has no default deny for MCP tools, no hiding and no argument checks, so: allowed tools
 * without checks under `allow`, tools whose rule needs argument checks under `ask` (a person
 * approves each call), every other tool of the server under `deny`.
 */
export function claudeCodeExport(input: ExportInput): ExportResult {
  const allow: string[] = [];
  const ask: string[] = [];
  const deny: string[] = [];
  const unnameable: string[] = [];
  const limited: string[] = [];
  for (const name of toolsOf(input)) {
    // `*` is a wildcard and parentheses an argument pattern: such a name would widen a rule.
    if (!PLAIN_TOOL_NAME.test(name)) {
      unnameable.push(name);
      continue;
    }
    const rule = `mcp__${input.server}__${name}`;
    const how = treatment(input.policy, name);
    if (how.kind !== 'allowed') deny.push(rule);
    else if (how.checks.length > 0 || input.ask?.includes(name)) ask.push(rule);
    else allow.push(rule);
    if (how.kind === 'allowed' && how.limited) limited.push(name);
  }
  const notes: string[] = [];
  if (unnameable.length > 0) {
    // No rule can name these tools safely, so the whole server is denied: the safest means the format has.
    notes.push(
      `${pluralTools(unnameable)} cannot be named in a Claude Code rule without widening it (a * or parenthesis is syntax there), so this export denies the whole server (mcp__${input.server}); deny wins over allow in Claude Code.`,
    );
    return { text: `${JSON.stringify({ permissions: { deny: [`mcp__${input.server}`] } }, null, 2)}\n`, notes };
  }
  if (ask.length > 0)
    notes.push(
      `Claude Code cannot check arguments, so ${ask.length} tool${ask.length === 1 ? '' : 's'} whose rule needs checks ${ask.length === 1 ? 'is' : 'are'} under "ask": a person approves each call.`,
    );
  if (limited.length > 0) notes.push('Claude Code cannot count calls: the rate limits are not kept.');
  // A one-tool snippet lists one tool: it cannot deny the server's others, so it says so instead of claiming to.
  notes.push(
    input.scope === 'tool'
      ? `Claude Code has no default deny, and this snippet covers only this tool: the server's other tools are not denied. The server's claude-code.json denies them by name.`
      : 'Default deny is emulated by denying every other tool the server lists today; a tool the server adds later is not covered until you export again.',
  );
  if (input.policy.hide?.length) notes.push('Claude Code cannot hide a tool from the model: hidden tools are denied instead.');
  return { text: `${JSON.stringify({ permissions: { allow, ask, deny } }, null, 2)}\n`, notes };
}
