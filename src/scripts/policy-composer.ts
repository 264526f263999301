/**
 * The policy composer on a server page: a custom element that builds a policy from the reader's
 * choice per tool and writes it in any export format with the same exporters the build uses.
 * Loaded only when the reader opens it; everything runs in the browser, offline.
 */
import type { ComposerData } from '../schemas/composer';
import { EXPORT_FORMATS, exportFor } from '../lib/policy/exports';
import type { ExportId } from '../schemas/export-ids';
import type { Policy, Rule } from '../schemas/policy';
import { CATEGORY_LABELS, RISK_LABELS } from '../schemas/risk';

const CHOICES = [
  ['recommended', 'recommended'],
  ['stricter', 'stricter'],
  ['ask', 'ask first'],
  ['hide', 'hide'],
  ['deny', 'deny'],
] as const;
type Choice = (typeof CHOICES)[number][0];

class PolicyComposer extends HTMLElement {
  #data: ComposerData | undefined;
  #text = '';
  #file = 'policy.json';

  connectedCallback() {
    const source = this.querySelector('[data-composer-data]');
    this.#data = JSON.parse(source?.textContent ?? '{}') as ComposerData;
    this.#renderChoices();
    this.addEventListener('change', () => this.update());
    this.addEventListener('input', (event) => {
      if ((event.target as Element).matches('[data-search]')) this.#filter();
    });
    this.addEventListener('click', (event) => {
      const chip = (event.target as Element).closest<HTMLButtonElement>('[data-chip]');
      if (chip) {
        chip.setAttribute('aria-pressed', String(chip.getAttribute('aria-pressed') !== 'true'));
        this.#filter();
      }
      if ((event.target as Element).closest('[data-bulk-apply]')) this.#applyBulk();
    });
    this.querySelector('[data-copy]')?.addEventListener('click', () => void this.#copy());
    this.querySelector('[data-download]')?.addEventListener('click', () => this.#download());
    this.update();
  }

  /** The rows the chips and the search leave: chips of one kind widen (or), kinds narrow (and). */
  #filter() {
    const pressed = [...this.querySelectorAll<HTMLElement>('[data-chip][aria-pressed="true"]')].map((chip) => chip.dataset['chip']!);
    const wanted = (kind: string) => pressed.filter((chip) => chip.startsWith(`${kind}:`)).map((chip) => chip.slice(kind.length + 1));
    const [categories, risks] = [wanted('category'), wanted('risk')];
    const query = (this.querySelector<HTMLInputElement>('[data-search]')?.value ?? '').trim().toLowerCase();
    for (const row of this.querySelectorAll<HTMLTableRowElement>('tr[data-tool]')) {
      const tool = this.#data!.tools[Number(row.dataset['tool'])]!;
      row.hidden = !(
        (categories.length === 0 || categories.includes(tool.category)) &&
        (risks.length === 0 || risks.includes(tool.risk)) &&
        (query === '' || tool.label.toLowerCase().includes(query))
      );
    }
    this.#summarise();
  }

  /** "Set every [Write] tool to [hide]": one category, one risk level, or every row shown. */
  #applyBulk() {
    const scope = this.querySelector<HTMLSelectElement>('[data-bulk-scope]')?.value ?? 'shown';
    const choice = this.querySelector<HTMLSelectElement>('[data-bulk-choice]')?.value ?? 'recommended';
    const [kind, value] = scope.split(':');
    let changed = 0;
    for (const row of this.querySelectorAll<HTMLTableRowElement>('tr[data-tool]')) {
      const tool = this.#data!.tools[Number(row.dataset['tool'])]!;
      const applies = kind === 'shown' ? !row.hidden : kind === 'category' ? tool.category === value : tool.risk === value;
      const select = row.querySelector<HTMLSelectElement>('select');
      if (applies && select) {
        select.value = choice;
        changed++;
      }
    }
    this.update();
    const status = this.querySelector('[data-status]');
    if (status) status.textContent = `Set ${changed} tool${changed === 1 ? '' : 's'} to ${CHOICES.find(([id]) => id === choice)![1]}`;
  }

