import { formatEffects } from '../lib/site/format-effects.ts';
import { assertExamples, policyExamples } from '../lib/policy/examples.ts';
import { EXPORT_FORMATS, exportAll } from '../lib/policy/exports/index.ts';
import { policyAlternatives, recommendedPolicy } from '../lib/policy/recommend.ts';
import type { ComposerData } from '../schemas/composer.ts';
import { toolPolicyInput, type Catalog, type ServerTools, type Tool } from './build-catalog.ts';

/**
 * What pages show of policies, computed from the catalogue: a tool page's policy, alternatives,
 * examples and formats; a server's exports (computed once per build); the composer's data.
 */

/**
 * Everything a tool page shows about its policy, from one recommendation: the policy, the
 * alternatives, and the example calls, each proven against the evaluator (a mismatch fails the build).
 */
export function toolPolicyView(tool: Tool) {
  const input = toolPolicyInput(tool);
  const policy = recommendedPolicy(input);
  return {
    policy,
    alternatives: policyAlternatives(input),
    examples: toolExamples(tool, policy),
    /** What each export format does with this tool, for the risk block's one line per format. */
    effects: formatEffects(tool.server, policy, tool.name),
    // Tool pages carry the policy; its other formats are written in the browser on demand.
    exports: EXPORT_FORMATS.map((format) =>
      format.id === 'policy-json' ? { ...format, ...format.build({ server: tool.server, policy, tools: [tool.name] }) } : format,
    ),
  };
}

/** The example calls a tool page shows, each proven against the evaluator, without the rest of the page's policy view. */
export function toolExamples(tool: Tool, policy = recommendedPolicy(toolPolicyInput(tool))) {
  return assertExamples(policy, tool.name, policyExamples(tool, policy));
}

const exportsCache = new WeakMap<ServerTools, ReturnType<typeof exportAll>>();

/** Every export format of a server's bundle, computed once per build. */
export function serverExports(catalog: Catalog, slug: string) {
  const tools = catalog.byServer.get(slug);
  if (!tools) throw new Error(`No server ${slug} in the catalogue`);
  let exports = exportsCache.get(tools);
  if (!exports) {
    exports = exportAll(
      slug,
      tools.bundle,
      tools.active.map((tool) => tool.name),
    );
    exportsCache.set(tools, exports);
  }
  return exports;
}

/** What the policy composer on a server page starts from: each tool's recommended and stricter rules. */
export function composerData(catalog: Catalog, slug: string): ComposerData {
  const { active, bundle } = catalog.byServer.get(slug)!;
  return {
    server: slug,
    allTools: bundle.all_tools ?? null,
    tools: active.map((tool) => {
      const input = toolPolicyInput(tool);
      const alternatives = policyAlternatives(input);
      const stricter = alternatives.find((a) => a.id === 'stricter' || a.id === 'allow-with-conditions')?.policy.tools?.[tool.name] ?? null;
      return {
        name: tool.name,
        label: tool.displayName,
        risk: tool.risk,
        category: tool.category,
        recommended: bundle.tools?.[tool.name] ?? null,
        stricter,
      };
    }),
  };
}
