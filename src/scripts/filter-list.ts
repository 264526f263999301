/**
 * <filter-list>: the selects of its form (each `name` a data attribute of the items) show only
 * the items whose data matches every chosen value; an item's value may be a space-separated list
 * (a tool with several review reasons). A status line counts what is shown. Without JavaScript
 * the form stays hidden and every item shows.
 */
class FilterList extends HTMLElement {
  connectedCallback() {
    const form = this.querySelector('form');
    const items = [...this.querySelectorAll<HTMLElement>('[data-filter-item]')];
    const status = this.querySelector('[data-filter-status]');
    if (!form) return;
    form.hidden = false;
    const apply = () => {
      const chosen = [...form.querySelectorAll('select')].filter((select) => select.value !== '');
      let shown = 0;
      for (const item of items) {
        const match = chosen.every((select) => (item.dataset[select.name] ?? '').split(' ').includes(select.value));
        item.hidden = !match;
        if (match) shown++;
      }
      if (status) status.textContent = `${shown.toLocaleString('en')} of ${items.length.toLocaleString('en')} shown`;
    };
    form.addEventListener('change', apply);
    form.addEventListener('reset', () => setTimeout(apply));
    form.addEventListener('submit', (event) => event.preventDefault());
    apply();
  }
}

export function defineFilterList() {
  if (!customElements.get('filter-list')) customElements.define('filter-list', FilterList);
}
