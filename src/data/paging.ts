/** Rows per index page: large enough to browse, small enough to stay light on a phone. */
export const INDEX_PAGE_SIZE = 100;

/** Tools shown per risk group on a server page; larger servers get a paginated full list. */
export const SERVER_GROUP_LIMIT = 50;

/** A paginated page's title: the first page plain, later ones numbered ("What changed (page 3)"). */
export function pagedTitle(title: string, page: { currentPage: number }, counted = 'page'): string {
  return page.currentPage > 1 ? `${title} (${counted} ${page.currentPage})` : title;
}
