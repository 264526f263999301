import { z } from 'astro/zod';
import { definitionHash, fieldHashes } from '../catalog/definition-hash.ts';
import { DEFINITION_FIELDS } from '../../schemas/definition-fields.ts';
import { GuardError } from './errors.ts';
import { loadVerifiedText } from './fetch-source.ts';

/**
 * Definition pins: what each tool looked like when it was catalogued (from the catalogue's
 * `catalog/<server>.json`) or, without a catalogue, when this session first listed it. A tool
 * whose definition no longer matches its pin is a rug pull until a person re-reviews it.
 */

type DefinitionField = (typeof DEFINITION_FIELDS)[number];

export interface Pin {
  hash: string;
  fields: Record<DefinitionField, string>;
}

export type PinStatus =
  { kind: 'match' } | { kind: 'changed'; fields: DefinitionField[]; against: 'catalogue' | 'session' } | { kind: 'unseen' };

// Only what pinning needs, loosely: a newer catalogue with more fields must still pin.
const shardSchema = z.looseObject({
  tools: z.array(
    z.looseObject({
      name: z.string().min(1),
      title: z.string().optional(),
      description: z.string().optional(),
      inputSchema: z.record(z.string(), z.unknown()),
      outputSchema: z.record(z.string(), z.unknown()).optional(),
      annotations: z.record(z.string(), z.unknown()).optional(),
      removed: z.boolean().optional(),
    }),
  ),
});

export function pinOf(tool: Partial<Record<DefinitionField, unknown>>): Pin {
  return { hash: definitionHash(tool), fields: fieldHashes(tool) };
}

/** Pins from a catalogue shard's text; tools the catalogue marks removed are not pinned. */
export function parsePins(text: string, origin: string): Map<string, Pin> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new GuardError(`pin catalogue ${origin}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = shardSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new GuardError(
      `pin catalogue ${origin} is not a catalogue file (catalog/<server>.json): ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const pins = new Map<string, Pin>();
  for (const tool of parsed.data.tools) {
    if (tool.removed) continue;
    pins.set(tool.name, pinOf(tool));
  }
  return pins;
}

export async function loadPins(spec: string, options: { cacheDir: string }): Promise<Map<string, Pin>> {
  const source = await loadVerifiedText(spec, 'pin catalogue', (text, origin) => void parsePins(text, origin), options);
  return parsePins(source.text, source.origin);
}

export function comparePin(current: Pin, pinned: Pin | undefined, against: 'catalogue' | 'session'): PinStatus {
  if (!pinned) return { kind: 'unseen' };
  if (pinned.hash === current.hash) return { kind: 'match' };
  const fields = DEFINITION_FIELDS.filter((field) => pinned.fields[field] !== current.fields[field]);
  return { kind: 'changed', fields, against };
}
