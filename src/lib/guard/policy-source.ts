import { policySchema, type Policy } from '../../schemas/policy.ts';
import { GuardError } from './errors.ts';
import { loadVerifiedText, type SourceText } from './fetch-source.ts';

/** Parses and validates a policy document; a GuardError names the origin and each bad field. */
export function parsePolicy(text: string, origin: string): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new GuardError(`policy ${origin}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new GuardError(`policy ${origin} is not a valid policy:\n${problems.join('\n')}`);
  }
  return parsed.data;
}

export async function loadPolicy(spec: string, options: { cacheDir: string }): Promise<{ policy: Policy; source: SourceText }> {
  const source = await loadVerifiedText(spec, 'policy', (text, origin) => void parsePolicy(text, origin), options);
  return { policy: parsePolicy(source.text, source.origin), source };
}
