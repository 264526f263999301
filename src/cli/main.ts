import { describeFailure, HelpRequested } from './errors.ts';

/**
 * The `atlas` CLI: usage and dispatch only. Each command is its own module in ./commands/
 * (argv in, exit code out); shared option parsing is in ./options.ts, errors in ./errors.ts,
 * developer tools (benchmark, static server, Chromium) in ./dev/.
 */

const USAGE = `Usage: atlas <command> [options]

Commands:
  import   Add or refresh one server from its tools/list, classified.
           One source:
             --file <tools-list.json>    a saved tools/list result
             --stdio "<command line>"    a live server started over stdio
             --http <url>                a live server over streamable HTTP
           Options:
             --server <slug>             file it under this slug (default: from the server's name)
             --env KEY=VALUE | KEY       environment for a stdio server (repeatable; KEY alone passes yours)
             --header "Name: value"      HTTP header, e.g. Authorization (repeatable)
             --timeout <seconds>         give up on a silent server after this long (default 30)
  refresh  Re-import every server whose recorded source can be re-run, then report.
           --check [--sarif <file>] [--summary <file>]: re-list every server and compare with the
           catalogue, changing nothing; exit 1 on any added, removed or changed tool (each with a
           severity: high, medium, low), writing SARIF 2.1.0 for code scanning and Markdown for a PR.
           Options: --timeout, --header (for HTTP servers that need one); stdio servers get
           the environment variables they were imported with from your environment.

  scan     [--config <file>]… [--project <dir>] [--content <dir>] [--json] [--trust-project] [--no-start]
           Find the MCP client configs of the user and the project (Claude Desktop, Claude Code,
           Cursor, VS Code, Windsurf, Gemini CLI, Codex), list each server (variable and header
           names, never values), import each live into the catalogue and print its risk summary.
           --config scans only the files given. Servers of the project's own configs start only
           with --trust-project; --no-start lists without starting anything. Exit 1 if a config
           could not be read or a server failed.

  check    --policy <file> --tool <name> [--args '<json>'] [--prior N] [--json]
           Decide one call against a policy file as a gateway would, and say why.
           --prior N counts N earlier calls in the current window (to test limits).
           Exit 0 allowed, 1 denied or hidden, 2 bad input, 3 ask (a person must approve).
  policy   --server <slug> [--root <dir>] [--format <id>] [--out <file>]
           Print a server's recommended policy bundle. Path arguments must be relative
           paths inside the workspace; with --root /srv/work they must be absolute paths
           under that folder instead (for tools that ask for absolute paths). --format
           policy-json (default), intercept-yaml, claude-code, gemini-cli, codex or cedar.
  eval     --labels <file> [--labels <file>…] [--content <dir>] [--brief] [--json]
           Classify every hand-labelled tool (labels keyed "<server>/<tool>") from the
           catalogue's definitions; print category and risk agreement, confusion matrices
           and each disagreement with the evidence the classifier used.
             --by-server             agreement per server, and leave-one-server-out
             --held-out <slug,…>     score these servers apart from the rest and leave
                                     their disagreements out (read them only after scoring)
             --show-held-out         show the held-out servers' disagreements too
  review   [--server <slug>] [--json]
           List the tools a person should look at: low confidence, evidence that disagrees,
           annotations that conflict, or a definition changed since it was reviewed.
           --accept <server>/<tool> [--reason "<why>"]
                                       record that a person confirmed the classification
           --set <server>/<tool> category=<c> risk=<r> --reason "<why>"
                                       record a person's own category and risk
           Decisions are written into the server's content file (atomically) and kept by
           re-imports; the tool's page shows who decided and when.

  guard    --policy <file|https URL> [--pin <catalog/<server>.json file|URL>] [--audit <file>]
           -- <server command line>   |   --upstream <https URL> [--header "Name: value"]
           Run an MCP server behind the policy, as a stdio MCP server for your agent's client:
           hidden tools leave tools/list, every tools/call is decided by the policy first, a
           denied call never reaches the server. See the README ("atlas guard").
           Options: --timeout <s> per call (60), --start-timeout <s> (60),
           --max-result-mb <n> (8), --audit-max-mb <n> (10, then rotated to <file>.1),
           --approval-timeout <s> (120) for calls the policy asks a person about

  generate --tools N --servers M [--seed S] --out <dir>
           Write a synthetic catalogue (deterministic from the seed) in the importer's format.
           Build it with: ATLAS_CONTENT=<dir> npm run build
  bench    [--sizes 1000,5000,31000] [--seed S] [--out bench-out] [--results <file>]
           Generate catalogues of each size, build each from clean, print a table of phase
           times, peak memory per process, page weight and growth.
           --guard [--calls N] [--concurrency C]: instead, calls a stdio server directly and
           through atlas guard; prints latency p50/p99 and calls per second, added by the guard.

Common options:
  --content <dir>   catalogue folder (default: $ATLAS_CONTENT or ./content)
  -h, --help        show this help

Examples:
  npx atlas import --file ./tools-list.json --server my-server
  npx atlas import --stdio "npx -y @modelcontextprotocol/server-memory"
  npx atlas import --http https://mcp.example.com/mcp --header "Authorization: Bearer $TOKEN"
  npx atlas guard --policy ./policy.json -- npx -y @modelcontextprotocol/server-memory
`;

type Command = (argv: string[]) => number | Promise<number>;

/** Each command is loaded when it runs, so `atlas guard` starts without the importer's or the benchmark's modules. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  import: async () => (await import('./commands/import.ts')).runImport,
  refresh: async () => (await import('./commands/refresh.ts')).runRefresh,
  check: async () => (await import('./commands/check.ts')).runCheck,
  policy: async () => (await import('./commands/policy.ts')).runPolicy,
  eval: async () => (await import('./commands/eval.ts')).runEval,
  review: async () => (await import('./commands/review.ts')).runReview,
  scan: async () => (await import('./commands/scan.ts')).runScan,
  guard: async () => (await import('./commands/guard.ts')).runGuardCommand,
  generate: async () => (await import('./commands/generate.ts')).runGenerate,
  bench: async () => (await import('./commands/bench.ts')).runBenchCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) {
    process.stderr.write(`atlas: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return 2;
  }
  try {
    const run = await load();
    return await run(rest);
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(USAGE);
      return 0;
    }
    const failure = describeFailure(command, error, USAGE);
    if (!failure) throw error;
    process.stderr.write(failure.stderr);
    return failure.exitCode;
  }
}
