/**
 * The formats a policy is exported to, by stable id: catalog.json lists each server's files
 * under these. Kept free of zod so the browser's policy composer can import it.
 */
export const EXPORT_IDS = ['policy-json', 'intercept-yaml', 'claude-code', 'gemini-cli', 'gemini-policy', 'codex', 'cedar'] as const;
export type ExportId = (typeof EXPORT_IDS)[number];
