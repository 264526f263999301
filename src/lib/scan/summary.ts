import { effectiveClassification } from '../classification/effective.ts';
import { reviewNeeds } from '../classification/review.ts';
import { assertValidPolicy, serverBundle, type PolicyTool, type RecommendOptions } from '../policy/recommend.ts';
import type { Policy } from '../../schemas/policy.ts';
import { RISK_LEVELS, type Risk } from '../../schemas/risk.ts';
import type { ServerFile } from '../../schemas/server.ts';

/** What a security team wants first about one server: how risky its tools are, and what needs a person. */
export interface RiskSummary {
  tools: number;
  byRisk: Record<Risk, number>;
  critical: string[];
  /** Tools a person should review (low confidence, disagreeing evidence, a definition changed since review). */
  pendingReview: string[];
  /** Tools the recommended policy treats as more dangerous than their category until a person reviews them (fail closed), with that reading. */
  failClosed: Array<{ tool: string; treatedAs: string }>;
  /** Tools whose definition hides characters or gives the model instructions. */
  poisoned: Array<{ tool: string; flags: string[] }>;
}

const activeTools = (file: Pick<ServerFile, 'tools'>) => file.tools.filter((tool) => !tool.history?.removedOn);

/** A summary of no tools, to add others to. */
export const emptySummary = (): RiskSummary => ({
  tools: 0,
  byRisk: Object.fromEntries(RISK_LEVELS.map((risk) => [risk, 0])) as Record<Risk, number>,
  critical: [],
  pendingReview: [],
  failClosed: [],
  poisoned: [],
});

/** What a security team wants first about one server's current tools. */
export function riskSummary(file: ServerFile): RiskSummary {
  const summary = emptySummary();
  for (const tool of activeTools(file)) {
    const effective = effectiveClassification(tool);
    summary.tools++;
    summary.byRisk[effective.risk]++;
    if (effective.risk === 'critical') summary.critical.push(tool.name);
    if (reviewNeeds(tool)) summary.pendingReview.push(tool.name);
    if (effective.treatment)
      summary.failClosed.push({ tool: tool.name, treatedAs: `${effective.treatment.category}, ${effective.treatment.risk}` });
    const flags = [
      ...new Set(
        tool.classification.evidence
          .filter((e) => e.kind === 'hidden-characters' || e.kind === 'model-instruction')
          .map((e) => (e.kind === 'hidden-characters' ? 'hidden characters' : 'instructions to the model')),
      ),
    ];
    if (flags.length > 0) summary.poisoned.push({ tool: tool.name, flags });
  }
  return summary;
}

export function addSummaries(a: RiskSummary, b: RiskSummary): RiskSummary {
  return {
    tools: a.tools + b.tools,
    byRisk: Object.fromEntries(RISK_LEVELS.map((risk) => [risk, a.byRisk[risk] + b.byRisk[risk]])) as Record<Risk, number>,
    critical: [...a.critical, ...b.critical],
    pendingReview: [...a.pendingReview, ...b.pendingReview],
    failClosed: [...a.failClosed, ...b.failClosed],
    poisoned: [...a.poisoned, ...b.poisoned],
  };
}

/**
 * The server's current tools as the policy recommender reads them: the effective classification
 * (override, review, classifier) and the fail-closed treatment, so a bundle hides what the site hides.
 */
export function policyToolsOf(file: Pick<ServerFile, 'tools'>): PolicyTool[] {
  return activeTools(file).map((tool) => {
    const effective = effectiveClassification(tool);
    return {
      name: tool.name,
      category: effective.category,
      risk: effective.risk,
      treatment: effective.treatment,
      inputSchema: tool.inputSchema,
    };
  });
}

/** The server's recommended bundle, as the site's server page offers it (or with a root for path arguments). */
export function recommendedBundle(file: ServerFile, options: RecommendOptions = {}): Policy {
  return assertValidPolicy(serverBundle(policyToolsOf(file), options), `server ${file.server.slug}`);
}
