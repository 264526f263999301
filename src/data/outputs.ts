import { RISK_LEVELS, type Risk } from '../schemas/risk';
import type { CatalogIndex, CatalogShard } from '../schemas/outputs';
import { recommendedPolicy } from '../lib/policy';
import { toolPolicyInput, type Catalog, type Server } from './catalog';
import { href } from './url';

const absolute = (path: string, site: URL | undefined) => (site ? new URL(href(path), site).href : href(path));

export function catalogIndex(catalog: Catalog, site: URL | undefined): CatalogIndex {
  return {
    version: 1,
    generatedOn: new Date().toISOString().slice(0, 10),
    totals: {
      servers: catalog.servers.length,
      tools: catalog.tools.filter((t) => !t.removed).length,
      byRisk: catalog.riskCounts,
      byCategory: catalog.categoryCounts,
    },
    policySchema: absolute('schemas/policy.schema.json', site),
    servers: catalog.servers.map((server) => {
      const tools = (catalog.toolsByServer.get(server.slug) ?? []).filter((t) => !t.removed);
      const byRisk = Object.fromEntries(RISK_LEVELS.map((r) => [r, tools.filter((t) => t.risk === r).length])) as Record<Risk, number>;
      return {
        slug: server.slug,
        name: server.rawName,
        toolCount: tools.length,
        byRisk,
        page: absolute(`servers/${server.slug}/`, site),
        tools: absolute(`catalog/${server.slug}.json`, site),
        policy: absolute(`servers/${server.slug}/policy.json`, site),
      };
    }),
  };
}

export function catalogShard(catalog: Catalog, server: Server, site: URL | undefined): CatalogShard {
  const tools = catalog.toolsByServer.get(server.slug) ?? [];
  const { file: _file, toolCount: _count, rawName, ...meta } = server;
  return {
    version: 1,
    server: { ...meta, name: rawName },
    tools: tools.map((tool) => ({
      name: tool.name,
      slug: tool.slug,
      page: absolute(tool.path, site),
      ...(tool.title !== undefined ? { title: tool.title } : {}),
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      inputSchema: tool.inputSchema,
      ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
      category: tool.category,
      risk: tool.risk,
      confidence: tool.classification.confidence,
      rationale: tool.rationale,
      conflicts: tool.classification.conflicts,
      attackPatterns: tool.attackPatterns,
      evidence: tool.classification.evidence,
      overridden: tool.overridden,
      removed: tool.removed,
      ...(tool.history ? { history: tool.history } : {}),
      policy: recommendedPolicy(toolPolicyInput(tool)),
    })),
  };
}
