import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { gzipSync } from 'node:zlib';
import { generateCatalog } from '../../lib/catalog/generate.ts';
import { plainLine } from '../../lib/text-safety/text.ts';
import { astroBuildCommand, astroLogLine } from './astro-build.ts';
import { probeSearch, type SearchProbe } from './search-probe.ts';

/**
 * The benchmark: for each size, generate a catalogue, build it from clean in a child
 * process, and measure phases, peak memory of every process, and page weight.
 */

export interface BenchRow {
  tools: number;
  servers: number;
  pages: number;
  generateS: number;
  startupS: number;
  syncS: number;
  bundleS: number;
  renderS: number;
  /** Building and writing the search index, which overlaps page rendering. */
  searchIndexS: number;
  /** How long the end of the build waited for the search index after rendering. */
  searchWaitS: number;
  /** After rendering: sitemap, headers and moving the search index into place. */
  finishS: number;
  totalS: number;
  pagesPerS: number;
  peakRssMb: Record<string, number>;
  distMb: number;
  /** Files in the output folder: what a host's per-deploy file limit counts. */
  distFiles: number;
  toolHtmlGzipMedianKb: number;
  toolHtmlGzipMaxKb: number;
  toolJsGzipKb: number;
  incremental: IncrementalRow;
  search: SearchProbe;
}

/** Rebuilds in the same output and cache folders after the clean build, in the same run. */
export interface IncrementalRow {
  noChangeS: number;
  noChangeRendered: number;
  oneServerS: number;
  oneServerEdited: number;
  oneServerRendered: number;
  oneServerShardsIndexed: number;
  shards: number;
}

/** Peak resident memory (VmHWM) of every process below `root`, sampled from /proc, by name. */
function watchProcessTree(root: number): { stop: () => Record<string, number> } {
  const peaks = new Map<string, number>();
  const sample = () => {
    let entries: string[];
    try {
      entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
    } catch {
      return;
    }
    const parent = new Map<number, number>();
    const info = new Map<number, { name: string; hwmKb: number }>();
    for (const entry of entries) {
      try {
        const status = readFileSync(`/proc/${entry}/status`, 'utf8');
        const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
        const hwm = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0);
        const name = /^Name:\s+(.+)$/m.exec(status)?.[1] ?? '?';
        parent.set(Number(entry), ppid);
        info.set(Number(entry), { name, hwmKb: hwm });
      } catch {
        // The process ended between listing and reading.
      }
    }
    for (const [pid, { name, hwmKb }] of info) {
      let p: number | undefined = pid;
      while (p !== undefined && p !== root && p > 1) p = parent.get(p);
      if (p !== root) continue;
      peaks.set(name, Math.max(peaks.get(name) ?? 0, hwmKb));
    }
  };
  const timer = setInterval(sample, 200);
  return {
    stop: () => {
      clearInterval(timer);
      return Object.fromEntries([...peaks].map(([name, kb]) => [name, Math.round(kb / 1024)]));
    },
  };
}

function walk(dir: string, visit: (path: string, size: number) => void): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stats = statSync(path);
    if (stats.isDirectory()) walk(path, visit);
    else visit(path, stats.size);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Gzipped bytes of the scripts a tool page loads before search opens, following static imports. */
