/**
 * The fields of a tool's definition a client sees, so the ones a rug pull would change. Alone in
 * its module so the guard can hash definitions without building the catalogue's schemas.
 */
export const DEFINITION_FIELDS = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;
