import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readCatalog } from '../../src/lib/catalog/files.ts';
import { catalogIndexSchema, catalogShardSchema } from '../../src/schemas/outputs.ts';
import { policySchema } from '../../src/schemas/policy.ts';
import { routes } from '../../src/lib/site/routes.ts';
import { brokenLinks, buildSite, codeBlocks, htmlFiles, pageExamples, readOutput, repoRoot, type BuildResult } from '../helpers/site.ts';

// The catalogue this repository ships: the four reference servers, 394 tools.
let site: BuildResult;
const servers = readCatalog(join(repoRoot, 'content'));
const read = (route: string) => readOutput(site.outDir, route);

beforeAll(() => {
  site = buildSite({ contentDir: join(repoRoot, 'content') });
  if (site.status !== 0) throw new Error(site.output);
});

describe('the shipped catalogue', () => {
  it('has a page for each of its 394 tools and 4 servers', () => {
    expect(servers.map((s) => s.server.slug).sort()).toEqual(['camoufox-mcp', 'claude-code-notebook-mcp', 'docx-mcp', 'tachibot-mcp']);
    expect(servers.reduce((n, s) => n + s.tools.length, 0)).toBe(394);
    for (const { server, tools } of servers) {
      expect(htmlFiles(join(site.outDir, 'tools', server.slug)), server.slug).toHaveLength(tools.length);
      expect(read(routes.server(server.slug))).toMatch(new RegExp(`<h1[^>]*>${server.name}</h1>`));
    }
  });

  it('shows and ships only policies that validate', () => {
    let count = 0;
    for (const file of htmlFiles(site.outDir)) {
      for (const block of codeBlocks(readFileSync(file, 'utf8'))) {
        expect(policySchema.safeParse(JSON.parse(block)).success, file).toBe(true);
        count++;
      }
    }
    for (const { server } of servers) policySchema.parse(JSON.parse(read(routes.serverPolicy(server.slug))));
    expect(count).toBeGreaterThan(394 * 3);
  });

  it('publishes outputs that match their formats', () => {
    const index = catalogIndexSchema.parse(JSON.parse(read(routes.catalogIndex)));
    expect(index.totals.tools).toBe(394);
    for (const { server } of servers) catalogShardSchema.parse(JSON.parse(read(routes.catalogShard(server.slug))));
    const schema = JSON.parse(read(routes.policySchema));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(JSON.parse(read(routes.serverPolicy('docx-mcp'))))).toBe(true);
    const llms = read('llms.txt');
    expect(llms).toMatch(/^# Policy Atlas\n\n> .+\n/);
    expect(llms.match(/^- \[.+\]\(http.+\)/gm)?.length).toBe(3 + 4);
    const sitemap = read('sitemap-0.xml');
    expect(sitemap.match(/<loc>/g)?.length).toBe(htmlFiles(site.outDir).length - 2); // all but 404 and search
    const headers = read('_headers');
    expect(headers).toContain("Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'");
    for (const header of [
      'Strict-Transport-Security: max-age=63072000; includeSubDomains',
      'Cross-Origin-Opener-Policy: same-origin',
      'Cross-Origin-Resource-Policy: same-origin',
      'X-Frame-Options: DENY',
      'X-Content-Type-Options: nosniff',
      'Referrer-Policy: strict-origin-when-cross-origin',
    ]) {
      expect(headers).toContain(header);
    }
    expect(headers).toMatch(/Permissions-Policy: .*camera=\(\).*clipboard-write=\(self\)/);
    expect(headers).toMatch(/\/servers\/\*\/badge\.svg\n {2}Cross-Origin-Resource-Policy: cross-origin/);
  });

  it('classifies the reference tools as a reader would', () => {
    const page = (server: string, tool: string) => read(routes.tool(server, tool));
    // The risk block: the level on the scale, then the category.
    expect(page('docx-mcp', 'export-session-script')).toMatch(/>Medium risk<\/strong>[\s\S]*?class="badge"[^>]*>Write</);
    expect(page('camoufox-mcp', 'save-session')).toMatch(/>Medium risk<\/strong>[\s\S]*?class="badge"[^>]*>Write</);
    expect(page('claude-code-notebook-mcp', 'notebook-delete')).toMatch(/class="badge"[^>]*>Destructive</);
    expect(page('camoufox-mcp', 'evaluate-mainworld')).toMatch(/class="badge"[^>]*>Execute</);
  });

  it('decides, with atlas check, every example a tool page shows, as the page says', async () => {
    const { main } = await import('../../src/cli/main.ts');
    const work = mkdtempSync(join(tmpdir(), 'atlas-check-'));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let checked = 0;
    try {
      for (const file of htmlFiles(join(site.outDir, 'tools'))) {
        const html = readFileSync(file, 'utf8');
        const policyText = codeBlocks(html)[0]!;
        const policy = JSON.parse(policyText);
        const tool = Object.keys(policy.tools ?? {})[0] ?? policy.hide[0];
        const policyFile = join(work, 'policy.json');
        writeFileSync(policyFile, policyText);
        for (const { decision, prior, args } of pageExamples(html)) {
          const code = await main(['check', '--policy', policyFile, '--tool', tool, '--args', args, '--prior', String(prior)]);
          expect(code, `${file}: ${args}`).toBe(decision === 'allow' ? 0 : decision === 'ask' ? 3 : 1);
          checked++;
        }
      }
    } finally {
      write.mockRestore();
    }
    expect(checked).toBeGreaterThan(394 * 2);
  });

  it('has no broken internal link', () => {
    expect(brokenLinks(site.outDir, '/')).toEqual([]);
  });
});
