import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/**
 * The guard's cost, in one run: the same stdio test server called directly and through
 * `atlas guard` (a real process, a policy with a pattern check and a limit, an audit log),
 * one call at a time for latency, then many in flight for throughput.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const server = join(repoRoot, 'tests/fixtures/servers/hostile-guard.mjs');

export interface GuardBenchOptions {
  calls: number;
  concurrency: number;
  results?: string | undefined;
  log: (line: string) => void;
}

interface Run {
  p50: number;
  p99: number;
  perSecond: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(transport: StdioClientTransport, options: GuardBenchOptions): Promise<Run> {
  const client = new Client({ name: 'guard-bench', version: '1' });
  await client.connect(transport);
  const call = (i: number) => client.callTool({ name: 'read_note', arguments: { id: `note-${i}` } });
  for (let i = 0; i < 200; i++) await call(i); // warm up both processes' JIT
  const latencies: number[] = [];
  for (let i = 0; i < options.calls; i++) {
    const started = performance.now();
    const result = await call(i);
    latencies.push(performance.now() - started);
    if (result.isError) throw new Error(`call ${i} failed: ${JSON.stringify(result.content)}`);
  }
  latencies.sort((a, b) => a - b);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.calls) await call(next++);
    }),
  );
  const perSecond = options.calls / ((performance.now() - started) / 1000);
  await client.close();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond };
}

export async function runGuardBench(options: GuardBenchOptions): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'atlas-guard-bench-'));
  const policy = join(work, 'policy.json');
  writeFileSync(
    policy,
    JSON.stringify({
      version: '1',
      default: 'deny',
      hide: ['delete_all'],
      tools: {
        read_note: {
          require: [{ path: 'args.id', op: 'regex', value: '^note-[0-9]+$' }],
          limits: [{ counter: 'read_note', window: 'minute', max: 1_000_000, scope: 'grant' }],
        },
      },
    }),
  );
  options.log('direct …');
  const direct = await measure(new StdioClientTransport({ command: process.execPath, args: [server], stderr: 'ignore' }), options);
  options.log('through atlas guard …');
  const guarded = await measure(
    new StdioClientTransport({
      command: process.execPath,
      args: [
        join(repoRoot, 'bin/atlas.mjs'),
        'guard',
        '--policy',
        policy,
        '--audit',
        join(work, 'audit.jsonl'),
        '--',
        process.execPath,
        server,
      ],
      stderr: 'inherit',
    }),
    options,
  );
  const ms = (n: number) => n.toFixed(3);
  const added50 = guarded.p50 - direct.p50;
  const added99 = guarded.p99 - direct.p99;
  const share = guarded.perSecond / direct.perSecond;
  const section = [
    '## atlas guard',
    '',
    `Taken with \`npm run bench\` (\`npx atlas bench --guard\`): the test server \`tests/fixtures/servers/hostile-guard.mjs\` over stdio, called`,
    `directly and through \`atlas guard\` (policy: default deny, a regex check and a limit on the tool; audit log on), ${options.calls} calls`,
    `one at a time for latency after 200 warm-up calls, then ${options.calls} calls ${options.concurrency} in flight for throughput. Both are real processes`,
    'on pipes; the client is the SDK client.',
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}, Node ${process.version}; date ${new Date().toISOString().slice(0, 10)}; load average ${loadavg()[0]!.toFixed(1)} at the end (client, guard and server share the cores: on a busy machine the guard's extra process costs throughput)`,
    '',
    '| path | p50 ms | p99 ms | calls/s |',
    '| --- | --- | --- | --- |',
    `| direct | ${ms(direct.p50)} | ${ms(direct.p99)} | ${Math.round(direct.perSecond)} |`,
    `| through the guard | ${ms(guarded.p50)} | ${ms(guarded.p99)} | ${Math.round(guarded.perSecond)} |`,
    `| added by the guard | ${ms(added50)} | ${ms(added99)} | ${(share * 100).toFixed(0)}% of direct |`,
    '',
    `Targets: p50 added ≤ 1 ms (${added50 <= 1 ? 'met' : 'missed'}), throughput ≥ 80% of direct (${share >= 0.8 ? 'met' : 'missed'}).`,
    '',
  ].join('\n');
  if (options.results) {
    const marker = '## atlas guard';
    const before = existsSync(options.results) ? readFileSync(options.results, 'utf8') : '';
    const kept = before.includes(marker) ? before.slice(0, before.indexOf(marker)) : before;
    writeFileSync(options.results, `${kept}${kept && !kept.endsWith('\n\n') ? '\n' : ''}${section}`);
  }
  return section;
}
