import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../shared/files.ts';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseTomlPreserving, patch as patchToml } from '@decimalturn/toml-patch';
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import { parseConfigText } from './config-file.ts';
import { HEADER_NAME, VARIABLE_NAME } from '../guard/upstream.ts';
import { isRecord } from '../shared/records.ts';
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
  /** Wrap only: where each rewritten remote entry kept its URL, type and headers, for unwrap. */
  remotes: RemoteRecord[];
}

/** Where a wrapped remote entry's header came from, by name only: values are never copied out of the config. */
export interface MovedHeader {
  key: 'headers' | 'http_headers' | 'env_http_headers' | 'bearer_token_env_var';
  name: string;
  /** The variable the guard reads it from: one the wrap added to the entry's env, or the client's own (Codex). */
  variable: string;
}

export interface RemoteRecord {
  path: string[];
  urlKey: string;
  type: unknown;
  headers?: { moved: MovedHeader[]; hadEnv: boolean; hadEnvVars: boolean } | undefined;
}

/** How a remote entry's headers reach the guard without their values on its command line. */
interface HeaderPlan {
  args: string[];
  env: Record<string, string>;
  envVars: string[];
  removeKeys: string[];
  moved: MovedHeader[];
  hadEnv: boolean;
  hadEnvVars: boolean;
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
function guardedEntry(
  server: ScannedServer,
  target: WrapTarget,
  guard: GuardPrefix,
  headers: HeaderPlan | string | undefined,
): { command: string; args: string[] } | string {
  if (server.wrapped) return 'already runs under atlas guard';
  if (server.disabled) return 'disabled in the config';
  if (server.transport === 'sse') return 'uses SSE; guard --upstream speaks streamable HTTP only';
  if (typeof headers === 'string') return headers;
  if (!target.policy) return target.reason ?? 'no policy bundle';
  const [command, ...prefix] = guard;
  if (server.transport === 'stdio')
    return { command, args: [...prefix, 'guard', '--policy', target.policy, '--', server.command!, ...server.args] };
  return { command, args: [...prefix, 'guard', '--policy', target.policy, ...(headers?.args ?? []), '--upstream', server.url!] };
}

const stringsOf = (value: unknown): Record<string, string> =>
  isRecord(value) ? Object.fromEntries(Object.entries(value).filter((pair): pair is [string, string] => typeof pair[1] === 'string')) : {};

/**
 * A remote entry's headers, moved off the command line. A header's value (a token in clear, or a
 * reference in the client's own syntax such as `${env:TOKEN}` or `${input:token}`) goes verbatim
 * into the entry's `env` under ATLAS_HEADER_<NAME>, where the client expands it as it expanded
 * the header, and the guard reads it with `--header-env`. Codex's headers named by variable
 * (`env_http_headers`, `bearer_token_env_var`) stay references: the guard reads the same
 * variable, which Codex passes through (`env_vars`). Nothing is ever resolved and written.
 */
function planHeaders(client: ClientId, server: ScannedServer, raw: unknown): HeaderPlan | string | undefined {
  if (server.transport === 'stdio' || server.headerNames.length === 0 || !isRecord(raw)) return undefined;
  const existingEnv = stringsOf(raw['env']);
  const plan: HeaderPlan = {
    args: [],
    env: {},
    envVars: [],
    removeKeys: [],
    moved: [],
    hadEnv: raw['env'] !== undefined,
    hadEnvVars: raw['env_vars'] !== undefined,
  };
  const valueKeys = client === 'codex' ? (['http_headers'] as const) : (['headers'] as const);
  for (const key of valueKeys) {
    if (raw[key] === undefined) continue;
    plan.removeKeys.push(key);
    for (const [name, value] of Object.entries(stringsOf(raw[key]))) {
      if (!HEADER_NAME.test(name)) return `sends a header named ${JSON.stringify(name)}, which is not an HTTP header name`;
      const variable = `ATLAS_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
      if (Object.hasOwn(existingEnv, variable) || Object.hasOwn(plan.env, variable))
        return `two of its headers (or a header and its env) would share the variable ${variable}`;
      plan.env[variable] = value;
      plan.args.push('--header-env', `${name}=${variable}`);
      plan.moved.push({ key, name, variable });
    }
  }
  if (client === 'codex') {
    if (raw['env_http_headers'] !== undefined) plan.removeKeys.push('env_http_headers');
    for (const [name, variable] of Object.entries(stringsOf(raw['env_http_headers']))) {
      if (!HEADER_NAME.test(name)) return `sends a header named ${JSON.stringify(name)}, which is not an HTTP header name`;
      if (!VARIABLE_NAME.test(variable)) return `env_http_headers.${name}: ${JSON.stringify(variable)} is not a variable name`;
      plan.args.push('--header-env', `${name}=${variable}`);
      plan.envVars.push(variable);
      plan.moved.push({ key: 'env_http_headers', name, variable });
    }
    const bearer = raw['bearer_token_env_var'];
    if (typeof bearer === 'string') {
      if (!VARIABLE_NAME.test(bearer)) return `bearer_token_env_var: ${JSON.stringify(bearer)} is not a variable name`;
      plan.removeKeys.push('bearer_token_env_var');
      plan.args.push('--bearer-env', bearer);
      plan.envVars.push(bearer);
      plan.moved.push({ key: 'bearer_token_env_var', name: 'Authorization', variable: bearer });
    }
  }
  return plan;
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
    const raw = parsed.ok ? valueAt(parsed.data, server.path) : undefined;
    const headers = planHeaders(config.client, server, raw);
    const entry = guardedEntry(server, targetFor(server), guard, headers);
    if (typeof entry === 'string') {
      plan.left.push({ name: server.name, reason: entry });
      continue;
    }
    if (server.transport !== 'stdio') {
      const type = parsed.ok ? valueAt(parsed.data, [...server.path, 'type']) : undefined;
      const moved = typeof headers === 'object' ? headers : undefined;
      plan.remotes.push({
        path: server.path,
        urlKey: server.urlKey!,
        type,
        ...(moved ? { headers: { moved: moved.moved, hadEnv: moved.hadEnv, hadEnvVars: moved.hadEnvVars } } : {}),
      });
      edits.push({ path: [...server.path, server.urlKey!], value: undefined });
      if (type !== undefined) edits.push({ path: [...server.path, 'type'], value: 'stdio' });
      if (moved) {
        for (const key of moved.removeKeys) edits.push({ path: [...server.path, key], value: undefined });
        if (Object.keys(moved.env).length > 0)
          edits.push({ path: [...server.path, 'env'], value: { ...stringsOf(isRecord(raw) ? raw['env'] : undefined), ...moved.env } });
        if (moved.envVars.length > 0) {
          const had = isRecord(raw) && Array.isArray(raw['env_vars']) ? (raw['env_vars'] as unknown[]) : [];
          edits.push({ path: [...server.path, 'env_vars'], value: [...new Set([...had, ...moved.envVars])] });
        }
      }
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
  const left: EditPlan['left'] = [];
  for (const server of wrappedServers) {
    if (server.transport === 'stdio') {
      edits.push({ path: [...server.path, 'command'], value: server.command }, { path: [...server.path, 'args'], value: server.args });
    } else {
      const remote = record?.remotes.find((r) => isDeepStrictEqual(r.path, server.path));
      if (server.headerNames.length > 0 && !remote?.headers) {
        left.push({ name: server.name, reason: 'its headers were moved by a wrap whose record is gone; put them back by hand' });
        continue;
      }
      edits.push({ path: [...server.path, 'command'], value: undefined }, { path: [...server.path, 'args'], value: undefined });
      if (remote?.headers)
        edits.push(
          ...restoredHeaders(
            server,
            remote.headers,
            valueAt(parseConfigText(text.replace(/^\uFEFF/, ''), config.syntax), ['data', ...server.path]),
          ),
        );
      edits.push({ path: [...server.path, remote?.urlKey ?? DEFAULT_URL_KEY[config.client]], value: server.url });
      if (remote?.type !== undefined) edits.push({ path: [...server.path, 'type'], value: remote.type });
      else if (remote === undefined && ['vscode', 'claude-code'].includes(config.client))
        edits.push({ path: [...server.path, 'type'], value: 'http' });
      else edits.push({ path: [...server.path, 'type'], value: undefined });
    }
    changed.push({ name: server.name, detail: 'original command restored' });
  }
  return { config, before: text, after: applyAndVerify(config, text, edits), changed, left, remotes: [], restoreBackup: undefined };
}

/** The edits that give a wrapped remote entry its headers back, from the values the wrap moved into its env. */
function restoredHeaders(
  server: ScannedServer,
  moved: NonNullable<RemoteRecord['headers']>,
  raw: unknown,
): Array<{ path: string[]; value: unknown }> {
  const env = stringsOf(isRecord(raw) ? raw['env'] : undefined);
  const envVars = isRecord(raw) && Array.isArray(raw['env_vars']) ? (raw['env_vars'] as unknown[]) : [];
  const byKey = new Map<string, Record<string, string>>();
  const edits: Array<{ path: string[]; value: unknown }> = [];
  for (const header of moved.moved) {
    if (header.key === 'bearer_token_env_var') {
      edits.push({ path: [...server.path, 'bearer_token_env_var'], value: header.variable });
      continue;
    }
    const values = byKey.get(header.key) ?? {};
    values[header.name] = header.key === 'env_http_headers' ? header.variable : (env[header.variable] ?? '');
    byKey.set(header.key, values);
  }
  for (const [key, values] of byKey) edits.push({ path: [...server.path, key], value: values });
  const addedToEnv = new Set(moved.moved.filter((h) => h.key === 'headers' || h.key === 'http_headers').map((h) => h.variable));
  const addedToEnvVars = new Set(
    moved.moved.filter((h) => h.key === 'env_http_headers' || h.key === 'bearer_token_env_var').map((h) => h.variable),
  );
  if (addedToEnv.size > 0) {
    const rest = Object.fromEntries(Object.entries(env).filter(([name]) => !addedToEnv.has(name)));
    edits.push({ path: [...server.path, 'env'], value: Object.keys(rest).length > 0 || moved.hadEnv ? rest : undefined });
  }
  if (addedToEnvVars.size > 0) {
    const rest = envVars.filter((name) => typeof name !== 'string' || !addedToEnvVars.has(name));
    edits.push({ path: [...server.path, 'env_vars'], value: rest.length > 0 || moved.hadEnvVars ? rest : undefined });
  }
  return edits;
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
