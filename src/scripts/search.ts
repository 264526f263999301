/**
 * The search page: a custom element over Pagefind's JS API. Pagefind's own bundle is
 * fetched only here, when a reader opens search. Result text is rebuilt from text
 * nodes, so nothing in an index entry is ever parsed into live markup.
 */

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
}
interface PagefindSearch {
  results: Array<{ data: () => Promise<PagefindResultData> }>;
  filters: Record<string, Record<string, number>>;
  unfilteredResultCount: number;
}
interface Pagefind {
  options: (options: { baseUrl: string }) => Promise<void>;
  mergeIndex: (path: string, options: { baseUrl: string }) => Promise<void>;
  filters: () => Promise<Record<string, Record<string, number>>>;
  search: (query: string | null, options: { filters: Record<string, string> }) => Promise<PagefindSearch | null>;
}

const PAGE_SIZE = 20;

export class AtlasSearch extends HTMLElement {
  #pagefind: Promise<Pagefind> | undefined;
  #results: PagefindSearch['results'] = [];
  #shown = 0;
  #run = 0;
  /** The query and filters of the results on screen. */
  #shownFor: string | undefined;
  /** Counts the lists shown: a batch of results is added only to the list it was fetched for. */
  #list = 0;

  connectedCallback() {
    const form = this.querySelector('form')!;
    const input = this.querySelector<HTMLInputElement>('input[name="q"]')!;
    const params = new URLSearchParams(this.dataset['syncUrl'] === 'true' ? location.search : '');
    input.value ||= params.get('q') ?? '';
    for (const select of this.querySelectorAll<HTMLSelectElement>('select[data-filter]')) {
      select.value = params.get(select.name) ?? '';
      select.addEventListener('change', () => this.search());
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.search();
    });
    // Arrow keys move from the query into the results and between them; Escape is the dialog's.
    this.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      const links = [...this.querySelectorAll<HTMLAnchorElement>('.results a')];
      if (links.length === 0) return;
      const at = links.indexOf(document.activeElement as HTMLAnchorElement);
      const onInput = document.activeElement === input;
      if (!onInput && at === -1) return;
      event.preventDefault();
      if (event.key === 'ArrowDown') links[onInput ? 0 : Math.min(at + 1, links.length - 1)]!.focus();
      else if (at <= 0) input.focus();
      else links[at - 1]!.focus();
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => void this.search(), 150);
    });
    this.querySelector('.more')!.addEventListener('click', () => void this.showMore());
    void this.search();
  }

  #load(): Promise<Pagefind> {
    this.#pagefind ??= (async () => {
      const bundle = this.dataset['bundle']!;
      const baseUrl = this.dataset['base']!;
      // The index is split into shards (rebuilt one at a time); the first one loads the others.
      const [manifest, pagefind] = await Promise.all([
        fetch(`${bundle}shards.json`).then((response) => response.json() as Promise<{ shards: string[] }>),
        import(/* @vite-ignore */ `${bundle}0/pagefind.js`) as Promise<Pagefind>,
      ]);
      await pagefind.options({ baseUrl });
      await Promise.all(manifest.shards.slice(1).map((shard) => pagefind.mergeIndex(`${bundle}${shard}`, { baseUrl })));
      // Fill the filters the page leaves empty before the first search reads them.
      const all = await pagefind.filters();
      for (const select of this.querySelectorAll<HTMLSelectElement>('select[data-dynamic]')) {
        this.#fillOptions(select, Object.keys(all[select.dataset['filter']!] ?? {}));
      }
      return pagefind;
    })();
    return this.#pagefind;
  }

  async search() {
    const run = ++this.#run;
    const pagefind = await this.#load();
    if (run !== this.#run) return;
    const query = this.querySelector<HTMLInputElement>('input[name="q"]')!.value.trim();
    const filters: Record<string, string> = {};
    for (const select of this.querySelectorAll<HTMLSelectElement>('select[data-filter]')) {
      if (select.value) filters[select.dataset['filter']!] = select.value;
    }
    this.#syncUrl(query, filters);
    // The same words and filters as the results on screen (a key typed as the panel started, a
    // form sent again): keep them. Rebuilt, the list would drop the focus of a reader already
    // arrowing through it.
    const searchedFor = JSON.stringify([query, filters]);
    if (searchedFor === this.#shownFor) return;
    const summary = this.querySelector('.summary')!;
    const hasFilter = Object.keys(filters).length > 0;
    const search = query || hasFilter ? await pagefind.search(query || null, { filters }) : null;
    const counts = await this.#facetCounts(pagefind, query, filters, search);
    // A newer search started while this one waited: let it win.
    if (run !== this.#run) return;
    this.#updateCounts(counts);
    this.querySelector('.results')!.replaceChildren();
    this.#list++;
    this.#shownFor = searchedFor;
    this.#results = search?.results ?? [];
    this.#shown = 0;
    summary.textContent = !search
      ? 'Type a tool or server name, or pick a filter.'
      : this.#results.length > 0
        ? `${this.#results.length} result${this.#results.length === 1 ? '' : 's'}${query ? ` for “${query}”` : ''}`
        : // Nothing found: say what was searched and what to try next.
          `No tool or server matches${query ? ` “${query}”` : ''}${hasFilter ? ' with these filters' : ''}. ${
            hasFilter ? 'Clear a filter, or try' : 'Try'
          } part of the name (“delete” finds delete_file), a verb such as read or write, or a server's name.`;
    await this.showMore();
  }

  async showMore() {
    // Not the search's run: a search of the words on screen is skipped, and must not stop their list filling.
    const list = this.#list;
    const batch = await Promise.all(this.#results.slice(this.#shown, this.#shown + PAGE_SIZE).map((r) => r.data()));
    if (list !== this.#list) return;
    for (const data of batch) this.querySelector('.results')!.append(resultItem(data));
    this.#shown += batch.length;
    this.querySelector<HTMLButtonElement>('.more')!.hidden = this.#shown >= this.#results.length;
  }

  /** Options of a filter the page leaves empty (servers), added from the index once, by name. */
  #fillOptions(select: HTMLSelectElement, values: string[]) {
    if (select.options.length > 1) return;
    const wanted = this.dataset['syncUrl'] === 'true' ? new URLSearchParams(location.search).get(select.name) : null;
    for (const value of values.sort((a, b) => a.localeCompare(b))) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = value;
      select.append(option);
    }
    if (wanted) select.value = wanted;
  }

  /**
   * Counts for each filter's options: what a reader would get by choosing that option,
   * given the query and the other filters. A filter that is set is counted without itself.
   */
  async #facetCounts(pagefind: Pagefind, query: string, filters: Record<string, string>, search: PagefindSearch | null) {
    const counts: Record<string, Record<string, number>> = { ...(search?.filters ?? (await pagefind.filters())) };
    for (const facet of Object.keys(filters)) {
      const others = Object.fromEntries(Object.entries(filters).filter(([key]) => key !== facet));
      const without =
        query || Object.keys(others).length > 0
          ? (await pagefind.search(query || null, { filters: others }))?.filters
          : await pagefind.filters();
      if (without?.[facet]) counts[facet] = without[facet];
    }
    return counts;
  }

  #updateCounts(counts: Record<string, Record<string, number>>) {
    for (const select of this.querySelectorAll<HTMLSelectElement>('select[data-filter]')) {
      const byValue = counts[select.dataset['filter']!] ?? {};
      for (const option of select.options) {
        if (!option.value) continue;
        option.textContent = `${option.value} (${byValue[option.value] ?? 0})`;
      }
    }
  }

  #syncUrl(query: string, filters: Record<string, string>) {
    if (this.dataset['syncUrl'] !== 'true') return;
    const params = new URLSearchParams();
    if (query) params.set('q', query);
    for (const [key, value] of Object.entries(filters)) params.set(key, value);
    const search = params.toString();
    history.replaceState(null, '', search ? `?${search}` : location.pathname);
  }
}

