/**
 * Timestamps of build phases for the benchmark. Kept on globalThis because the Astro
 * config (integrations) and the bundled pages load separate copies of modules in one
 * process; both must write to the same record.
 */
const key = Symbol.for('policy-atlas.build-marks');
const store: Record<string, number> = ((globalThis as Record<symbol, unknown>)[key] as Record<string, number> | undefined) ?? {};
(globalThis as Record<symbol, unknown>)[key] = store;

/** Records the first time `name` happens. */
export function markOnce(name: string): void {
  store[name] ??= performance.now();
}

export function buildMarks(): Readonly<Record<string, number>> {
  return store;
}
