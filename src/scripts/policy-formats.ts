/**
 * Writes one export format of a tool page's policy in the reader's browser, with the same
 * exporter the build uses for server files. Loaded only when a reader picks a format.
 */
import { exportFor } from '../lib/policy/exports';
import type { ExportId } from '../schemas/export-ids';
import type { Policy } from '../schemas/policy';

export function writeExport(formats: HTMLElement, target: HTMLElement) {
  const shown = formats.querySelector('[data-format="policy-json"] pre');
  const code = target.querySelector('code');
  if (!shown || !code) return;
  // The tool the page is about, as the server names it (a bundle's formats are all written at build time).
  const named = formats.dataset['tool'];
  if (named === undefined) return;
  const tool = JSON.parse(named) as string;
  const policy = JSON.parse(shown.textContent ?? '') as Policy;
  const result = exportFor(target.dataset['export'] as ExportId, {
    server: formats.dataset['server'] ?? '',
    policy,
    tools: [tool],
    scope: 'tool',
  });
  code.textContent = result.text;
  target.dataset['written'] = 'true';
  const notes = target.closest('figure')?.querySelector<HTMLElement>('.notes-list');
  if (notes && result.notes.length > 0 && !/^#/.test(result.text)) {
    notes.replaceChildren(
      ...result.notes.map((note) => {
        const item = document.createElement('li');
        item.textContent = note;
        return item;
      }),
    );
    notes.hidden = false;
  }
}
