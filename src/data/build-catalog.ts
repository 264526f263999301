import type { CollectionEntry } from 'astro:content';
import type { LoadedServer } from '../lib/catalog/files.ts';
import type { ServerMeta } from '../schemas/server.ts';
import type { CatalogTool } from '../schemas/tool.ts';
import { ATTACK_IDS, type AttackId } from '../schemas/attack.ts';
import { CATEGORIES, RISK_LEVELS, riskRank, type Category, type Risk } from '../schemas/risk.ts';
import { findDangerousArguments, type ArgumentFinding } from '../lib/classification/classify.ts';
import { fnv1a } from '../lib/text-safety/slug.ts';
import { plainLine } from '../lib/text-safety/text.ts';
import { effectiveClassification, type EffectiveClassification, type OverriddenField } from '../lib/classification/effective.ts';
import { reviewNeeds, type ReviewItem } from '../lib/classification/review.ts';
import { serverChanges, sortChanges, type ChangeEvent } from '../lib/catalog/changes.ts';
import { routes } from '../lib/site/routes.ts';
import { assertValidPolicy, serverBundle } from '../lib/policy/recommend.ts';
import type { Policy } from '../schemas/policy.ts';

/**
 * The catalogue as pages see it, computed from the content by `buildCatalog`. Everything that
 * depends on the whole catalogue (groupings, counts, the tools near each tool) is computed here
 * once per build, so a page costs the same whether the catalogue holds 400 tools or 40,000.
 * Reading the content is src/data/catalog.ts's job (`getCatalog`); related tools are in
 * related.ts, what pages show of policies in policy-views.ts.
 */

/** A tool as its content file holds it, with its server's slug and its own (always assigned) slug. */
type ToolData = CatalogTool & { server: string; slug: string };
/** A server as pages show it: `name` has hidden characters revealed; `rawName` is exactly what the server sent. */
export interface Server extends ServerMeta {
  rawName: string;
  /** The content file it was read from, for messages. */
  file: string;
  /** Tools in its file, removed ones included. */
  toolCount: number;
}
export type Attack = CollectionEntry<'attacks'>;

export interface Tool extends Omit<ToolData, 'overrides' | 'review'> {
  /** `<server>/<tool>`, unique across the catalogue. */
  id: string;
  /** The name for plain-text places (titles, labels, FAQ), hidden characters revealed. */
  displayName: string;
  /** Effective values: a maintainer's override, else the classifier's. */
  category: Category;
  risk: Risk;
  rationale: string[];
  attackPatterns: AttackId[];
  overridden: OverriddenField[];
  /** A person's reviewed decision, if any. */
  reviewed: EffectiveClassification['reviewed'];
  /** The more severe reading the recommended policy uses until a person reviews it (fail closed). */
  treatment: EffectiveClassification['treatment'];
  notes: string | undefined;
  /** Only the arguments the classifier found dangerous (path, URL, code, command, …), nested ones included; the full list is in `inputSchema`. */
  dangerousArguments: ArgumentFinding[];
  removed: boolean;
  /** Why a person should look at it (low confidence, disagreeing evidence, changed since review), if anything. */
  needsReview: ReviewItem | undefined;
  /** Path below the site base, without leading slash: tools/<server>/<tool>/. */
  path: string;
}

/** One server's tools, split and counted once per build. */
export interface ServerTools {
  /** Tools the server lists now, highest risk first. */
  active: Tool[];
  /** Tools a re-import no longer found; their pages stay. */
  removed: Tool[];
  riskCounts: Record<Risk, number>;
  /** The server's policy bundle, validated: shown on its page and written as its policy.json. */
  bundle: Policy;
  /** What imports found on this server, newest first. */
  changes: ChangeEvent[];
}

export interface Catalog {
  /** Attack-pattern pages by id: OWASP entries first, then sub-patterns. */
  attacks: Map<AttackId, Attack>;
  servers: Server[];
  serverBySlug: Map<string, Server>;
  tools: Tool[];
  /** Tools the catalogue lists now (removed ones excluded). */
  activeCount: number;
  byServer: Map<string, ServerTools>;
  byRisk: Map<Risk, Tool[]>;
  byCategory: Map<Category, Tool[]>;
  byAttack: Map<AttackId, Tool[]>;
  /** Tools flagged for hidden characters or instructions aimed at the model. */
  poisoned: Tool[];
  /** Tools a person should look at, highest risk first. */
  reviewQueue: Tool[];
  /** Current tools by `<server>/<category>`, for related tools. */
  byServerCategory: Map<string, Tool[]>;
  /** Tools whose name appears on more than one server. */
  sameName: Map<string, Tool[]>;
  /**
   * Current tools of each category in the order of a hash of their id: each tool's related
   * tools elsewhere are the ones after it. A tool added or removed changes only its few
   * neighbours' lists, so a change to one server does not re-render pages across the catalogue.
   */
  categoryRings: Map<Category, RingEntry[]>;
  riskCounts: Record<Risk, number>;
  categoryCounts: Record<Category, number>;
  /** What imports found across the catalogue, newest first. */
  changes: ChangeEvent[];
}

export interface RingEntry {
  position: number;
  tool: Tool;
}

export const byRingPosition = (a: RingEntry, b: RingEntry) =>
  a.position - b.position || (a.tool.id < b.tool.id ? -1 : a.tool.id > b.tool.id ? 1 : 0);

const byRiskThenName = (a: Tool, b: Tool) =>
  riskRank(b.risk) - riskRank(a.risk) || a.name.localeCompare(b.name) || a.server.localeCompare(b.server);