  #renderChoices() {
    const table = document.createElement('table');
    const caption = table.createCaption();
    caption.textContent = 'Your policy, tool by tool';
    caption.className = 'visually-hidden';
    const head = table.createTHead().insertRow();
    for (const title of ['Tool', 'Category', 'Risk', 'Policy']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = title;
      head.append(th);
    }
    const body = table.createTBody();
    for (const [index, tool] of (this.#data?.tools ?? []).entries()) {
      const row = body.insertRow();
      row.dataset['tool'] = String(index);
      // Tool names are untrusted: set as text, never as markup.
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = tool.label;
      row.append(name);
      row.insertCell().textContent = CATEGORY_LABELS[tool.category];
      const risk = row.insertCell();
      risk.textContent = RISK_LABELS[tool.risk];
      risk.className = `risk risk-${tool.risk}`;
      const select = document.createElement('select');
      select.dataset['toolChoice'] = String(index);
      select.setAttribute('aria-label', `Policy for ${tool.label}`);
      for (const [value, label] of CHOICES) select.add(new Option(label, value));
      select.value = tool.recommended ? 'recommended' : 'hide';
      row.insertCell().append(select);
    }
    this.querySelector('[data-choices]')?.replaceChildren(table);
  }

  /** The running summary: how many tools each choice covers, and how many rows are shown. */
  #summarise() {
    const counts = new Map<string, number>();
    const selects = [...this.querySelectorAll<HTMLSelectElement>('[data-tool-choice]')];
    for (const select of selects) counts.set(select.value, (counts.get(select.value) ?? 0) + 1);
    const shown = this.querySelectorAll('tr[data-tool]:not([hidden])').length;
    const parts = CHOICES.filter(([id]) => counts.get(id)).map(([id, label]) => `${counts.get(id)} ${label}`);
    const summary = this.querySelector('[data-summary]');
    if (summary) summary.textContent = `${selects.length} tools: ${parts.join(', ')}. Showing ${shown}.`;
  }

  /** The policy the choices describe; "ask first" is the rule's `ask: true`. */
  compose(): { policy: Policy } {
    const data = this.#data!;
    const tools: Record<string, Rule> = {};
    const hide: string[] = [];
    for (const select of this.querySelectorAll<HTMLSelectElement>('[data-tool-choice]')) {
      const tool = data.tools[Number(select.dataset['toolChoice'])]!;
      const choice = select.value as Choice;
      if (choice === 'hide') hide.push(tool.name);
      else if (choice === 'deny') continue;
      else if (choice === 'stricter') tools[tool.name] = tool.stricter ?? {};
      else {
        // "Recommended" for a tool the recommendation hides stays hidden; "ask first" then uses the strict rule.
        const rule = tool.recommended ?? (choice === 'ask' ? tool.stricter : null);
        if (rule) tools[tool.name] = choice === 'ask' ? { ...rule, ask: true } : rule;
        else hide.push(tool.name);
      }
    }
    const policy: Policy = {
      version: '1',
      default: 'deny',
      ...(hide.length > 0 ? { hide } : {}),
      ...(data.allTools ? { all_tools: data.allTools } : {}),
      tools,
    };
    return { policy };
  }

  update() {
    const data = this.#data;
    if (!data) return;
    const id = (this.querySelector<HTMLSelectElement>('[data-format]')?.value ?? 'policy-json') as ExportId;
    const { policy } = this.compose();
    const result = exportFor(id, { server: data.server, policy, tools: data.tools.map((t) => t.name) });
    this.#text = result.text;
    this.#file = `${data.server}.${EXPORT_FORMATS.find((f) => f.id === id)!.file}`;
    const output = this.querySelector('[data-output]');
    if (output) output.textContent = result.text;
    this.#summarise();
    const notes = this.querySelector('[data-notes]');
    notes?.replaceChildren(
      ...result.notes.map((note) => {
        const item = document.createElement('li');
        item.textContent = note;
        return item;
      }),
    );
  }

  async #copy() {
    const status = this.querySelector('[data-status]');
    try {
      await navigator.clipboard.writeText(this.#text);
      if (status) status.textContent = 'Copied';
    } catch {
      if (status) status.textContent = 'Copy failed: select the text and copy it by hand';
    }
  }

  #download() {
    const url = URL.createObjectURL(new Blob([this.#text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = this.#file;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

export function definePolicyComposer() {
  if (!customElements.get('policy-composer')) customElements.define('policy-composer', PolicyComposer);
}
