/**
 * The policy composer on a server page: a custom element that builds a policy from the reader's
 * choice per tool and writes it in any export format with the same exporters the build uses.
 * Loaded only when the reader opens it; everything runs in the browser, offline.
 */
import type { ComposerData } from '../schemas/composer';
import { EXPORT_FORMATS, exportFor } from '../lib/policy/exports';
import type { ExportId } from '../schemas/export-ids';
import type { Policy, Rule } from '../schemas/policy';

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
    this.addEventListener('change', (event) => {
      const target = event.target as HTMLSelectElement;
      if (target.matches('[data-all]') && target.value) {
        for (const select of this.querySelectorAll<HTMLSelectElement>('[data-tool-choice]')) select.value = target.value;
        target.value = '';
      }
      this.update();
    });
    this.querySelector('[data-copy]')?.addEventListener('click', () => void this.#copy());
    this.querySelector('[data-download]')?.addEventListener('click', () => this.#download());
    this.update();
  }

  #renderChoices() {
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const title of ['Tool', 'Risk', 'Policy']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = title;
      head.append(th);
    }
    const body = table.createTBody();
    for (const [index, tool] of (this.#data?.tools ?? []).entries()) {
      const row = body.insertRow();
      // Tool names are untrusted: set as text, never as markup.
      row.insertCell().textContent = tool.label;
      row.insertCell().textContent = tool.risk;
      const select = document.createElement('select');
      select.dataset['toolChoice'] = String(index);
      select.setAttribute('aria-label', `Policy for ${tool.label}`);
      for (const [value, label] of CHOICES) select.add(new Option(label, value));
      select.value = tool.recommended ? 'recommended' : 'hide';
      row.insertCell().append(select);
    }
    this.querySelector('[data-choices]')?.replaceChildren(table);
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
