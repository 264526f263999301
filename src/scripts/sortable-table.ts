/**
 * <sortable-table>: the column headers of its table become buttons that sort the rows by each
 * cell's data-sort value (numbers as numbers), and aria-sort says which way. Without JavaScript
 * the table stays in its built order.
 */
class SortableTable extends HTMLElement {
  connectedCallback() {
    const table = this.querySelector('table');
    const body = table?.tBodies[0];
    if (!table || !body) return;
    const headers = [...table.tHead!.rows[0]!.cells];
    headers.forEach((header, column) => {
      if (!header.hasAttribute('data-sortable')) return;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.append(...header.childNodes);
      header.append(button);
      button.addEventListener('click', () => {
        const ascending = header.getAttribute('aria-sort') === 'descending';
        for (const other of headers) other.removeAttribute('aria-sort');
        header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        const key = (row: HTMLTableRowElement) => row.cells[column]?.dataset['sort'] ?? row.cells[column]?.textContent ?? '';
        const rows = [...body.rows].sort((a, b) => {
          const [x, y] = [key(a), key(b)];
          const order = !Number.isNaN(Number(x)) && !Number.isNaN(Number(y)) ? Number(x) - Number(y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        body.append(...rows);
      });
    });
  }
}

export function defineSortableTable() {
  if (!customElements.get('sortable-table')) customElements.define('sortable-table', SortableTable);
}
