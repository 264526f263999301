/**
 * URL segments from untrusted names. A slug only ever holds [a-z0-9-], so no name can
 * reach a path outside its folder (`..`, `/`, `\`, `%2e`, a leading dot) or become a
 * device name on a file system that reserves them.
 */

const MAX_SLUG_LENGTH = 60;

/** Names Windows reserves for devices, plus segments the site itself uses. */
const RESERVED = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
]);

/** 32-bit FNV-1a of the UTF-16 code units: stable across builds and machines, dependency-free. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** {@link fnv1a} in base 36: short enough for a slug. */
export function shortHash(text: string): string {
  return fnv1a(text).toString(36).padStart(7, '0');
}

/**
 * The readable slug of a name: camelCase, snake_case and kebab-case all become
 * kebab-case; accents are dropped. Names with no Latin letters or digits, and
 * reserved names, get `<fallback>-<hash>`.
 */
export function baseSlug(name: string, fallback = 'tool'): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  if (slug === '' || RESERVED.has(slug)) return `${fallback}-${shortHash(name)}`;
  return slug;
}

/**
 * A slug for `name` not yet in `taken`. A clash gets a suffix from the name's own
 * hash, so the result depends only on the name and on which slugs were already
 * assigned, never on iteration order of anything else.
 */
export function uniqueSlug(name: string, taken: { has(slug: string): boolean }, fallback = 'tool'): string {
  const base = baseSlug(name, fallback);
  if (!taken.has(base)) return base;
  const suffixed = `${base}-${shortHash(name)}`;
  if (!taken.has(suffixed)) return suffixed;
  for (let n = 2; ; n++) {
    const numbered = `${suffixed}-${n}`;
    if (!taken.has(numbered)) return numbered;
  }
}

export interface SlugAssignment {
  name: string;
  slug: string;
}

/**
 * Slugs for every name of one server. Names that already carry a slug keep it; the
 * rest get one in list order. Returns the names whose readable slug clashed, so the
 * importer can report them.
 */
export function assignSlugs(entries: ReadonlyArray<{ name: string; slug?: string | undefined }>): {
  slugs: string[];
  clashes: Array<{ name: string; slug: string; clashesWith: string }>;
} {
  const taken = new Map<string, string>();
  for (const entry of entries) if (entry.slug) taken.set(entry.slug, entry.name);
  const clashes: Array<{ name: string; slug: string; clashesWith: string }> = [];
  const slugs = entries.map((entry) => {
    if (entry.slug) return entry.slug;
    const base = baseSlug(entry.name);
    const slug = uniqueSlug(entry.name, taken);
    const other = taken.get(base);
    if (slug !== base && other !== undefined) clashes.push({ name: entry.name, slug, clashesWith: other });
    taken.set(slug, entry.name);
    return slug;
  });
  return { slugs, clashes };
}
