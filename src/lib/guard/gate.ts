import { evaluate, newCounters, type Counters, type EvalCondition, type EvalLimit } from '../policy/evaluate.ts';
import { conditionPurpose } from '../policy/patterns.ts';
import type { Policy } from '../../schemas/policy.ts';
import { nameSkeleton } from './names.ts';
import { comparePin, pinOf, type Pin, type PinStatus } from './pins.ts';

/**
 * The guard's decisions, apart from the protocol: which listed tools a client may see, and
 * whether one call may reach the server. The policy evaluator decides every call; before it,
 * the guard denies names the server never listed and tools whose definition no longer matches
 * its pin. Nothing here forwards anything: the proxy forwards only on `allow`.
 */

export interface ListedTool {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: unknown;
  [key: string]: unknown;
}

export type GateDecision = 'allow' | 'deny' | 'hidden' | 'ask';

export interface GateVerdict {
  decision: GateDecision;
  /** What decided: the evaluator's hide/default/require/deny_if/limit/rule, or the guard's own pin and name checks. */
  by: string;
  reason: string;
  condition?: EvalCondition | undefined;
  limit?: EvalLimit | undefined;
}

interface ViewEntry {
  tool: ListedTool;
  /** Why the tool is kept from the client, when it is. */
  hiddenBecause?: GateVerdict;
}

const FIELD_WORDS: Record<string, string> = {
  title: 'title',
  description: 'description',
  inputSchema: 'input schema',
  outputSchema: 'output schema',
  annotations: 'annotations',
};

export interface GateOptions {
  /** Pins from the catalogue (--pin); without them, each tool is pinned when this session first lists it. */
  cataloguePins?: ReadonlyMap<string, Pin> | undefined;
  now?: () => number;
}

export class Gate {
  private readonly counters: Counters = newCounters();
  private readonly sessionPins = new Map<string, Pin>();
  /** Each listed definition's pin, hashed once: a list is hashed to decide what is hidden and again to see what changed. */
  private readonly pins = new WeakMap<ListedTool, Pin>();
  private view = new Map<string, ViewEntry>();
  private readonly now: () => number;
  private readonly policy: Policy;
  private readonly options: GateOptions;

  constructor(policy: Policy, options: GateOptions = {}) {
    this.policy = policy;
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** Takes a fresh tools/list from the server; returns whether what the client sees changed. */
  updateTools(tools: readonly ListedTool[]): boolean {
    const before = this.visibleSignature();
    const view = new Map<string, ViewEntry>();
    for (const tool of tools) {
      // A server listing one name twice gets neither: which definition would a call run?
      if (view.has(tool.name)) {
        view.set(tool.name, {
          tool,
          hiddenBecause: {
            decision: 'hidden',
            by: 'name',
            reason: `${tool.name} is listed twice by the server, with no way to tell which definition a call would run; it is hidden.`,
          },
        });
        continue;
      }
      view.set(tool.name, { tool, ...this.hideReason(tool) });
    }
    this.view = view;
    return before !== this.visibleSignature();
  }

  /** The tools a client may see, in the server's order. */
  visibleTools(): ListedTool[] {
    return [...this.view.values()].filter((entry) => !entry.hiddenBecause).map((entry) => entry.tool);
  }

  /** Decides one call. An allowed call is counted against its limits. */
  decide(name: string, args: unknown): GateVerdict {
    const entry = this.view.get(name);
    if (!entry) return this.unlisted(name);
    if (entry.hiddenBecause) return entry.hiddenBecause;
    const verdict = evaluate(this.policy, { tool: name, args }, { counters: this.counters, now: this.now(), purpose: conditionPurpose });
    return { decision: verdict.decision, by: verdict.by, reason: verdict.reason, condition: verdict.condition, limit: verdict.limit };
  }

  private hideReason(tool: ListedTool): { hiddenBecause?: GateVerdict } {
    const byPolicy = evaluate(this.policy, { tool: tool.name });
    if (byPolicy.decision === 'hidden') return { hiddenBecause: { decision: 'hidden', by: byPolicy.by, reason: byPolicy.reason } };
    const status = this.pinStatus(tool);
    if (status.kind === 'changed') {
      const what = status.fields.map((field) => FIELD_WORDS[field] ?? field).join(', ') || 'definition';
      const since = status.against === 'catalogue' ? 'since it was catalogued' : 'since this session first listed it';
      return {
        hiddenBecause: {
          decision: 'hidden',
          by: 'pin',
          reason: `${tool.name} is hidden: its ${what} changed ${since}, so it is not the tool the policy was written for. Review the change, then re-import the server.`,
        },
      };
    }
    if (status.kind === 'unseen' && this.policy.default === 'deny') {
      return {
        hiddenBecause: {
          decision: 'hidden',
          by: 'pin',
          reason: `${tool.name} is hidden: the catalogue has never seen this tool, and the policy's default is deny.`,
        },
      };
    }
    return {};
  }

  private pinOf(tool: ListedTool): Pin {
    let pin = this.pins.get(tool);
    if (!pin) {
      pin = pinOf(tool);
      this.pins.set(tool, pin);
    }
    return pin;
  }

  private pinStatus(tool: ListedTool): PinStatus {
    const current = this.pinOf(tool);
    const catalogued = this.options.cataloguePins?.get(tool.name);
    if (catalogued) return comparePin(current, catalogued, 'catalogue');
    if (this.options.cataloguePins && this.policy.default === 'deny') return { kind: 'unseen' };
    const first = this.sessionPins.get(tool.name);
    if (!first) {
      this.sessionPins.set(tool.name, current);
      return { kind: 'match' };
    }
    return comparePin(current, first, 'session');
  }

  private unlisted(name: string): GateVerdict {
    const skeleton = nameSkeleton(name);
    const known = new Set<string>([...this.view.keys(), ...(this.policy.hide ?? []), ...Object.keys(this.policy.tools ?? {})]);
    for (const other of known) {
      if (other !== '*' && other !== name && nameSkeleton(other) === skeleton) {
        return {
          decision: 'deny',
          by: 'name',
          reason: `Denied: ${JSON.stringify(name)} is not a tool the server listed; it looks like ${JSON.stringify(other)} (differs only in case, hidden characters or look-alike letters). Tools are matched by exact name.`,
        };
      }
    }
    return { decision: 'deny', by: 'name', reason: `Denied: ${JSON.stringify(name)} is not a tool the server listed.` };
  }

  private visibleSignature(): string {
    return JSON.stringify(this.visibleTools().map((tool) => [tool.name, this.pinOf(tool).hash]));
  }
}
