import type { Policy, Rule } from './policy.ts';
import type { Category, Risk } from './risk.ts';

/**
 * What the policy composer on a server page starts from, written into the page as JSON by the
 * build (src/data) and read by the browser (src/scripts/policy-composer.ts). Types only, so the
 * browser bundle takes nothing from the build.
 */
export interface ComposerData {
  server: string;
  /** The bundle's limits on all of the server's tools together, if any. */
  allTools: NonNullable<Policy['all_tools']> | null;
  tools: ComposerTool[];
}

export interface ComposerTool {
  /** Exactly as the server sends it: the key of its rule. */
  name: string;
  /** For display: hidden characters revealed. */
  label: string;
  risk: Risk;
  /** For the composer's category column, chips and "set every Write tool". */
  category: Category;
  /** The rule the bundle gives it; null when the bundle hides it. */
  recommended: Rule | null;
  /** A stricter rule, when the recommendation has one. */
  stricter: Rule | null;
}
