import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { countersAfter } from '../../lib/policy/examples.ts';
import { evaluate } from '../../lib/policy/evaluate.ts';
import { conditionPurpose } from '../../lib/policy/patterns.ts';
import { policySchema } from '../../schemas/policy.ts';
import { InputError, UsageError } from '../errors.ts';

/**
 * `atlas check`: decides one call against a policy file, as a gateway would.
 * Exit 0 when allowed, 1 when denied or hidden, 2 for bad input, 3 when a person must approve (ask).
 */
export function runCheck(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      policy: { type: 'string' },
      tool: { type: 'string' },
      args: { type: 'string', default: '{}' },
      prior: { type: 'string', default: '0' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.policy) throw new UsageError('give --policy <file>');
  if (values.tool === undefined) throw new UsageError('give --tool <name>');
  const prior = Number(values.prior);
  if (!Number.isInteger(prior) || prior < 0) throw new UsageError('--prior needs a whole number of earlier calls in the window');
  let text: string;
  try {
    text = readFileSync(values.policy, 'utf8');
  } catch (error) {
    throw new InputError(`${values.policy}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${values.policy}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${values.policy}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new InputError(`not a valid policy:\n${problems.join('\n')}`);
  }
  let args: unknown;
  try {
    args = JSON.parse(values.args);
  } catch (error) {
    throw new InputError(`--args: not valid JSON: ${(error as Error).message}`);
  }
  const now = Date.now();
  const verdict = evaluate(
    parsed.data,
    { tool: values.tool, args },
    { counters: countersAfter(parsed.data, values.tool, prior, now), now, purpose: conditionPurpose },
  );
  process.stdout.write(values.json ? `${JSON.stringify(verdict, null, 2)}\n` : `${verdict.decision}: ${verdict.reason}\n`);
  return verdict.decision === 'allow' ? 0 : verdict.decision === 'ask' ? 3 : 1;
}