function toolPageJs(outDir: string, html: string): number {
  const seen = new Set<string>();
  const queue = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
  let total = 0;
  while (queue.length > 0) {
    const src = queue.shift()!;
    const path = join(outDir, src.replace(/^\/+/, ''));
    if (seen.has(path) || !existsSync(path)) continue;
    seen.add(path);
    const code = readFileSync(path);
    total += gzipSync(code).length;
    for (const m of code.toString('utf8').matchAll(/import\s*(?:[^'"()]*?from\s*)?["'](\.\/[^"']+)["']/g))
      queue.push(join(dirname(src), m[1]!));
  }
  return total;
}

interface BuildRun {
  marks: Record<string, number>;
  maxRssKb: number;
  wallS: number;
  peaks: Record<string, number>;
  /** Paths Astro rendered, and paths it kept from the previous build, as its log reports them. */
  rendered: number;
  kept: number;
  /** Search index shards indexed in this build, of all shards. */
  shardsIndexed: number;
  shards: number;
}

async function buildOnce(contentDir: string, work: string): Promise<BuildRun> {
  const timings = join(work, 'timings.json');
  const started = performance.now();
  const build = astroBuildCommand({
    contentDir,
    outDir: join(work, 'dist'),
    cacheDir: join(work, 'cache'),
    env: { ATLAS_BENCH_TIMINGS: timings },
  });
  const child = spawn(build.command, build.args, { cwd: build.cwd, env: build.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const watcher = watchProcessTree(child.pid!);
  let rendered = 0;
  let kept = 0;
  let shardLine = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const kind = astroLogLine(line);
      if (kind === 'kept') kept++;
      else if (kind === 'rendered') rendered++;
      else if (line.includes('search index:')) shardLine = stripVTControlCharacters(line);
    }
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const peaks = watcher.stop();
  if (code !== 0) throw new Error(`build of ${contentDir} failed (exit ${code}):\n${stderr}`);
  const { marks, maxRssKb } = JSON.parse(readFileSync(timings, 'utf8'));
  const shards = /in (\d+) shard\(s\); (\d+) indexed/.exec(shardLine);
  return {
    marks,
    maxRssKb,
    wallS: (performance.now() - started) / 1000,
    peaks,
    rendered,
    kept,
    shards: Number(shards?.[1] ?? 0),
    shardsIndexed: Number(shards?.[2] ?? 0),
  };
}

/**
 * What a maintainer's daily re-import does to one server: ten of its tools get new
 * descriptions. The first server (by file name) with that many tools is edited; in a
 * catalogue without one, the largest server has all its tools edited.
 */
function editOneServer(contentDir: string, count: number): { server: string; edited: number } {
  const folder = join(contentDir, 'servers');
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      name,
      path: join(folder, name),
      data: JSON.parse(readFileSync(join(folder, name), 'utf8')) as { tools: Array<{ description?: string }> },
    }));
  const chosen =
    files.find((file) => file.data.tools.length >= count) ?? files.reduce((a, b) => (b.data.tools.length > a.data.tools.length ? b : a));
  const tools = chosen.data.tools.slice(0, count);
  for (const tool of tools) tool.description = `${tool.description ?? ''} (Revised wording in a newer release.)`;
  writeFileSync(chosen.path, `${JSON.stringify(chosen.data, null, 2)}\n`);
  return { server: chosen.name.replace(/\.json$/, ''), edited: tools.length };
}

/** Runs one build; a caller that must not overlap builds (the tests' build queue) wraps each one. */
export type BuildRunner = <T>(build: () => Promise<T>) => Promise<T>;

export async function benchSize(
  tools: number,
  servers: number,
  root: string,
  seed: number,
  log: (line: string) => void,
  runBuild: BuildRunner = (build) => build(),
): Promise<BenchRow> {
  const work = join(root, `size-${tools}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const content = join(work, 'content');
  log(`${tools} tools / ${servers} servers: generating…`);
  const genStart = performance.now();
  generateCatalog({ tools, servers, seed, out: content });
  const generateS = (performance.now() - genStart) / 1000;
  log(`${tools} tools: building from clean…`);
  const { marks, maxRssKb, wallS, peaks } = await runBuild(() => buildOnce(content, work));
  const at = (name: string) => (marks[name] ?? 0) / 1000;
  const outDir = join(work, 'dist');
  let pages = 0;
  let distBytes = 0;
  let distFiles = 0;
  const toolGzip: number[] = [];
  let sampleToolHtml = '';
  walk(outDir, (path, size) => {
    distBytes += size;
    distFiles++;
    if (!path.endsWith('.html')) return;
    pages++;
    if (path.includes(`${join(outDir, 'tools')}/`)) {
      const html = readFileSync(path);
      toolGzip.push(gzipSync(html).length);
      if (!sampleToolHtml) sampleToolHtml = html.toString('utf8');
    }
  });
  log(`${tools} tools: searching in Chromium…`);
  const search = await probeSearch(outDir);
  log(`${tools} tools: rebuilding with no change…`);
  const noChange = await runBuild(() => buildOnce(content, work));
  const { edited } = editOneServer(content, 10);
  log(`${tools} tools: rebuilding after ${edited} tools of one server changed…`);
  const oneServer = await runBuild(() => buildOnce(content, work));
  const renderS = at('build:generated') - at('render:start');
  const row: BenchRow = {
    tools,
    servers,
    pages,
    generateS,
    startupS: at('config:done'),
    syncS: at('build:start') - at('config:done'),
    bundleS: at('render:start') - at('build:start'),
    renderS,
    searchIndexS: at('search:written') - at('search:start'),
    searchWaitS: Math.max(0, at('search:written') - at('search:waiting')),
    finishS: at('build:done') - at('build:generated'),
    totalS: wallS,
    pagesPerS: pages / renderS,
    peakRssMb: Object.keys(peaks).length > 0 ? peaks : { astro: Math.round(maxRssKb / 1024) },
    distMb: distBytes / 1024 / 1024,
    distFiles,
    toolHtmlGzipMedianKb: median(toolGzip) / 1024,
    // reduce, not Math.max(...): a spread of 250,000 values overflows the call stack.
    toolHtmlGzipMaxKb: toolGzip.reduce((max, size) => Math.max(max, size), 0) / 1024,
    toolJsGzipKb: toolPageJs(outDir, sampleToolHtml) / 1024,
    search,
    incremental: {
      noChangeS: noChange.wallS,
      noChangeRendered: noChange.rendered,
      oneServerS: oneServer.wallS,
      oneServerEdited: edited,
      oneServerRendered: oneServer.rendered,
      oneServerShardsIndexed: oneServer.shardsIndexed,
      shards: oneServer.shards,
    },
  };
  rmSync(join(work, 'cache'), { recursive: true, force: true });
  return row;
}

const f1 = (n: number) => n.toFixed(1);

/** A Markdown table: a header row, its rule, and one row per entry. */
function markdownTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const line = (cells: ReadonlyArray<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function formatTable(rows: BenchRow[]): string {
  const header = [
    'tools',
    'servers',
    'pages',
    'generate s',
    'startup s',
    'content sync and catalogue read s',
    'bundle s',
    'render s',
    'search index s (overlaps render)',
    'after render s',
    'of which waiting for search s',
    'build wall s',
    'pages/s (render)',
    'peak RSS MB by process',
    'dist MB',
    'dist files',
    'tool page gzip median / max KB',
    'tool page JS gzip KB',
  ];
  return markdownTable(
    header,
    rows.map((r) => [
      r.tools,
      r.servers,
      r.pages,
      f1(r.generateS),
      f1(r.startupS),
      f1(r.syncS),
      f1(r.bundleS),
      f1(r.renderS),
      f1(r.searchIndexS),
      f1(r.finishS),
      f1(r.searchWaitS),
      f1(r.totalS),
      Math.round(r.pagesPerS),
      Object.entries(r.peakRssMb)
        .map(([name, mb]) => `${name} ${mb}`)
        .join(', '),
      Math.round(r.distMb),
      r.distFiles,
      `${f1(r.toolHtmlGzipMedianKb)} / ${f1(r.toolHtmlGzipMaxKb)}`,
      f1(r.toolJsGzipKb),
    ]),
  );
}

export function formatIncrementalTable(rows: BenchRow[]): string {
  const header = [
    'tools',
    'full build s',
    'one-server change s',
    'of full',
    'tools edited',
    'paths rendered',
    'search shards re-indexed',
    'no-change rebuild s',
    'of full',
    'paths rendered (no change)',
  ];
  return markdownTable(
    header,
    rows.map(({ tools, totalS, incremental: i }) => [
      tools,
      f1(totalS),
      f1(i.oneServerS),
      `1/${(totalS / i.oneServerS).toFixed(1)}`,
      i.oneServerEdited,
      i.oneServerRendered,
      `${i.oneServerShardsIndexed} of ${i.shards}`,
      f1(i.noChangeS),
      `1/${(totalS / i.noChangeS).toFixed(1)}`,
      i.noChangeRendered,
    ]),
  );
}

export function formatSearchTable(rows: BenchRow[]): string {
  const header = [
    'tools',
    'searched for',
    'first result ms',
    'index files fetched',
    'index KB fetched',
    'Critical filter: shown / in catalog.json',
  ];
  return markdownTable(
    header,
    rows.map(({ tools, search: s }) => [
      tools,
      // A tool name is untrusted: one line, hidden characters revealed, no pipe or backtick to break the table.
      `\`${plainLine(s.query).replace(/[|`]/g, '?')}\``,
      Math.round(s.firstResultMs),
      s.indexRequests,
      Math.round(s.indexKb),
      `${s.criticalShown} / ${s.criticalExpected}`,
    ]),
  );
}

