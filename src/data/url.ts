/** A site path with the configured base prepended: `href('tools/a/b/')` → `/base/tools/a/b/`. */
export function href(path = ''): string {
  const base = import.meta.env.BASE_URL.replace(/\/+$/, '');
  return `${base}/${path.replace(/^\/+/, '')}`;
}
