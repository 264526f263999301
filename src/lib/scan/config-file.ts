import { readFileSync } from 'node:fs';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { ClientId } from './locations.ts';

/**
 * Reading one client config file. Each client's own parser decides what the file may hold:
 * VS Code, Cursor (a VS Code fork) and Gemini CLI read JSON with comments; Claude Desktop,
 * Claude Code and Windsurf read strict JSON, so a comment there is an error the client
 * would hit too, and is reported as one. Codex reads TOML.
 */

export type ConfigSyntax = 'json' | 'jsonc' | 'toml';

export const CLIENT_SYNTAX: Record<ClientId, ConfigSyntax> = {
  'claude-desktop': 'json',
  'claude-code': 'json',
  cursor: 'jsonc',
  vscode: 'jsonc',
  windsurf: 'json',
  'gemini-cli': 'jsonc',
  codex: 'toml',
};

export type ConfigRead =
  { ok: true; text: string; data: unknown } | { ok: false; missing: boolean; text: string | undefined; problem: string };

/** Line and column (1-based) of an offset, for error messages a person can find in an editor. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function parseConfigText(text: string, syntax: ConfigSyntax): ConfigRead {
  if (syntax === 'toml') {
    try {
      return { ok: true, text, data: parseToml(text) };
    } catch (error) {
      const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : '';
      const reason = (error as Error).message.split('\n')[0] ?? 'invalid TOML';
      return { ok: false, missing: false, text, problem: `not valid TOML${where}: ${reason}` };
    }
  }
  const errors: ParseError[] = [];
  const strict = syntax === 'json';
  const tree = parseTree(text, errors, { disallowComments: strict, allowTrailingComma: !strict, allowEmptyContent: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const { line, column } = lineAndColumn(text, first.offset);
    const reason = printParseErrorCode(first.error);
    const hint = strict && reason === 'InvalidCommentToken' ? ' (this client reads strict JSON: comments are not allowed)' : '';
    return {
      ok: false,
      missing: false,
      text,
      problem: `not valid ${strict ? 'JSON' : 'JSON with comments'} at line ${line}, column ${column}: ${reason}${hint}`,
    };
  }
  return { ok: true, text, data: tree ? valueOf(tree) : undefined };
}

/**
 * A parse tree as plain data. Objects get no prototype and keys are defined, not assigned, so a
 * server named "__proto__" is an entry like any other rather than a prototype swap. A key given
 * twice keeps its last value, as JSON.parse (and so each client) does.
 */
function valueOf(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out = Object.create(null) as Record<string, unknown>;
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value)
          Object.defineProperty(out, String(key.value), { value: valueOf(value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(valueOf);
    default:
      return node.value;
  }
}

export function readConfigFile(path: string, syntax: ConfigSyntax): ConfigRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      missing: code === 'ENOENT' || code === 'ENOTDIR',
      text: undefined,
      problem: `cannot be read (${code ?? (error as Error).message})`,
    };
  }
  // A byte-order mark is legal in these files and ignored by their clients.
  return parseConfigText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, syntax);
}