function resultItem(data: PagefindResultData): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = data.url;
  link.textContent = data.meta['title'] ?? data.url;
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.textContent = [
    data.meta['kind'] === 'Server' && 'MCP server',
    data.meta['server'] && `on ${data.meta['server']}`,
    data.meta['risk'] && `${data.meta['risk']} risk`,
    data.meta['category'],
  ]
    .filter(Boolean)
    .join(' · ');
  const excerpt = document.createElement('p');
  excerpt.append(...safeExcerpt(data.excerpt));
  item.append(link, meta, excerpt);
  return item;
}

/** Pagefind excerpts are HTML with <mark>; keep only text and the marks, parsed in an inert document. */
function safeExcerpt(html: string): Node[] {
  const inert = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const nodes: Node[] = [];
  for (const node of inert.body.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) nodes.push(document.createTextNode(node.textContent ?? ''));
    else if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else nodes.push(document.createTextNode(node.textContent ?? ''));
  }
  return nodes;
}

export function defineSearch() {
  if (!customElements.get('atlas-search')) customElements.define('atlas-search', AtlasSearch);
}

/**
 * Builds the search panel (the search page's form, filters and results) inside `mount`, once,
 * and returns its query box. The header dialog uses it, so pages carry no search markup until
 * a reader opens search.
 */
