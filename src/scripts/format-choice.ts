/**
 * The reader's export format, chosen once and kept across pages (localStorage): every format
 * switch and format picker on the page follows it, and so do the copy buttons, the lines that say
 * what the format does, and the policy heading. A format the page does not offer is ignored.
 */
const KEY = 'atlas-format';

function stored(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // storage blocked: the choice lasts for this page only
  }
}

function store(format: string) {
  try {
    localStorage.setItem(KEY, format);
  } catch {
    // Storage blocked: nothing to keep.
  }
}

/** Makes every control and label on the page show `format`; returns false if the page does not offer it. */
export function applyFormat(format: string): boolean {
  const selects = document.querySelectorAll<HTMLSelectElement>('select[data-format-select]');
  const radios = document.querySelectorAll<HTMLInputElement>(`.formats input[type="radio"][value="${CSS.escape(format)}"]`);
  const offered = [...selects].some((select) => [...select.options].some((option) => option.value === format)) || radios.length > 0;
  if (!offered) return false;
  for (const select of selects) {
    select.value = format;
    const label = select.selectedOptions[0]?.textContent ?? format;
    const root = select.closest('[data-format-switch]');
    const button = root?.querySelector<HTMLButtonElement>('button[data-copy-prefix]');
    if (button) button.dataset['copyFrom'] = `${button.dataset['copyPrefix']}-${format}`;
    for (const name of root?.querySelectorAll('[data-format-name]') ?? []) name.textContent = label;
  }
  for (const radio of radios) {
    if (radio.checked) continue;
    radio.checked = true;
    // The tool page writes a format it does not carry on this event.
    radio.dispatchEvent(new Event('change', { bubbles: true }));
  }
  for (const line of document.querySelectorAll<HTMLElement>('[data-format-line]')) line.hidden = line.dataset['formatLine'] !== format;
  const label = radios[0]?.closest('label')?.textContent?.trim() ?? selects[0]?.selectedOptions[0]?.textContent;
  for (const heading of document.querySelectorAll('[data-format-heading]')) heading.textContent = label ?? format;
  return true;
}

export function setUpFormatChoice() {
  for (const root of document.querySelectorAll<HTMLElement>('[data-format-switch]')) root.hidden = !navigator.clipboard;
  const initial = stored();
  if (initial) applyFormat(initial);
  document.addEventListener('change', (event) => {
    const control = event.target as HTMLInputElement | HTMLSelectElement;
    const chosen = control.matches?.('select[data-format-select]')
      ? control.value
      : control.matches?.('.formats input[type="radio"]') && (control as HTMLInputElement).checked
        ? control.value
        : undefined;
    // The radios applyFormat checks fire this again; they are already checked then, so it stops there.
    if (!chosen) return;
    store(chosen);
    applyFormat(chosen);
  });
}