export function growthNote(rows: BenchRow[]): string {
  const lines: string[] = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    lines.push(
      `- ${a.tools} → ${b.tools} tools (×${(b.tools / a.tools).toFixed(1)}): build wall ×${(b.totalS / a.totalS).toFixed(2)}, render ×${(b.renderS / a.renderS).toFixed(2)}, search index ×${(b.searchIndexS / a.searchIndexS).toFixed(2)}`,
    );
  }
  return lines.join('\n');
}

export function machineLine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GiB RAM, Linux ${release()}, Node ${process.version}`;
}

export async function runBench(options: {
  sizes: number[];
  serversPerTool: number;
  seed: number;
  out: string;
  results?: string | undefined;
  log: (line: string) => void;
  /** Wraps each build (default: runs it). */
  runBuild?: BuildRunner;
}): Promise<string> {
  const rows: BenchRow[] = [];
  for (const tools of options.sizes) {
    const servers = Math.max(1, Math.round(tools * options.serversPerTool));
    const row = await benchSize(tools, servers, options.out, options.seed, options.log, options.runBuild);
    rows.push(row);
    options.log(formatTable([row]).split('\n')[2]!);
    options.log(formatIncrementalTable([row]).split('\n')[2]!);
    options.log(formatSearchTable([row]).split('\n')[2]!);
  }
  const report = [
    '# Benchmark results',
    '',
    'Taken with `npm run bench` (`npx atlas bench`): each catalogue is generated, then built from clean',
    '(`astro build` with its search index) in a child process. The search index is built and written in',
    "Pagefind's own process while pages render; the build only waits for it if rendering finishes first.",
    '',
    `Machine: ${machineLine()}`,
    `Date: ${new Date().toISOString().slice(0, 10)}; seed ${options.seed}; servers = tools × ${options.serversPerTool.toFixed(3)} (4,600 servers per 31,000 tools, as in public catalogues)`,
    '',
    formatTable(rows),
    '',
    'Incremental rebuilds, in the same run, in the same output and cache folders as the clean build above: first with',
    'no change, then after ten tools of one server got new descriptions (what a daily re-import brings). Paths',
    'rendered counts pages and files Astro rendered rather than kept; the rest were kept from the previous build.',
    '',
    formatIncrementalTable(rows),
    '',
    'Search on the clean build, tried in Chromium on a local server: a tool of the last server found by its name',
    "(from typing to the result, search's first load included), then the Critical filter's count.",
    '',
    formatSearchTable(rows),
    '',
    'Growth:',
    growthNote(rows),
    '',
  ].join('\n');
  if (options.results) writeFileSync(options.results, report);
  return report;
}
