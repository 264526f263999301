/** Rows per index page: large enough to browse, small enough to stay light on a phone. */
export const INDEX_PAGE_SIZE = 100;
