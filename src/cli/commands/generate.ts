import { parseArgs } from 'node:util';
import { generateCatalog } from '../../lib/catalog/generate.ts';
import { UsageError } from '../errors.ts';
import { positiveInt } from '../options.ts';

/** `atlas generate`: a synthetic catalogue, deterministic from the seed. */
export function runGenerate(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: { tools: { type: 'string' }, servers: { type: 'string' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } },
    strict: true,
  });
  if (!values.out) throw new UsageError('give --out <dir>');
  const tools = positiveInt('tools', values.tools);
  const servers = positiveInt('servers', values.servers);
  if (servers > tools) throw new UsageError('--servers cannot exceed --tools');
  const started = performance.now();
  const result = generateCatalog({ tools, servers, seed: Number(values.seed), out: values.out });
  process.stdout.write(
    `Generated ${result.tools} tools over ${result.servers} servers in ${values.out} (${((performance.now() - started) / 1000).toFixed(1)}s)\n`,
  );
  return 0;
}
