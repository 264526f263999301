/**
 * "Try a call": a custom element that decides the reader's call with the evaluator the build
 * uses, against the policy.json shown on the same page. Loaded only when the form is opened.
 */
import { evaluate } from '../lib/policy/evaluate';
import { conditionPurpose } from '../lib/policy/patterns';
import { DECIDE_PENDING } from './try-call-pending';

class TryCall extends HTMLElement {
  connectedCallback() {
    this.querySelector('[data-decide]')?.addEventListener('click', () => this.decide());
    // Pressed while this module was on its way (src/scripts/page.ts kept the press).
    if (this.hasAttribute(DECIDE_PENDING)) {
      this.removeAttribute(DECIDE_PENDING);
      this.decide();
    }
  }

  decide() {
    const output = this.querySelector('.verdict');
    const input = this.querySelector('textarea');
    // The policy is the text of the policy.json block in the same section: exactly what is shown and copied.
    const formats = this.closest('section')?.querySelector<HTMLElement>('.formats');
    const shown = formats?.querySelector('[data-format="policy-json"] pre');
    // The tool the page is about, as the server names it.
    const named = formats?.dataset['tool'];
    if (!output || !input || !shown || named === undefined) return;
    const tool = JSON.parse(named) as string;
    let policy: unknown;
    let args: unknown;
    try {
      policy = JSON.parse(shown.textContent ?? '');
    } catch {
      output.textContent = 'The policy on this page could not be read.';
      return;
    }
    try {
      args = JSON.parse(input.value);
    } catch (error) {
      output.textContent = `The arguments are not valid JSON: ${(error as Error).message}`;
      return;
    }
    const verdict = evaluate(policy as Parameters<typeof evaluate>[0], { tool, args }, { purpose: conditionPurpose });
    const word = { allow: 'Allowed', ask: 'Ask a person', hidden: 'Hidden', deny: 'Denied' }[verdict.decision];
    output.textContent = `${word} — ${verdict.reason}`;
    output.setAttribute('data-decision', verdict.decision);
  }
}

export function defineTryCall() {
  if (!customElements.get('try-call')) customElements.define('try-call', TryCall);
}
