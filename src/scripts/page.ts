/**
 * The one script every page loads: small listeners that stay idle until a reader acts. Anything
 * heavier (search, the evaluator, the exporters) is imported on first use.
 */
import { setUpFormatChoice } from './format-choice';
import { DECIDE_PENDING } from './try-call-pending';

function setUpCopyButtons() {
  // One listener for every copy button on the page: copies the code block it belongs to (a
  // policy in any format, or the badge's Markdown), exactly the text shown. Buttons stay
  // hidden where the clipboard API is missing.
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-copy-code]')) {
    if (navigator.clipboard) button.hidden = false;
  }
  document.addEventListener('click', async (event) => {
    const button = (event.target as Element | null)?.closest?.<HTMLElement>('[data-copy-code]');
    // A button may copy another block on the page (the summary card copies the recommended policy).
    const from = button?.dataset['copyFrom'];
    const scope = button?.closest('figure, [data-copy-scope]');
    const code = from ? document.getElementById(from)?.querySelector('pre') : scope?.querySelector('pre');
    const status = scope?.querySelector('.status');
    if (!code || !status) return;
    try {
      // A format the page does not carry is written first, by the same exporter a pick would run.
      const formats = code.closest<HTMLElement>('.formats[data-server]');
      if (formats && code.dataset['export'] && !code.dataset['written']) (await import('./policy-formats')).writeExport(formats, code);
      await navigator.clipboard.writeText(code.textContent ?? '');
      status.textContent = 'Copied';
    } catch {
      status.textContent = 'Copy failed: select the text and copy it by hand';
    }
    setTimeout(() => (status.textContent = ''), 2500);
  });
}

function setUpLazyFeatures() {
  // Formats a tool page does not carry are written on first pick, by the exporters the build uses.
  document.addEventListener('change', (event) => {
    const radio = event.target as HTMLInputElement;
    const formats = radio.closest?.<HTMLElement>('.formats[data-server]');
    const target = formats?.querySelector<HTMLElement>(`pre[data-export="${radio.value}"]`);
    if (!formats || !target || target.dataset['written']) return;
    void import('./policy-formats').then((m) => m.writeExport(formats, target));
  });
  // Sortable tables (the servers index) and filtered lists (the review queue) load their few lines only where there is one.
  if (document.querySelector('sortable-table')) void import('./sortable-table').then((m) => m.defineSortableTable());
  if (document.querySelector('filter-list')) void import('./filter-list').then((m) => m.defineFilterList());
  // Try a call (the evaluator) and the composer (the exporters) load only when a reader opens them.
  // A press kept for the evaluator (below) is answered with this if its script cannot load.
  let evaluatorFailed = false;
  const EVALUATOR_FAILED = 'The evaluator could not load: reload the page to try again.';
  const loadEvaluator = () =>
    import('./try-call')
      .then((m) => m.defineTryCall())
      .catch(() => {
        evaluatorFailed = true;
        for (const form of document.querySelectorAll(`try-call[${DECIDE_PENDING}]`)) {
          form.removeAttribute(DECIDE_PENDING);
          setStatus(form, EVALUATOR_FAILED);
        }
      });
  const onOpen: Array<[string, () => Promise<unknown>]> = [
    ['[data-try-call]', loadEvaluator],
    ['[data-composer]', () => import('./policy-composer').then((m) => m.definePolicyComposer())],
  ];
  document.addEventListener(
    'toggle',
    (event) => {
      const details = event.target as HTMLDetailsElement;
      if (!details.open) return;
      for (const [selector, load] of onOpen) if (details.matches?.(selector)) void load();
    },
    true,
  );
  // A reader may press Decide before the evaluator has arrived (it loads as the form opens): the
  // press is kept and answered once it has, rather than lost with nothing said.
  document.addEventListener('click', (event) => {
    const form = (event.target as Element).closest?.('[data-decide]')?.closest('try-call');
    if (!form || customElements.get('try-call')) return;
    if (evaluatorFailed) return setStatus(form, EVALUATOR_FAILED);
    form.setAttribute(DECIDE_PENDING, '');
    setStatus(form, 'Loading the evaluator…');
  });
}

function setStatus(form: Element, text: string) {
  const status = form.querySelector('[role="status"]');
  if (status) status.textContent = text;
}

function setUpSearchDialog() {
  // The header search opens a dialog; its script and the index load on first open.
  // Without JavaScript the header form still submits to the search page.
  const dialog = document.querySelector<HTMLDialogElement>('[data-search-dialog]');
  const opener = document.querySelector<HTMLFormElement>('[data-search-opener]');
  function openSearch(typed = '') {
    if (!dialog || dialog.open) return;
    dialog.showModal();
    const query = dialog.querySelector<HTMLInputElement>('input[name="q"]');
    if (query && typed) query.value = typed;
    query?.focus();
    // The panel is built on first open, by the same module that runs it.
    void import('./search').then((m) => {
      const input = m.mountSearchPanel(dialog.querySelector<HTMLElement>('[data-search-mount]')!);
      // Whatever was typed while search loaded is searched now.
      if (input.value) input.dispatchEvent(new Event('input'));
      if (document.activeElement !== input) input.focus();
    });
  }
  if (dialog && opener) {
    const headerInput = opener.querySelector<HTMLInputElement>('input')!;
    opener.addEventListener('submit', (event) => {
      event.preventDefault();
      openSearch(headerInput.value);
    });
    // A click, or typing into the header box, moves to the dialog with what was typed.
    headerInput.addEventListener('click', () => openSearch(headerInput.value));
    headerInput.addEventListener('input', () => openSearch(headerInput.value));
    document.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement;
      // The header box only opens the dialog, so "/" there opens it too.
      const typing =
        target !== headerInput &&
        !(dialog && !dialog.open && dialog.contains(target)) &&
        target.closest('input, textarea, select, [contenteditable="true"]');
      if ((event.key === 'k' || event.key === 'K') && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        openSearch();
      } else if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        openSearch();
      }
    });
    // Escape closes from anywhere in the dialog, even a search box that would only clear itself;
    // focus then returns to the header box.
    dialog.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      dialog.close();
      headerInput.focus();
    });
    dialog.addEventListener('close', () => {
      headerInput.value = '';
      headerInput.focus();
    });
    // A click on the backdrop (outside the dialog's box) closes it.
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) dialog.close();
    });
  }
}

function fillNavCounts() {
  // Review and Changes counts come from one small file, so no page is tied to the whole catalogue.
  const nav = document.querySelector<HTMLElement>('[data-nav-counts]');
  const url = nav?.dataset['navCounts'];
  if (!nav || !url) return;
  void fetch(url)
    .then((response): Promise<Record<string, unknown>> | Record<string, unknown> => (response.ok ? response.json() : {}))
    .then((counts) => {
      for (const slot of nav.querySelectorAll<HTMLElement>('[data-nav-count]')) {
        const count = counts[slot.dataset['navCount'] ?? ''];
        if (typeof count !== 'number' || !Number.isSafeInteger(count) || count <= 0) continue;
        // A hidden space keeps the link's name "Review 74", not "Review74".
        const space = document.createElement('span');
        space.className = 'visually-hidden';
        space.textContent = ' ';
        slot.replaceChildren(space, count.toLocaleString('en'));
      }
    })
    .catch(() => undefined); // offline or blocked: the links stay, without counts
}

setUpCopyButtons();
fillNavCounts();
setUpFormatChoice();
setUpLazyFeatures();
setUpSearchDialog();
