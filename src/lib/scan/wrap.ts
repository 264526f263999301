import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../shared/files.ts';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseTomlPreserving, patch as patchToml } from '@decimalturn/toml-patch';
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import { parseConfigText } from './config-file.ts';
import { valueAt, type ScannedServer } from './entries.ts';
import type { ClientId } from './locations.ts';
import type { ScannedConfig } from './scan.ts';

/**
 * Rewrites a client config so each server runs under `atlas guard`, and back. Edits are
 * surgical: JSON through jsonc-parser's `modify` (only the changed values are rewritten; other
 * keys, their order, comments and whitespace stay as they were) and TOML through toml-patch
 * (comments and layout kept). Every result is parsed again and compared with what was meant
 * before anything is written; a mismatch writes nothing.
 */

/** How the client starts the guard: the command and the arguments before `guard`. */
export type GuardPrefix = readonly [string, ...string[]];

export interface WrapTarget {
  /** The policy bundle this server runs under, or why there is none. */
  policy: string | undefined;
  reason?: string;
}

export interface EditPlan {
  config: ScannedConfig;
  before: string;
  after: string;
  changed: Array<{ name: string; detail: string }>;
  left: Array<{ name: string; reason: string }>;
  /** Wrap only: where each rewritten remote entry kept its URL and type, for unwrap. */
  remotes: Array<{ path: string[]; urlKey: string; type: unknown }>;
}

export class WrapError extends Error {}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The file's own indentation and line ending, so inserted values look like their neighbours. */
function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/** The guarded entry's new values, or undefined (with the reason) when the server is left as it is. */
function guardedEntry(server: ScannedServer, target: WrapTarget, guard: GuardPrefix): { command: string; args: string[] } | string {
  if (server.wrapped) return 'already runs under atlas guard';
  if (server.disabled) return 'disabled in the config';
  if (server.transport === 'sse') return 'uses SSE; guard --upstream speaks streamable HTTP only';
  // Header values (tokens) would have to go on the guard's command line, where any local user can read them.
  if (server.headerNames.length > 0)
    return `sends headers (${server.headerNames.join(', ')}); guard --upstream cannot take them without putting their values on a command line`;
  if (!target.policy) return target.reason ?? 'no policy bundle';
  const [command, ...prefix] = guard;
  if (server.transport === 'stdio')
    return { command, args: [...prefix, 'guard', '--policy', target.policy, '--', server.command!, ...server.args] };
  return { command, args: [...prefix, 'guard', '--policy', target.policy, '--upstream', server.url!] };
}

/** JSON: applies one `modify` at a time, so each edit sees the text the previous one left. */
function editJson(text: string, edits: Array<{ path: string[]; value: unknown }>): string {
  const formatting = formattingOf(text);
  let out = text;
  for (const edit of edits) out = applyEdits(out, modify(out, edit.path, edit.value, { formattingOptions: formatting }));
  return out;
}

/** TOML: mutates the parsed document and lets toml-patch write only what changed. */
function editToml(text: string, edits: Array<{ path: string[]; value: unknown }>): string {
  const document = parseTomlPreserving(text);
  for (const edit of edits) {
    const parent = valueAt(document, edit.path.slice(0, -1)) as Record<string, unknown> | undefined;
    if (!parent) throw new WrapError(`cannot find ${edit.path.slice(0, -1).join('.')}`);
    const key = edit.path.at(-1)!;
    if (edit.value === undefined) delete parent[key];
    else parent[key] = edit.value;
  }
  return patchToml(text, document);
}

function applyAndVerify(config: ScannedConfig, raw: string, edits: Array<{ path: string[]; value: unknown }>): string {
  if (edits.length === 0) return raw;
  // A byte-order mark is kept, outside what the parsers see.
  const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
  const text = raw.slice(bom.length);
  const after = config.syntax === 'toml' ? editToml(text, edits) : editJson(text, edits);
  // Read the result back with the client's own rules: every edit must be there, and nothing else may move.
  const reread = parseConfigText(after, config.syntax);
  const expected = parseConfigText(text, config.syntax);
  if (!reread.ok || !expected.ok)
    throw new WrapError(`${config.path}: the edited file would not parse (${reread.ok ? '' : reread.problem}); nothing written`);
  const want = structuredClone(expected.data) as Record<string, unknown>;
  for (const edit of edits) {
    const parent = valueAt(want, edit.path.slice(0, -1)) as Record<string, unknown>;
    const key = edit.path.at(-1)!;
    if (edit.value === undefined) delete parent[key];
    else Object.defineProperty(parent, key, { value: edit.value, enumerable: true, writable: true, configurable: true });
  }
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(reread.data)), JSON.parse(JSON.stringify(want))))
    throw new WrapError(`${config.path}: the edited file does not hold exactly the intended change; nothing written`);
  return bom + after;
}

