import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

/**
 * Runs the `atlas` CLI in this process, as bin/atlas.mjs does (its `main`), collecting its exit
 * code and what it prints. An error main() leaves undescribed (a bug) rejects, where the shell
 * would see Node's stack trace.
 */
export async function atlasInProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const text = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += text(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += text(chunk)), true));
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
