import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { canonicalJson } from '../catalog/definition-hash.ts';

/**
 * The audit log: one JSON line a decided call. It holds a SHA-256 of the arguments, never the
 * arguments (they may carry secrets or personal data); the same arguments always hash the same,
 * whatever their key order, so a reader can match a call they know. Size-capped: when the file
 * would pass the cap it is moved to `<file>.1` (replacing the older one) and a new file begins.
 */

export interface AuditEntry {
  time: string;
  tool: string;
  decision: string;
  /** What decided: hide, default, require, deny_if, limit, rule, ask, pin, name, guard. */
  rule: string;
  reason: string;
  args_sha256: string;
  /** Set when the call came from a sampled model's answer rather than from the client. */
  via?: 'sampling';
}

export function argsDigest(args: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(args ?? {}))
    .digest('hex');
}

export class AuditLog {
  private size: number;
  private readonly path: string;
  private readonly maxBytes: number;
  private readonly onError: (message: string) => void;

  constructor(path: string, maxBytes: number, onError: (message: string) => void) {
    this.path = path;
    this.maxBytes = maxBytes;
    this.onError = onError;
    this.size = existsSync(path) ? statSync(path).size : 0;
  }

  /** Held open between calls: opening and closing the file for each line was a tenth of the guard's work per call. */
  private fd: number | undefined;

  /** Appends one entry; false when it could not be written (the guard then refuses the call). */
  write(entry: AuditEntry): boolean {
    const line = Buffer.from(`${JSON.stringify(entry)}\n`);
    try {
      if (this.size > 0 && this.size + line.length > this.maxBytes) {
        this.closeFile();
        renameSync(this.path, `${this.path}.1`);
        this.size = 0;
      }
      this.fd ??= openSync(this.path, 'a', 0o600);
      // One write of the whole line (append mode): a short write would leave half a line, so it counts as a failure.
      if (writeSync(this.fd, line) !== line.length) throw new Error('short write');
      this.size += line.length;
      return true;
    } catch (error) {
      this.closeFile();
      this.onError(`audit log ${this.path}: ${(error as Error).message}`);
      return false;
    }
  }

  private closeFile(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Already gone: the next line opens the file again.
    }
  }
}