export function mountSearchPanel(mount: HTMLElement): HTMLInputElement {
  const existing = mount.querySelector<HTMLInputElement>('atlas-search input[name="q"]');
  if (existing) return existing;
  // The page's own query box and its label move into the panel, keeping whatever was typed.
  const staticInput = mount.querySelector<HTMLInputElement>('input[data-search-query]');
  mount.querySelector('label[for="dialog-query"]')?.remove();
  const element = document.createElement('atlas-search');
  element.dataset['bundle'] = mount.dataset['bundle'] ?? '/pagefind/';
  element.dataset['base'] = mount.dataset['base'] ?? '/';
  const form = document.createElement('form');
  form.className = 'search-form';
  form.setAttribute('role', 'search');
  const field = (id: string, label: string, control: HTMLElement, wide = false) => {
    const wrap = document.createElement('div');
    wrap.className = wide ? 'field query' : 'field';
    const text = document.createElement('label');
    text.htmlFor = id;
    text.textContent = label;
    control.id = id;
    wrap.append(text, control);
    return wrap;
  };
  const input = staticInput ?? document.createElement('input');
  input.name = 'q';
  input.type = 'search';
  input.autocomplete = 'off';
  const select = (name: string, any: string, values: string[], dynamic = false) => {
    const control = document.createElement('select');
    control.name = name;
    control.dataset['filter'] = name;
    if (dynamic) control.dataset['dynamic'] = '';
    control.add(new Option(any, ''));
    for (const value of values) control.add(new Option(value, value));
    return control;
  };
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.textContent = 'Search';
  form.append(
    field('dialog-query', 'Tool or server', input, true),
    // The filter values come from the page, which takes them from the schemas.
    field('dialog-risk', 'Risk', select('risk', 'Any risk', (mount.dataset['risks'] ?? '').split(',').filter(Boolean))),
    field(
      'dialog-category',
      'Category',
      select('category', 'Any category', (mount.dataset['categories'] ?? '').split(',').filter(Boolean)),
    ),
    field('dialog-server', 'Server', select('server', 'Any server', [], true)),
    submit,
  );
  const summary = document.createElement('p');
  summary.className = 'summary';
  summary.setAttribute('role', 'status');
  summary.setAttribute('aria-live', 'polite');
  const results = document.createElement('ol');
  results.className = 'results';
  const more = document.createElement('button');
  more.className = 'more';
  more.type = 'button';
  more.hidden = true;
  more.textContent = 'Show more results';
  element.append(form, summary, results, more);
  mount.append(element);
  defineSearch();
  return input;
}