function toTool(data: ToolData): Tool {
  const { overrides, review: _review, ...rest } = data;
  return {
    ...rest,
    ...effectiveClassification(data),
    id: `${data.server}/${data.slug}`,
    displayName: plainLine(data.name),
    notes: overrides?.notes,
    dangerousArguments: findDangerousArguments(data.inputSchema),
    removed: Boolean(data.history?.removedOn),
    needsReview: reviewNeeds(data),
    path: routes.tool(data.server, data.slug),
  };
}

/**
 * The catalogue from its content: every grouping, count and bundle the pages render from,
 * computed once. Pure: no file is read, so tests build catalogues without building a site.
 */
export function buildCatalog(loaded: readonly LoadedServer[], attackEntries: readonly Attack[]): Catalog {
  const missingPages = ATTACK_IDS.filter((id) => !attackEntries.some((entry) => entry.id === id));
  if (missingPages.length > 0) {
    throw new Error(`Attack pattern pages missing: ${missingPages.map((id) => `content/attacks/${id}.mdx`).join(', ')}`);
  }
  const servers = loaded
    .map(({ server, tools, file }): Server => ({
      ...server,
      name: plainLine(server.name),
      rawName: server.name,
      file,
      toolCount: tools.length,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const serverBySlug = new Map(servers.map((server) => [server.slug, server]));
  const tools = loaded.flatMap(({ server, tools: list }) => list.map((tool) => toTool({ ...tool, server: server.slug, slug: tool.slug! })));
  const toolsByServer = new Map<string, Tool[]>(servers.map((server) => [server.slug, []]));
  let activeCount = 0;
  const byRisk = new Map<Risk, Tool[]>(RISK_LEVELS.map((risk) => [risk, []]));
  const byCategory = new Map<Category, Tool[]>(CATEGORIES.map((category) => [category, []]));
  const byAttack = new Map<AttackId, Tool[]>(ATTACK_IDS.map((id) => [id, []]));
  const byName = new Map<string, Tool[]>();
  const byServerCategory = new Map<string, Tool[]>();
  const poisoned: Tool[] = [];
  const reviewQueue: Tool[] = [];
  for (const tool of tools) {
    const list = toolsByServer.get(tool.server);
    if (!list) throw new Error(`Tool ${tool.id} names server "${tool.server}", which is not in the catalogue`);
    list.push(tool);
    if (tool.removed) continue;
    activeCount++;
    byRisk.get(tool.risk)!.push(tool);
    byCategory.get(tool.category)!.push(tool);
    const serverCategory = `${tool.server}/${tool.category}`;
    const sameKind = byServerCategory.get(serverCategory);
    if (sameKind) sameKind.push(tool);
    else byServerCategory.set(serverCategory, [tool]);
    for (const id of tool.attackPatterns) byAttack.get(id)!.push(tool);
    const key = tool.name.toLowerCase();
    const named = byName.get(key);
    if (named) named.push(tool);
    else byName.set(key, [tool]);
    if (tool.classification.evidence.some((e) => e.kind === 'hidden-characters' || e.kind === 'model-instruction')) poisoned.push(tool);
    if (tool.needsReview) reviewQueue.push(tool);
  }
  for (const list of toolsByServer.values()) list.sort(byRiskThenName);
  for (const list of [
    ...byRisk.values(),
    ...byCategory.values(),
    ...byAttack.values(),
    ...byServerCategory.values(),
    poisoned,
    reviewQueue,
  ])
    list.sort(byRiskThenName);
  // Tools whose policy fails closed come first: a person's decision is what unlocks them.
  reviewQueue.sort((a, b) => Number(Boolean(b.treatment)) - Number(Boolean(a.treatment)));
  const categoryRings = new Map(
    [...byCategory].map(([category, list]) => [category, list.map((tool) => ({ position: fnv1a(tool.id), tool })).sort(byRingPosition)]),
  );
  const sameName = new Map([...byName].filter(([, list]) => new Set(list.map((t) => t.server)).size > 1));
  const riskCounts = countBy(
    RISK_LEVELS,
    tools.filter((tool) => !tool.removed),
    (tool) => tool.risk,
  );
  const categoryCounts = countBy(
    CATEGORIES,
    tools.filter((tool) => !tool.removed),
    (tool) => tool.category,
  );
  const attacks = new Map(ATTACK_IDS.map((id) => [id, attackEntries.find((entry) => entry.id === id)!]));
  const byServer = new Map<string, ServerTools>();
  for (const [slug, list] of toolsByServer) {
    const active = list.filter((tool) => !tool.removed);
    byServer.set(slug, {
      active,
      removed: list.filter((tool) => tool.removed),
      riskCounts: countBy(RISK_LEVELS, active, (tool) => tool.risk),
      bundle: assertValidPolicy(serverBundle(active.map(toolPolicyInput)), `server ${slug}`),
      changes: serverChanges(slug, list),
    });
  }
  const changes = sortChanges([...byServer.values()].flatMap((entry) => entry.changes));
  return {
    attacks,
    servers,
    serverBySlug,
    tools,
    activeCount,
    byServer,
    byRisk,
    byCategory,
    byAttack,
    poisoned,
    reviewQueue,
    byServerCategory,
    sameName,
    categoryRings,
    riskCounts,
    categoryCounts,
    changes,
  };
}

function countBy<K extends string>(keys: readonly K[], tools: readonly Tool[], key: (tool: Tool) => K): Record<K, number> {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const tool of tools) counts[key(tool)]++;
  return counts;
}

/** What the policy recommender needs of a tool. */
export function toolPolicyInput(tool: Tool) {
  return { name: tool.name, category: tool.category, risk: tool.risk, inputSchema: tool.inputSchema, treatment: tool.treatment };
}
