import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GuardError } from './errors.ts';

/**
 * Reads the guard's inputs (the policy, the pin catalogue) from a file or a URL. A URL's text is
 * kept in a local cache only after it validated, with its SHA-256, so that when the URL cannot be
 * fetched later the guard can run on the last copy it verified, and on nothing else.
 */

const MAX_BYTES = 20 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;

export interface SourceText {
  text: string;
  /** Where the text came from, for messages: the path, the URL, or the cached copy. */
  origin: string;
  /** Set when the URL failed and a verified cached copy is used instead. */
  fromCache?: { fetchedAt: string; why: string };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isUrl(spec: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(spec);
}

/** https only; plain http is accepted for this machine alone (a local preview of the site). */
export function checkedUrl(spec: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new GuardError(`${what} ${JSON.stringify(spec)} is not a valid URL`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return url;
  throw new GuardError(`${what} ${JSON.stringify(spec)}: only https:// URLs are fetched (http:// only for localhost)`);
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['ATLAS_CACHE']) return env['ATLAS_CACHE'];
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'policy-atlas', 'guard');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface CacheEntry {
  url: string;
  fetchedAt: string;
  sha256: string;
  text: string;
}

function cachePath(cacheDir: string, url: string): string {
  return join(cacheDir, `${sha256(url).slice(0, 32)}.json`);
}

function readCache(cacheDir: string, url: string): CacheEntry | undefined {
  const path = cachePath(cacheDir, url);
  if (!existsSync(path)) return undefined;
  try {
    const entry = JSON.parse(readFileSync(path, 'utf8')) as Partial<CacheEntry>;
    if (entry.url !== url || typeof entry.text !== 'string' || typeof entry.fetchedAt !== 'string') return undefined;
    // A copy altered on disk is not the copy that was verified.
    if (entry.sha256 !== sha256(entry.text)) return undefined;
    return entry as CacheEntry;
  } catch {
    return undefined;
  }
}

function writeCache(cacheDir: string, url: string, text: string): void {
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const path = cachePath(cacheDir, url);
    const temporary = `${path}.${process.pid}.tmp`;
    const entry: CacheEntry = { url, fetchedAt: new Date().toISOString(), sha256: sha256(text), text };
    writeFileSync(temporary, JSON.stringify(entry), { mode: 0o600 });
    renameSync(temporary, path);
  } catch {
    // A cache that cannot be written only loses the fallback; the fetched copy is still used.
  }
}

async function fetchText(url: URL): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_BYTES) throw new Error(`it is ${declared} bytes, over the ${MAX_BYTES}-byte limit`);
  const text = await response.text();
  if (text.length > MAX_BYTES) throw new Error(`it is over the ${MAX_BYTES}-byte limit`);
  return text;
}

/**
 * The text at `spec`, checked by `verify` (which throws a GuardError naming the problem).
 * A fetched copy that verifies is cached; a fetched copy that does not verify is refused even
 * if an older cached copy exists (the publisher's current text is broken: say so).
 */
export async function loadVerifiedText(
  spec: string,
  what: string,
  verify: (text: string, origin: string) => void,
  options: { cacheDir: string },
): Promise<SourceText> {
  if (!isUrl(spec)) {
    let text: string;
    try {
      text = readFileSync(spec, 'utf8');
    } catch (error) {
      throw new GuardError(`${what} ${spec}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    verify(text, spec);
    return { text, origin: spec };
  }
  const url = checkedUrl(spec, what);
  let text: string;
  try {
    text = await fetchText(url);
  } catch (error) {
    const why =
      error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
    const cached = readCache(options.cacheDir, url.href);
    if (!cached) throw new GuardError(`${what} ${url.href} cannot be fetched (${why}), and there is no verified cached copy of it`);
    verify(cached.text, `${url.href} (cached copy)`);
    return { text: cached.text, origin: `${url.href} (cached copy)`, fromCache: { fetchedAt: cached.fetchedAt, why } };
  }
  verify(text, url.href);
  writeCache(options.cacheDir, url.href, text);
  return { text, origin: url.href };
}
