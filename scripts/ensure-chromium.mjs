#!/usr/bin/env node
// Browser tests drive Debian's Chromium through playwright-core (Playwright cannot
// download its own browser here). Install it when we can; otherwise say what is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (isRoot && hasApt) {
  console.log(`Chromium not found at ${CHROMIUM}; installing Debian's chromium package for the browser tests…`);
  try {
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch {
    // Fall through to the message below.
  }
  if (existsSync(CHROMIUM)) process.exit(0);
}
console.error(
  [
    `Browser tests need Chromium at ${CHROMIUM}, and it is missing.`,
    hasApt ? 'Install it with:  sudo apt-get install -y chromium' : 'Install Chromium from your system packages.',
    'Or point CHROMIUM_PATH at an existing Chromium or Chrome binary.',
  ].join('\n'),
);
process.exit(1);
