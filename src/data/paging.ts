/** Rows per index page: large enough to browse, small enough to stay light on a phone. */
export const INDEX_PAGE_SIZE = 100;

/** Tools shown per risk group on a server page; larger servers get a paginated full list. */
export const SERVER_GROUP_LIMIT = 50;