export function planWrap(
  config: ScannedConfig,
  text: string,
  targetFor: (server: ScannedServer) => WrapTarget,
  guard: GuardPrefix,
): EditPlan {
  const edits: Array<{ path: string[]; value: unknown }> = [];
  const plan: EditPlan = { config, before: text, after: text, changed: [], left: [], remotes: [] };
  const parsed = parseConfigText(text.replace(/^\uFEFF/, ''), config.syntax);
  for (const server of config.servers) {
    const entry = guardedEntry(server, targetFor(server), guard);
    if (typeof entry === 'string') {
      plan.left.push({ name: server.name, reason: entry });
      continue;
    }
    if (server.transport !== 'stdio') {
      const type = parsed.ok ? valueAt(parsed.data, [...server.path, 'type']) : undefined;
      plan.remotes.push({ path: server.path, urlKey: server.urlKey!, type });
      edits.push({ path: [...server.path, server.urlKey!], value: undefined });
      if (type !== undefined) edits.push({ path: [...server.path, 'type'], value: 'stdio' });
    }
    edits.push({ path: [...server.path, 'command'], value: entry.command }, { path: [...server.path, 'args'], value: entry.args });
    plan.changed.push({
      name: server.name,
      detail: server.transport === 'stdio' ? 'runs under atlas guard' : 'reached through atlas guard --upstream',
    });
  }
  for (const entry of config.broken) plan.left.push({ name: entry.name, reason: `not understood: ${entry.problem}` });
  plan.after = applyAndVerify(config, text, edits);
  return plan;
}

/** Where a remote entry keeps its URL when the sidecar does not say: each client's own key. */
const DEFAULT_URL_KEY: Record<ClientId, string> = {
  'claude-desktop': 'url',
  'claude-code': 'url',
  cursor: 'url',
  vscode: 'url',
  windsurf: 'serverUrl',
  'gemini-cli': 'httpUrl',
  codex: 'url',
};

/** What a wrap leaves beside the config: enough to put back the original bytes, or each entry. */
export interface WrapRecord {
  version: 1;
  /** Hash of the file as the wrap wrote it: if it is still the same, unwrap restores the backup byte for byte. */
  wrappedSha256: string;
  originalSha256: string;
  backup: string;
  remotes: EditPlan['remotes'];
}

export const recordPath = (configPath: string) => `${configPath}.atlas-wrap.json`;

function readRecord(configPath: string): WrapRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(recordPath(configPath), 'utf8')) as WrapRecord;
    return record.version === 1 ? record : undefined;
  } catch {
    return undefined;
  }
}

export function planUnwrap(config: ScannedConfig, text: string): EditPlan & { restoreBackup: string | undefined } {
  const record = readRecord(config.path);
  const wrappedServers = config.servers.filter((server) => server.wrapped);
  // Nothing changed since the wrap: the backup is the original, byte for byte.
  if (record && sha256(text) === record.wrappedSha256 && existsSync(record.backup)) {
    const original = readFileSync(record.backup, 'utf8');
    if (sha256(original) === record.originalSha256) {
      return {
        config,
        before: text,
        after: original,
        changed: wrappedServers.map((server) => ({ name: server.name, detail: 'original restored from the backup' })),
        left: [],
        remotes: [],
        restoreBackup: record.backup,
      };
    }
  }
  // The file was edited since: put back each wrapped entry and keep everything else as it is now.
  const edits: Array<{ path: string[]; value: unknown }> = [];
  const changed: EditPlan['changed'] = [];
  for (const server of wrappedServers) {
    if (server.transport === 'stdio') {
      edits.push({ path: [...server.path, 'command'], value: server.command }, { path: [...server.path, 'args'], value: server.args });
    } else {
      const remote = record?.remotes.find((r) => isDeepStrictEqual(r.path, server.path));
      edits.push({ path: [...server.path, 'command'], value: undefined }, { path: [...server.path, 'args'], value: undefined });
      edits.push({ path: [...server.path, remote?.urlKey ?? DEFAULT_URL_KEY[config.client]], value: server.url });
      if (remote?.type !== undefined) edits.push({ path: [...server.path, 'type'], value: remote.type });
      else if (remote === undefined && ['vscode', 'claude-code'].includes(config.client))
        edits.push({ path: [...server.path, 'type'], value: 'http' });
      else edits.push({ path: [...server.path, 'type'], value: undefined });
    }
    changed.push({ name: server.name, detail: 'original command restored' });
  }
  return { config, before: text, after: applyAndVerify(config, text, edits), changed, left: [], remotes: [], restoreBackup: undefined };
}

/**
 * Through a temporary file and a rename, with the file's own permissions: a config that holds
 * tokens is often readable by its owner only, and must stay so.
 */
export function writeKeepingMode(path: string, text: string, mode: number): void {
  writeFileAtomic(path, text, { mode });
}

/** A backup beside the file (never overwriting an earlier one), then the new text through a rename. */
export function writeWithBackup(configPath: string, before: string, after: string): string {
  // A config linked from a dotfiles folder is edited where it lives; the link stays a link.
  const path = realpathSync(configPath);
  const mode = statSync(path).mode & 0o777;
  let backup = `${configPath}.atlas-backup`;
  for (let n = 2; existsSync(backup); n++) backup = `${configPath}.atlas-backup-${n}`;
  copyFileSync(path, backup);
  chmodSync(backup, mode);
  if (readFileSync(backup, 'utf8') !== before)
    throw new WrapError(`${path} changed while it was being edited; nothing written (backup left at ${backup})`);
  writeKeepingMode(path, after, mode);
  return backup;
}

export function commitWrap(plan: EditPlan): { backup: string } {
  const backup = writeWithBackup(plan.config.path, plan.before, plan.after);
  const record: WrapRecord = {
    version: 1,
    wrappedSha256: sha256(plan.after),
    originalSha256: sha256(plan.before),
    backup,
    remotes: plan.remotes,
  };
  writeKeepingMode(recordPath(plan.config.path), `${JSON.stringify(record, null, 2)}\n`, 0o600);
  return { backup };
}

export function commitUnwrap(plan: EditPlan): { backup: string } {
  const backup = writeWithBackup(plan.config.path, plan.before, plan.after);
  rmSync(recordPath(plan.config.path), { force: true });
  return { backup };
}
