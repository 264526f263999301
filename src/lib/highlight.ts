import { createHighlighterCore, type HighlighterCore } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import json from 'shiki/langs/json.mjs';
import githubDark from 'shiki/themes/github-dark.mjs';
import githubLight from 'shiki/themes/github-light.mjs';

/**
 * One highlighter for the whole build: JSON only, two themes, the JavaScript regex
 * engine (no WebAssembly to load). Creating it is the expensive part; each call after
 * that costs well under a millisecond for a policy.
 */
let highlighter: Promise<HighlighterCore> | undefined;

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
  });
}
