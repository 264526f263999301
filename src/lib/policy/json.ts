import type { Policy } from '../../schemas/policy.ts';
import { escapeHiddenInJson } from '../text-safety/hidden.ts';

/** Pretty JSON exactly as shown, copied and downloaded; hidden characters in names appear as \\u escapes. */
export function policyJson(policy: Policy): string {
  return `${escapeHiddenInJson(JSON.stringify(policy, null, 2))}\n`;
}
