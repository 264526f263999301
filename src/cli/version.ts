import { readFileSync } from 'node:fs';

/** The version in package.json, which the CLI gives as its own to the servers and clients it talks to. */
export const packageVersion = (): string => {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
};
