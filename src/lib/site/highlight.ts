import { createHighlighterCore, type HighlighterCore, type ShikiTransformer } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import json from 'shiki/langs/json.mjs';
import githubDark from 'shiki/themes/github-dark.mjs';
import githubLight from 'shiki/themes/github-light.mjs';
import type { Policy } from '../../schemas/policy.ts';
import { policyJson } from '../policy/recommend.ts';

/**
 * One highlighter for the whole build: JSON only, two themes, the JavaScript regex
 * engine (no WebAssembly to load).
 */
let highlighter: Promise<HighlighterCore> | undefined;

/**
 * JSON in the two themes uses three colour pairs; each becomes a class (styled in
 * global.css) instead of a style attribute on every token: a third less HTML, and a
 * Content-Security-Policy with no inline styles for code. A pair not listed here
 * keeps its style attribute, so a theme change degrades, never breaks.
 */
export const TOKEN_CLASSES: Record<string, string> = {
  '--shiki-light:#24292E;--shiki-dark:#E1E4E8': 'tk-p',
  '--shiki-light:#005CC5;--shiki-dark:#79B8FF': 'tk-k',
  '--shiki-light:#032F62;--shiki-dark:#9ECBFF': 'tk-s',
};

const tokenClasses: ShikiTransformer = {
  name: 'policy-atlas-token-classes',
  pre(node) {
    delete node.properties['style'];
  },
  span(node) {
    const style = node.properties['style'];
    let className = typeof style === 'string' ? TOKEN_CLASSES[style] : undefined;
    // An escape inside a string (a regex's backslashes) is coloured as the string: one span, not dozens.
    const text = node.children.length === 1 && node.children[0]!.type === 'text' ? node.children[0]!.value : '';
    if (className === 'tk-k' && /^\\./.test(text)) className = 'tk-s';
    if (className) {
      delete node.properties['style'];
      node.properties['class'] = className;
    }
  },
  line(node) {
    // Adjacent spans of one class become one.
    const merged: typeof node.children = [];
    for (const child of node.children) {
      const last = merged[merged.length - 1];
      if (
        last?.type === 'element' &&
        child.type === 'element' &&
        last.properties['class'] !== undefined &&
        last.properties['class'] === child.properties['class'] &&
        last.children.length === 1 &&
        child.children.length === 1 &&
        last.children[0]!.type === 'text' &&
        child.children[0]!.type === 'text'
      ) {
        last.children[0]!.value += child.children[0]!.value;
      } else merged.push(child);
    }
    node.children = merged;
  },
};

export async function highlightJson(code: string): Promise<string> {
  highlighter ??= createHighlighterCore({
    themes: [githubLight, githubDark],
    langs: [json],
    engine: createJavaScriptRegexEngine(),
  });
  return (await highlighter).codeToHtml(code, {
    lang: 'json',
    themes: { light: 'github-light', dark: 'github-dark' },
    defaultColor: false,
    // No per-line time limit: shiki's default (500 ms) gives up on a long line when the machine
    // is busy and colours the rest as invalid, so a page's colours would depend on load. JSON's
    // grammar is linear, so a line cannot take long for any other reason.
    tokenizeTimeLimit: 0,
    transformers: [tokenClasses],
  });
}

/** Stands in for a tool name inside JSON strings: plain word characters, tokenised like any name. */
const PLACEHOLDER = 'Zq9AtlasToolNameZq9';
/** Names that JSON prints without escapes and that cannot collide with the format's own numbers. */
const SIMPLE_NAME = /^[A-Za-z_][\w.-]{2,}$/;
const TEMPLATE_CACHE_LIMIT = 5000;
const templates = new Map<string, Promise<string>>();

const escapeHtmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Highlights JSON in which `name` appears only inside strings (a policy naming one
 * tool). Policies of thousands of tools share a handful of shapes, so the shape is
 * highlighted once with a placeholder and the name, HTML-escaped, is put back into
 * the text. The result's text is exactly `code`; only the colouring of escape
 * sequences inside an unusual name is plainer than a full tokenisation would give.
 */
export async function highlightJsonNaming(code: string, name: string): Promise<string> {
  // Names that need escaping in JSON, or that are short enough to collide with the
  // format's own words and numbers, are highlighted in full.
  if (!SIMPLE_NAME.test(name) || code.includes(PLACEHOLDER)) return highlightJson(code);
  const jsonName = name;
  const shape = code.split(jsonName).join(PLACEHOLDER);
  let template = templates.get(shape);
  if (!template) {
    if (templates.size >= TEMPLATE_CACHE_LIMIT) templates.clear();
    template = highlightJson(shape);
    templates.set(shape, template);
  }
  return (await template).split(PLACEHOLDER).join(escapeHtmlText(jsonName));
}

function splitHighlighted(html: string): { open: string; lines: string[]; close: string } {
  const start = html.indexOf('<code>') + '<code>'.length;
  const end = html.lastIndexOf('</code>');
  return { open: html.slice(0, start), lines: html.slice(start, end).split('\n'), close: html.slice(end) };
}

/**
 * Highlights a server's policy bundle. A bundle is its header, then one rule per tool
 * printed exactly as in that tool's own policy, then the closing braces; so the rule
 * lines are taken from the (shared) highlighting of each tool's policy instead of
 * tokenising thousands of near-identical lines again. Falls back to highlighting the
 * whole text when any name is unusual. The result equals highlightJson(policyJson(bundle)).
 */
export async function highlightBundle(bundle: Policy): Promise<string> {
  const text = policyJson(bundle);
  const rules = Object.entries(bundle.tools ?? {});
  if (rules.length < 2 || !rules.every(([name]) => SIMPLE_NAME.test(name))) return highlightJson(text);
  const lines = text.split('\n');
  const toolsLine = lines.indexOf('  "tools": {');
  if (toolsLine === -1) return highlightJson(text);
  // Header: every line up to `"tools": {`, tokenised with the object closed after it.
  const head = splitHighlighted(await highlightJson(`${lines.slice(0, toolsLine + 1).join('\n')}\n  }\n}\n`));
  const out = head.lines.slice(0, toolsLine + 1);
  for (const [index, [name, rule]] of rules.entries()) {
    const single = policyJson({ version: '1', default: 'deny', tools: { [name]: rule } });
    const ruleLines = splitHighlighted(await highlightJsonNaming(single, name)).lines;
    // Lines 4 … n-4 are `    "name": {` … `    }`; the last three are `  }`, `}` and the empty line.
    const block = ruleLines.slice(4, ruleLines.length - 3);
    if (index < rules.length - 1) block[block.length - 1] = block[block.length - 1]!.replace(/}<\/span><\/span>$/, '},</span></span>');
    out.push(...block);
  }
  out.push(...head.lines.slice(toolsLine + 1));
  return `${head.open}${out.join('\n')}${head.close}`;
}
