import { createHash } from 'node:crypto';
import type { Page } from 'astro';
import type { Catalog, Server, Tool } from './build-catalog';

/**
 * Cache keys for Astro's incremental build. A page whose key and code are unchanged since
 * the last build is not rendered again: its previous output is kept. So a key must change
 * whenever anything the page shows changes, and it is built here from the data each kind
 * of page renders from (code changes are caught by Astro's own hash of the route's modules).
 * A key that covers too much costs a re-render; one that covers too little ships a stale
 * page, which the byte-for-byte comparison with a clean build in tests/build catches.
 */

const fingerprints = new WeakMap<object, string>();

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * A hash of everything a page can show of a tool or server record, computed once per build.
 * A server's `file` (where its content was read, for messages) is left out: no page shows it,
 * and a catalogue moved to another folder (a CI checkout, a copy) should keep its cache.
 */
export function fingerprint(record: Tool | Server): string {
  let value = fingerprints.get(record);
  if (value === undefined) {
    const { file: _file, ...shown } = record as Partial<Server>;
    value = digest(JSON.stringify('file' in record ? shown : record));
    fingerprints.set(record, value);
  }
  return value;
}

/** A key from any JSON-serialisable inputs. */
export function pageKey(...inputs: unknown[]): string {
  return digest(JSON.stringify(inputs));
}

/** A tool as another page shows it in a list: its record and its server's name. */
const listed = (catalog: Catalog, tool: Tool) => [fingerprint(tool), catalog.serverBySlug.get(tool.server)?.name ?? null];

const serverKeys = new WeakMap<Server, string>();

/** What every page about one server renders from: the server and all its tools (ten routes ask; computed once). */
export function serverKey(catalog: Catalog, slug: string): string {
  const server = catalog.serverBySlug.get(slug)!;
  let key = serverKeys.get(server);
  if (key === undefined) {
    const { active, removed } = catalog.byServer.get(slug)!;
    key = pageKey(fingerprint(server), active.map(fingerprint), removed.map(fingerprint));
    serverKeys.set(server, key);
  }
  return key;
}

/** A tool page: the tool, its server, its attack patterns' titles, the tools it lists as related and its previous and next. */
export function toolPageKey(
  catalog: Catalog,
  tool: Tool,
  related: { sameServer: Tool[]; elsewhere: Tool[] },
  neighbours: { previous: Tool | undefined; next: Tool | undefined },
): string {
  return pageKey(
    [neighbours.previous, neighbours.next].map((other) => (other ? listed(catalog, other) : null)),
    fingerprint(tool),
    fingerprint(catalog.serverBySlug.get(tool.server)!),
    tool.attackPatterns.map((id) => catalog.attacks.get(id)?.data ?? null),
    related.sameServer.map((other) => listed(catalog, other)),
    related.elsewhere.map((other) => listed(catalog, other)),
  );
}

/** One page of a paginated list: its position, its rows, and whatever else the route shows. */
export function listPageKey(catalog: Catalog, page: Page<Tool>, ...extra: unknown[]): string {
  return pageKey(
    page.currentPage,
    page.lastPage,
    page.total,
    page.data.map((tool) => listed(catalog, tool)),
    extra,
  );
}

/** Astro's `paginate()` output with a key on every page. */
export function keyedPages<T extends { props: { page: Page<Tool> } }>(
  catalog: Catalog,
  pages: T[],
  ...extra: unknown[]
): (T & { cacheKey: string })[] {
  return pages.map((entry) => ({ ...entry, cacheKey: listPageKey(catalog, entry.props.page, ...extra) }));
}
