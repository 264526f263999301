import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes through a temporary file beside `path` and a rename, so a reader (a build, an editor, a
 * client reading its config) never sees half a file, and a failed write leaves the old one whole.
 * `mode` sets the file's permissions (a config holding tokens keeps its owner-only mode).
 */
export function writeFileAtomic(path: string, text: string, options: { mode?: number } = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, text, options.mode === undefined ? {} : { mode: options.mode });
    // The mode given to writeFileSync is masked by the umask; chmod is not.
    if (options.mode !== undefined) chmodSync(temporary, options.mode);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
