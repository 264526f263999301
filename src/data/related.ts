import { byRingPosition, type Catalog, type Tool } from './build-catalog.ts';
import { fnv1a } from '../lib/text-safety/slug.ts';

/** Same server, same category first; then the same name elsewhere; then the same category elsewhere. */
export function relatedTools(catalog: Catalog, tool: Tool, limit = 6): { sameServer: Tool[]; elsewhere: Tool[] } {
  // Looks at most limit + 1 tools of the server's category, however large the server.
  const sameServer: Tool[] = [];
  for (const other of catalog.byServerCategory.get(`${tool.server}/${tool.category}`) ?? []) {
    if (sameServer.length === limit) break;
    if (other.id !== tool.id) sameServer.push(other);
  }
  const elsewhere: Tool[] = [];
  for (const other of catalog.sameName.get(tool.name.toLowerCase()) ?? []) {
    if (elsewhere.length === limit) break;
    if (other.server !== tool.server) elsewhere.push(other);
  }
  const ring = catalog.categoryRings.get(tool.category) ?? [];
  if (ring.length > 0 && elsewhere.length < limit) {
    // The tools after this one on the ring (the tool itself need not be on it: removed tools are not).
    const self = { position: fnv1a(tool.id), tool };
    let low = 0;
    let high = ring.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (byRingPosition(ring[middle]!, self) <= 0) low = middle + 1;
      else high = middle;
    }
    for (let step = 0; step < Math.min(ring.length, 50) && elsewhere.length < limit; step++) {
      const other = ring[(low + step) % ring.length]!.tool;
      if (other.server !== tool.server && !elsewhere.includes(other)) elsewhere.push(other);
    }
  }
  return { sameServer, elsewhere };
}

/** The tools before and after a tool in its server's list (highest risk first), for previous and next links. */
export function serverNeighbours(catalog: Catalog, tool: Tool): { previous: Tool | undefined; next: Tool | undefined } {
  const list = tool.removed ? [] : (catalog.byServer.get(tool.server)?.active ?? []);
  const index = list.indexOf(tool);
  if (index < 0) return { previous: undefined, next: undefined };
  return { previous: list[index - 1], next: list[index + 1] };
}
