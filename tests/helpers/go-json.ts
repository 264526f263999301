/**
 * How a Go gateway sees a call's JSON arguments. ToolHive and Intercept are both Go programs:
 * what their Cedar or RE2 engine compares is what Go's encoding/json produced, not what
 * JavaScript parsed.
 */

/** Go's JSON decoder replaces lone surrogates with U+FFFD. */
export const goString = (text: string) => text.toWellFormed();

/** Go's %v for the values JSON decoding produces (Intercept compares values as formatted). */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (value !== 0 && (Math.abs(value) >= 1e21 || Math.abs(value) < 1e-4)) {
      const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
      const sign = exponent.startsWith('-') ? '-' : '+';
      return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
    }
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `map[${entries.map(([k, v]) => `${k}:${goFormat(v)}`).join(' ')}]`;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
