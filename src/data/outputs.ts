import type { CatalogIndex, CatalogShard } from '../schemas/outputs';
import { recommendedPolicy } from '../lib/policy/recommend';
import { EXPORT_FORMATS, type ExportId } from '../lib/policy/exports';
import { toolPolicyInput, type Catalog, type Server } from './build-catalog';
import { routes, siteUrl } from './routes';

export function catalogIndex(catalog: Catalog, site: URL | undefined): CatalogIndex {
  return {
    version: 1,
    // From the content, not the clock: the same catalogue builds to the same bytes on any day.
    generatedOn: catalog.servers.reduce((newest, server) => (server.importedOn > newest ? server.importedOn : newest), '1970-01-01'),
    totals: {
      servers: catalog.servers.length,
      tools: catalog.activeCount,
      byRisk: catalog.riskCounts,
      byCategory: catalog.categoryCounts,
    },
    policySchema: siteUrl(routes.policySchema, site),
    servers: catalog.servers.map((server) => {
      const { active, riskCounts } = catalog.byServer.get(server.slug)!;
      return {
        slug: server.slug,
        name: server.rawName,
        toolCount: active.length,
        byRisk: riskCounts,
        page: siteUrl(routes.server(server.slug), site),
        tools: siteUrl(routes.catalogShard(server.slug), site),
        policy: siteUrl(routes.serverPolicy(server.slug), site),
        exports: Object.fromEntries(
          EXPORT_FORMATS.map((format) => [format.id, siteUrl(routes.serverFile(server.slug, format.file), site)]),
        ) as Record<ExportId, string>,
      };
    }),
  };
}

export function catalogShard(catalog: Catalog, server: Server, site: URL | undefined): CatalogShard {
  const { active, removed } = catalog.byServer.get(server.slug)!;
  const tools = [...active, ...removed];
  const { file: _file, toolCount: _count, rawName, ...meta } = server;
  return {
    version: 1,
    server: { ...meta, name: rawName },
    tools: tools.map((tool) => ({
      name: tool.name,
      slug: tool.slug,
      page: siteUrl(tool.path, site),
      ...(tool.title !== undefined ? { title: tool.title } : {}),
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      inputSchema: tool.inputSchema,
      ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {}),
      ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
      category: tool.category,
      risk: tool.risk,
      confidence: tool.classification.confidence,
      rationale: tool.rationale,
      conflicts: tool.classification.conflicts,
      disagreements: tool.classification.disagreements,
      review: tool.reviewed
        ? {
            on: tool.reviewed.on,
            decision: tool.reviewed.decision,
            stale: tool.reviewed.stale,
            ...(tool.reviewed.reason ? { reason: tool.reviewed.reason } : {}),
          }
        : null,
      attackPatterns: tool.attackPatterns,
      evidence: tool.classification.evidence,
      overridden: tool.overridden,
      removed: tool.removed,
      ...(tool.history ? { history: tool.history } : {}),
      policy: recommendedPolicy(toolPolicyInput(tool)),
    })),
  };
}
