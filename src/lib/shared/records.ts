/** A JSON object (not an array, not null): what a key can be read from when the value came from outside. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
