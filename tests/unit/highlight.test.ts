import { describe, expect, it } from 'vitest';
import { highlightJson, highlightJsonNaming } from '../../src/lib/site/highlight.ts';
import { policyJson, recommendedPolicy } from '../../src/lib/policy/recommend.ts';
import { decodeEntities } from '../helpers/site.ts';

const textOf = (html: string) => decodeEntities(html.replace(/<[^>]+>/g, ''));
const policyFor = (name: string) =>
  policyJson(recommendedPolicy({ name, category: 'write', risk: 'medium', inputSchema: { type: 'object' } }));

describe('highlighting policies', () => {
  it('shares one highlighting between tools and still shows each policy exactly', async () => {
    for (const name of ['export_session_script', 'read-file', 'nextThought', 'deny', 'limits', 'max', 'span', 'https']) {
      const code = policyFor(name);
      const shared = await highlightJsonNaming(code, name);
      expect(textOf(shared), name).toBe(code);
      expect(shared, name).toBe(await highlightJson(code));
    }
  });

  it('escapes hostile names and highlights them in full', async () => {
    for (const name of ["<script>alert('x')</script>", 'a"b', 'x\u200by', 'é', '1']) {
      const code = policyFor(name);
      const html = await highlightJsonNaming(code, name);
      expect(textOf(html)).toBe(code);
      expect(html).not.toContain('<script>');
    }
  });
});

describe('highlighting bundles', () => {
  it('gives exactly what highlighting the whole bundle gives, for every shipped server', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { serverBundle } = await import('../../src/lib/policy/recommend.ts');
    const { highlightBundle } = await import('../../src/lib/site/highlight.ts');
    const dir = new URL('../../content/servers/', import.meta.url);
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    let argumentChecks = 0;
    for (const file of files) {
      const server = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      const bundle = serverBundle(
        server.tools.map((t: { name: string; classification: { category: 'read'; risk: 'low' }; inputSchema: { type: 'object' } }) => ({
          name: t.name,
          category: t.classification.category,
          risk: t.classification.risk,
          inputSchema: t.inputSchema,
        })),
      );
      expect(await highlightBundle(bundle), file).toBe(await highlightJson(policyJson(bundle)));
      argumentChecks += Object.values(bundle.tools ?? {}).filter((rule) => rule.require || rule.deny_if).length;
    }
    // The bundles carry argument checks, so their highlighting is exercised, not only names and limits.
    expect(argumentChecks).toBeGreaterThan(0);
  });
});

describe('highlighted HTML', () => {
  it('colours every token of a policy by class, with no inline style', async () => {
    const html = await highlightJson(
      policyJson({
        version: '1',
        default: 'deny',
        hide: ['x_tool'],
        all_tools: { limits: [{ counter: 'all', window: 'minute', max: 3, scope: 'grant' }] },
        tools: {
          a_tool: {
            require: [{ path: 'args.url', op: 'regex', value: '^https://' }],
            deny_if: [
              { path: 'args.n', op: 'exists', value: true },
              { path: 'args.m', op: 'eq', value: null },
            ],
          },
        },
      }),
    );
    expect(html).not.toContain('style=');
    expect(html).toContain('class="tk-s"');
    expect(html).toContain('class="tk-k"');
  });
});
