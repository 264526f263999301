import type { ToolDefinition } from '../../src/lib/classification/classify.ts';

/**
 * A tool definition as a server's tools/list gives it, built for a classifier test: a name, a
 * description, top-level properties and, when given, annotations (left out otherwise, as a server
 * that sends none leaves them out, so no test reads an `annotations: undefined` no server sends).
 */
export const toolDefinition = (
  name: string,
  description = '',
  properties: Record<string, unknown> = {},
  annotations?: ToolDefinition['annotations'],
): ToolDefinition => ({ name, description, inputSchema: { type: 'object', properties }, ...(annotations ? { annotations } : {}) });
