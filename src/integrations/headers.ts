import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/**
 * The Content-Security-Policy every page is served with. The site runs only its own
 * script and style files: no inline script or style, no eval. Pagefind's search needs
 * WebAssembly ('wasm-unsafe-eval'). Highlighted code is coloured by class and the
 * risk chart is SVG, so no page needs an inline style.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  'upgrade-insecure-requests',
].join('; ');

/**
 * Browser features the site never uses are switched off for it and anything it might embed;
 * the copy buttons keep the clipboard (write only, own origin).
 */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'browsing-topics=()',
  'clipboard-write=(self)',
].join(', ');

/** `_headers` in the format Netlify and Cloudflare Pages read, with paths under the site's base. */
export function headersFile(base: string): string {
  const root = base.endsWith('/') ? base : `${base}/`;
  return [
    `${root}*`,
    `  Content-Security-Policy: ${CONTENT_SECURITY_POLICY}`,
    '  Strict-Transport-Security: max-age=63072000; includeSubDomains',
    `  Permissions-Policy: ${PERMISSIONS_POLICY}`,
    '  Cross-Origin-Opener-Policy: same-origin',
    '  Cross-Origin-Resource-Policy: same-origin',
    '  X-Frame-Options: DENY',
    '  X-Content-Type-Options: nosniff',
    '  Referrer-Policy: strict-origin-when-cross-origin',
    '  Cache-Control: public, max-age=0, must-revalidate',
    '',
    // Badges are made to be shown in other sites' READMEs, and feeds read by any reader.
    `${root}servers/*/badge.svg`,
    '  Cross-Origin-Resource-Policy: cross-origin',
    '  Content-Type: image/svg+xml',
    '',
    `${root}changes.xml`,
    '  Content-Type: application/atom+xml; charset=utf-8',
    '',
    `${root}servers/*/changes.xml`,
    '  Content-Type: application/atom+xml; charset=utf-8',
    '',
    // Astro's assets carry a content hash in their names, so they never change.
    `${root}_astro/*`,
    '  Cache-Control: public, max-age=31536000, immutable',
    '',
    // Pagefind's fragments are hashed, its entry files are not: cache briefly.
    `${root}pagefind/*`,
    '  Cache-Control: public, max-age=3600',
    '',
  ].join('\n');
}

export function headersIntegration(): AstroIntegration {
  let base = '/';
  return {
    name: 'policy-atlas-headers',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base;
      },
      'astro:build:done': ({ dir }) => {
        writeFileSync(join(fileURLToPath(dir), '_headers'), headersFile(base));
      },
    },
  };
}
