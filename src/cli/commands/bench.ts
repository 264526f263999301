import { parseArgs } from 'node:util';
import { runBench } from '../dev/bench.ts';
import { positiveInt } from '../options.ts';

/** `atlas bench`: build synthetic catalogues of each size and report (the work is in ../dev/bench.ts). */
export async function runBenchCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '1000,5000,31000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'bench-out' },
      results: { type: 'string' },
      guard: { type: 'boolean' },
      calls: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '8' },
    },
    strict: true,
  });
  if (values.guard) {
    const { runGuardBench } = await import('../dev/guard-bench.ts');
    const section = await runGuardBench({
      calls: positiveInt('calls', values.calls),
      concurrency: positiveInt('concurrency', values.concurrency),
      results: values.results,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`\n${section}`);
    return 0;
  }
  const sizes = values.sizes.split(',').map((size) => positiveInt('sizes', size.trim()));
  const report = await runBench({
    sizes,
    // Public catalogues hold about 4,600 servers for 31,000 tools.
    serversPerTool: 4600 / 31000,
    seed: Number(values.seed),
    out: values.out,
    results: values.results,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`\n${report}`);
  return 0;
}
