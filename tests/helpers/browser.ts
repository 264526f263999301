/** Pagefind loads its index on first use; give the search UI time to answer. */
export const POLL = { timeout: 15_000 };
