import { describe, expect, it } from 'vitest';
import { commentLine } from '../../src/lib/policy/exports/shared.ts';
import { exportFor } from '../../src/lib/policy/exports/index.ts';
import { recommendedPolicy } from '../../src/lib/policy/recommend.ts';
import { formatEffects } from '../../src/lib/site/format-effects.ts';
import { firstSentence } from '../../src/lib/text-safety/text.ts';
import { categoryNoun } from '../../src/schemas/risk.ts';
import type { Category, Risk } from '../../src/schemas/risk.ts';

function effectsOf(name: string, category: Category, risk: Risk, properties: Record<string, unknown>) {
  const policy = recommendedPolicy({ name, category, risk, inputSchema: { type: 'object', properties } });
  return Object.fromEntries(formatEffects('acme', policy, name).map((effect) => [effect.id, effect]));
}

describe('what each format does with one tool, read off its export', () => {
  it('says Claude Code asks and the tool lists exclude a tool whose rule checks a path, and that limits are lost', () => {
    const effects = effectsOf('write_note', 'write', 'medium', { path: { type: 'string', description: 'File path to write' } });
    expect(effects['policy-json']!.decision).toBe('allowed');
    expect(effects['claude-code']!.line).toBe(
      'Claude Code asks a person before each call: it cannot check arguments; the rate limit is not kept.',
    );
    expect(effects['claude-code']!.whole).toBe(false);
    expect(effects['gemini-cli']!.decision).toBe('hidden');
    expect(effects['codex']!.decision).toBe('asks');
    expect(effects['gemini-policy']!.decision).toBe('asks');
    expect(effects['intercept-yaml']!.line).toMatch(/a call that omits a checked argument is denied/);
    // A checked name with more letter-case variants than Intercept can refuse one by one (OUTPUT_PATH…): denied there.
    const long = effectsOf('write_note', 'write', 'medium', { output_path: { type: 'string', description: 'File path to write' } });
    expect(long['intercept-yaml']!.decision).toBe('denied');
  });

  it('says Intercept denies a tool exactly when its export has to deny it outright (a check it cannot require)', () => {
    for (const [name, properties] of [
      ['run_script', { code: { type: 'string', description: 'JavaScript code to run' } }],
      ['run_query', { sql: { type: 'string', description: 'SQL query to run' } }],
      ['run_command', { command: { type: 'string', description: 'Shell command to run' } }],
    ] as const) {
      const policy = recommendedPolicy({ name, category: 'execute', risk: 'high', inputSchema: { type: 'object', properties } });
      const lossy = exportFor('intercept-yaml', { server: 'acme', policy, tools: [name], scope: 'tool' }).lossy ?? [];
      const effect = formatEffects('acme', policy, name).find((e) => e.id === 'intercept-yaml')!;
      // A tool the export decides differently from the model is never described as kept "as recommended".
      if (lossy.includes(name)) expect(effect.line, name).not.toMatch(/as recommended/);
      if (effect.decision === 'denied') expect(effect.line, name).toMatch(/no form Intercept can require/);
    }
  });

  it('says Claude Code cannot hide a hidden tool, and the others keep it hidden', () => {
    const effects = effectsOf('delete_file', 'destructive', 'critical', {});
    expect(effects['policy-json']!.decision).toBe('hidden');
    expect(effects['claude-code']!.line).toBe('Claude Code denies it: it cannot hide a tool, so the model still sees it.');
    expect(effects['intercept-yaml']!.line).toBe('Intercept hides it from the model and denies any call, as recommended.');
  });

  it('agrees with the Claude Code text itself', () => {
    const name = 'write_note';
    const policy = recommendedPolicy({
      name,
      category: 'write',
      risk: 'medium',
      inputSchema: { type: 'object', properties: { path: { type: 'string', description: 'path' } } },
    });
    const text = JSON.parse(exportFor('claude-code', { server: 'acme', policy, tools: [name], scope: 'tool' }).text);
    const decision = formatEffects('acme', policy, name).find((effect) => effect.id === 'claude-code')!.decision;
    expect(text.permissions.ask.length > 0).toBe(decision === 'asks');
  });
});

describe('the one-tool Claude Code snippet', () => {
  it('says it covers only this tool, instead of claiming to deny the server’s others', () => {
    const policy = recommendedPolicy({ name: 'read_file', category: 'read', risk: 'low', inputSchema: { type: 'object' } });
    const single = exportFor('claude-code', { server: 'acme', policy, tools: ['read_file'], scope: 'tool' });
    expect(single.notes.join(' ')).toMatch(/covers only this tool/);
    expect(single.notes.join(' ')).not.toMatch(/denying every other tool/);
  });
});

describe('wording from one place', () => {
  it('puts "an" before a vowel', () => {
    expect(categoryNoun('execute')).toBe('an Execute tool');
    expect(categoryNoun('write')).toBe('a Write tool');
  });
  it('keeps an ellipsis as three dots in an ASCII-only comment', () => {
    expect(commentLine('tools ("a", "b", …).')).toBe('tools ("a", "b", ...).');
    expect(commentLine('bidi \u202e')).toBe('bidi ?');
  });
  it('takes the first sentence of a description for a title, cut at a word', () => {
    expect(firstSentence('Accept all tracked changes in document order.\n\nReturns a JSON object.')).toBe(
      'Accept all tracked changes in document order',
    );
    expect(firstSentence(`${'word '.repeat(40)}end.`, 30)).toBe('word word word word word word…');
    expect(firstSentence('hidden\u200bchar. more')).toBe('hidden[U+200B ZERO WIDTH SPACE]char');
  });
});
