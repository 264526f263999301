import type { ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './errors.ts';

/** Parsing of the options several commands share. */

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export const contentDirFrom = (value: string | undefined): string => value ?? process.env['ATLAS_CONTENT'] ?? 'content';

/** `--env KEY=VALUE` or `--env KEY` (passes the caller's value). */
export function parseEnv(entries: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const name = eq === -1 ? entry : entry.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--env ${JSON.stringify(entry)}: expected KEY=VALUE or KEY`);
    const value = eq === -1 ? process.env[name] : entry.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--env ${name}: not set in your environment`);
    env[name] = value;
  }
  return env;
}

/** `--header "Name: value"`, repeatable. */
export function parseHeaders(entries: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header ${JSON.stringify(entry)}: expected "Name: value"`);
    headers[entry.slice(0, colon).trim()] = entry.slice(colon + 1).trim();
  }
  return headers;
}

/** `--timeout <seconds>` in milliseconds; 30 s when not given. */
export function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 30_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout ${JSON.stringify(value)}: expected a number of seconds`);
  return seconds * 1000;
}

export function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a positive whole number`);
  return n;
}

/** Options `import` and `refresh` share. */
export const COMMON_OPTIONS = {
  content: { type: 'string' as const },
  header: { type: 'string' as const, multiple: true as const, default: [] as string[] },
  timeout: { type: 'string' as const },
  help: { type: 'boolean' as const, short: 'h' },
} satisfies ParseArgsOptionsConfig;
