import { stringify as toToml } from 'smol-toml';
import { PLAIN_TOOL_NAME, pluralTools, toolsOf, treatment, type ExportInput, type ExportResult } from './shared.ts';

/**
 * Clients whose configuration is an allow list and a deny list of a server's tools (Gemini CLI's
 * includeTools / excludeTools, Codex's enabled_tools / disabled_tools). Neither checks arguments
 * or counts calls, so a tool whose rule needs argument checks is excluded: the lists err toward deny.
 */
function splitTools(input: ExportInput): {
  include: string[];
  exclude: string[];
  needChecks: string[];
  unnameable: string[];
  limited: boolean;
} {
  const include: string[] = [];
  const exclude: string[] = [];
  const needChecks: string[] = [];
  const unnameable: string[] = [];
  let limited = false;
  for (const name of toolsOf(input)) {
    const how = treatment(input.policy, name);
    if (how.kind === 'allowed' && how.limited) limited = true;
    if (!PLAIN_TOOL_NAME.test(name)) {
      // Left out of both lists: the allow list then denies it, and no pattern syntax can leak in.
      unnameable.push(name);
      continue;
    }
    if (how.kind !== 'allowed') exclude.push(name);
    else if (how.checks.length > 0) {
      needChecks.push(name);
      exclude.push(name);
    } else include.push(name);
  }
  return { include, exclude, needChecks, unnameable, limited };
}

function listNotes(client: string, split: ReturnType<typeof splitTools>): string[] {
  const notes: string[] = [];
  if (split.needChecks.length > 0)
    notes.push(
      `${client} cannot check arguments, so ${pluralTools(split.needChecks)} whose rule needs argument checks ${split.needChecks.length === 1 ? 'is' : 'are'} excluded. Allow ${split.needChecks.length === 1 ? 'it' : 'them'} only behind a gateway that checks arguments.`,
    );
  if (split.unnameable.length > 0)
    notes.push(
      `${pluralTools(split.unnameable)} ${split.unnameable.length === 1 ? 'has' : 'have'} characters a tool list cannot hold safely: left out of both lists, so the allow list denies ${split.unnameable.length === 1 ? 'it' : 'them'}.`,
    );
  if (split.limited) notes.push(`${client} cannot count calls: the rate limits are not kept.`);
  return notes;
}

/**
 * Both clients read an empty allow list as "no filter": when nothing is allowed the allow list
 * is left out and every tool goes on the deny list instead.
 */
function allowAndDeny(split: ReturnType<typeof splitTools>, allowKey: string, denyKey: string, notes: string[]): Record<string, string[]> {
  if (split.include.length > 0) return { [allowKey]: split.include, [denyKey]: split.exclude };
  notes.push(
    `No tool is allowed, and an empty ${allowKey} would allow all of them: every tool is under ${denyKey} instead. A tool the server adds later is not covered, so consider removing the server.`,
  );
  return { [denyKey]: split.exclude };
}

/** Gemini CLI: `mcpServers.<server>` in settings.json; includeTools is an allow list, excludeTools wins over it. */
export function geminiCliExport(input: ExportInput): ExportResult {
  const split = splitTools(input);
  const notes = listNotes('Gemini CLI', split);
  const settings = { mcpServers: { [input.server]: allowAndDeny(split, 'includeTools', 'excludeTools', notes) } };
  notes.push('Merge the entry into the server you already configured under this name; an empty includeTools allows nothing.');
  return { text: `${JSON.stringify(settings, null, 2)}\n`, notes };
}

/**
 * Codex: `[mcp_servers.<server>]` in ~/.codex/config.toml with enabled_tools and disabled_tools,
 * and per tool `tools.<tool>.approval_mode`. Codex cannot check arguments but can ask: a tool whose
 * rule needs checks (or that the composer marks "ask first") is enabled with `approval_mode =
 * "prompt"`, so a person approves each call; nothing with checks runs unasked.
 */
export function codexExport(input: ExportInput): ExportResult {
  const split = splitTools(input);
  const asked = split.include.filter((name) => input.ask?.includes(name));
  const prompted = [...split.needChecks, ...asked];
  const lists = {
    ...split,
    include: [...split.include, ...split.needChecks],
    exclude: split.exclude.filter((name) => !split.needChecks.includes(name)),
    needChecks: [],
  };
  const notes = listNotes('Codex', lists);
  if (split.needChecks.length > 0)
    notes.unshift(
      `Codex cannot check arguments, so ${pluralTools(split.needChecks)} whose rule needs argument checks ${split.needChecks.length === 1 ? 'has' : 'have'} approval_mode = "prompt": a person approves each call, and the checks are theirs to make.`,
    );
  notes.push('Merge the keys into the [mcp_servers] table you already have for this server (command, args).');
  const table: Record<string, unknown> = allowAndDeny(lists, 'enabled_tools', 'disabled_tools', notes);
  if (prompted.length > 0) table['tools'] = Object.fromEntries(prompted.map((name) => [name, { approval_mode: 'prompt' }]));
  const toml = toToml({ mcp_servers: { [input.server]: table } });
  return { text: `${toml}\n`, notes };
}
