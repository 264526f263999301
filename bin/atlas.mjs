#!/usr/bin/env node
// The CLI is TypeScript run by Node's own type stripping (Node ≥ 22.18), so the site
// and the CLI share src/schemas without a build step.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `atlas needs Node 22.18 or later (this is ${process.version}). Run it through npm (npx atlas, npm run atlas) so the project's pinned Node is used.`,
  );
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
