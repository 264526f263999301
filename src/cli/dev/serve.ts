import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.wasm': 'application/wasm',
  '.pf_meta': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};

/** Rules from a `_headers` file (Netlify / Cloudflare Pages format). */
export function parseHeadersFile(text: string): Array<{ pattern: RegExp; headers: Array<[string, string]> }> {
  const rules: Array<{ pattern: RegExp; headers: Array<[string, string]> }> = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const source = line
        .trim()
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*');
      rules.push({ pattern: new RegExp(`^${source}$`), headers: [] });
    } else {
      const [name, ...value] = line.trim().split(':');
      rules.at(-1)?.headers.push([name!.trim(), value.join(':').trim()]);
    }
  }
  return rules;
}

/** Serves a built site under `base` the way a static CDN would, headers from `_headers` included. */
export async function serveSite(
  outDir: string,
  base = '/',
  /** 0 picks a free port; a test that built the site for a known origin gives that origin's port. */
  port = 0,
): Promise<{ origin: string; url: (path?: string) => string; close: () => Promise<void> }> {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const headersPath = join(outDir, '_headers');
  const rules = existsSync(headersPath) ? parseHeadersFile(readFileSync(headersPath, 'utf8')) : [];
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const send = (status: number, file: string | undefined) => {
      for (const rule of rules) if (rule.pattern.test(path)) for (const [name, value] of rule.headers) response.setHeader(name, value);
      if (!file) {
        response.writeHead(status).end();
        return;
      }
      response.writeHead(status, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(readFileSync(file));
    };
    if (!path.startsWith(prefix)) return send(404, undefined);
    const relative = normalize(path.slice(prefix.length));
    if (relative.startsWith('..')) return send(403, undefined);
    let file = join(outDir, relative);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (existsSync(file)) return send(200, file);
    const notFound = join(outDir, '404.html');
    return send(404, existsSync(notFound) ? notFound : undefined);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path = '') => `${origin}${prefix}${path.replace(/^\//, '')}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
