import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { toolExamples } from '../../src/data/policy-views.ts';
import { runGuard } from '../../src/lib/guard/proxy.ts';
import { catalogOf } from '../helpers/catalog.ts';
import { repoRoot } from '../helpers/site.ts';

/**
 * Every example call every shipped tool page shows, through a real guard: one guard per server,
 * running the server's bundle (the policy the page's set-up lines give) in front of an echo
 * server that lists exactly the catalogued tools. The client speaks MCP to the guard over the
 * SDK's in-memory transport; the guard speaks it to the echo server over stdio. An example the
 * page says is allowed must reach the server; one it says is denied or hidden must not; one it
 * says asks must be put to a person, and run only on their yes. The guard's clock moves on a day
 * before each example, so each starts with empty counters, and a limit example makes exactly the
 * calls the window allows before the one it says is refused.
 */

const echoServer = join(repoRoot, 'tests/fixtures/servers/echo.mjs');
const catalog = catalogOf(join(repoRoot, 'content'));
const DAY = 86_400_000;

describe('every example of every shipped tool page, through a guard running its server bundle', () => {
  it.each([...catalog.byServer.keys()])(
    '%s',
    async (slug) => {
      const { active, bundle } = catalog.byServer.get(slug)!;
      const dir = mkdtempSync(join(tmpdir(), 'atlas-pages-'));
      const toolsFile = join(dir, 'tools.json');
      const callsFile = join(dir, 'calls.jsonl');
      writeFileSync(
        toolsFile,
        JSON.stringify(active.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }))),
      );
      // What reached the server: its lines counted as they are appended, so thousands of calls cost linear time.
      let reachedSoFar = 0;
      let readUpTo = 0;
      const reached = () => {
        if (!existsSync(callsFile)) return 0;
        const fd = openSync(callsFile, 'r');
        try {
          const size = fstatSync(fd).size;
          const fresh = Buffer.alloc(size - readUpTo);
          readSync(fd, fresh, 0, fresh.length, readUpTo);
          readUpTo = size;
          for (const byte of fresh) if (byte === 0x0a) reachedSoFar++;
          return reachedSoFar;
        } finally {
          closeSync(fd);
        }
      };

      let now = Date.UTC(2026, 0, 1, 12, 0, 30);
      const [toGuard, toClient] = InMemoryTransport.createLinkedPair();
      const guard = runGuard({
        policy: bundle,
        upstream: { kind: 'stdio', command: process.execPath, args: [echoServer], env: { TOOLS_FILE: toolsFile, CALLS_FILE: callsFile } },
        downstream: toGuard,
        callTimeoutMs: 30_000,
        startTimeoutMs: 30_000,
        approvalTimeoutMs: 30_000,
        maxResultBytes: 8 * 1024 * 1024,
        version: 'test',
        log: () => undefined,
        now: () => now,
      });
      const client = new Client({ name: 'pages-test', version: '1' }, { capabilities: { elicitation: { form: {} } } });
      let asked = 0;
      client.setRequestHandler(ElicitRequestSchema, () => {
        asked++;
        return { action: 'accept', content: { approve: true } };
      });
      await client.connect(toClient);
      try {
        const listed = new Set((await client.listTools()).tools.map((tool) => tool.name));
        const decided: Record<string, number> = {};
        for (const tool of active) {
          for (const example of toolExamples(tool)) {
            const what = `${slug} ${JSON.stringify(tool.name)}: ${example.title}`;
            now += DAY;
            // The calls the window allows before this one, each of which must run. They go out together,
            // as a busy client sends them: the guard counts each as it arrives, and the pipe to the server
            // carries them in a few writes rather than one each (a write per call was most of this test's time).
            const beforeBurst = reached();
            const burst = await Promise.all(
              Array.from({ length: example.prior }, () => client.callTool({ name: tool.name, arguments: example.args })),
            );
            burst.forEach((result, i) => {
              if (result.isError) expect.fail(`${what}: call ${i + 1} of the ${example.prior} the window allows was refused`);
            });
            expect(reached() - beforeBurst, `${what}: the calls the window allows`).toBe(example.prior);
            const before = { reached: reached(), asked };
            const result = await client.callTool({ name: tool.name, arguments: example.args });
            const ran = reached() - before.reached;
            const wasAsked = asked - before.asked;
            if (example.expected === 'allow') {
              expect({ isError: Boolean(result.isError), ran, wasAsked }, what).toEqual({ isError: false, ran: 1, wasAsked: 0 });
            } else if (example.expected === 'ask') {
              expect({ isError: Boolean(result.isError), ran, wasAsked }, what).toEqual({ isError: false, ran: 1, wasAsked: 1 });
            } else {
              expect({ isError: Boolean(result.isError), ran, wasAsked }, what).toEqual({ isError: true, ran: 0, wasAsked: 0 });
            }
            expect(listed.has(tool.name), `${what}: listed`).toBe(example.expected !== 'hidden');
            decided[example.expected] = (decided[example.expected] ?? 0) + 1;
          }
        }
        // The bundle allows something and refuses something on every shipped server.
        expect((decided['allow'] ?? 0) + (decided['ask'] ?? 0)).toBeGreaterThan(0);
        expect((decided['deny'] ?? 0) + (decided['hidden'] ?? 0)).toBeGreaterThan(0);
      } finally {
        await client.close();
        expect(await guard).toBe(0);
      }
    },
    600_000,
  );
});
