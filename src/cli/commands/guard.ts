import { closeSync, openSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuditLog } from '../../lib/guard/audit.ts';
import { GuardError } from '../../lib/guard/errors.ts';
import { defaultCacheDir } from '../../lib/guard/fetch-source.ts';
import { loadPins } from '../../lib/guard/pins.ts';
import { loadPolicy } from '../../lib/guard/policy-source.ts';
import type { Upstream } from '../../lib/guard/upstream.ts';
import { HelpRequested, UsageError } from '../errors.ts';
import { parseHeaders } from '../options.ts';
import { headersFromEnv } from '../../lib/guard/upstream.ts';
import { packageVersion } from '../version.ts';

const positiveNumber = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} ${JSON.stringify(value)}: expected a positive number`);
  return n;
};

/**
 * `atlas guard`: runs an MCP server behind the policy, as a stdio server for the agent's client.
 * Exit 0 when the client ends the session, 1 when the guard refuses to start or the server dies.
 * Everything the guard says goes to stderr: stdout is the MCP channel.
 */
export async function runGuardCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      policy: { type: 'string' },
      pin: { type: 'string' },
      audit: { type: 'string' },
      'audit-max-mb': { type: 'string', default: '10' },
      upstream: { type: 'string' },
      header: { type: 'string', multiple: true, default: [] },
      'header-env': { type: 'string', multiple: true, default: [] },
      'bearer-env': { type: 'string' },
      timeout: { type: 'string', default: '60' },
      'start-timeout': { type: 'string', default: '60' },
      'max-result-mb': { type: 'string', default: '8' },
      'approval-timeout': { type: 'string', default: '120' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) throw new HelpRequested();
  if (!values.policy) throw new UsageError('give --policy <file or https URL>');
  if (values.upstream !== undefined && positionals.length > 0)
    throw new UsageError('give --upstream <url> or a command line after --, not both');
  if (values.upstream === undefined && positionals.length === 0)
    throw new UsageError('give the server to guard: -- <command line>, or --upstream <url>');
  if ((values.header.length > 0 || values['header-env'].length > 0 || values['bearer-env'] !== undefined) && values.upstream === undefined)
    throw new UsageError('--header, --header-env and --bearer-env are for --upstream servers');
  const log = (line: string) => process.stderr.write(`atlas guard: ${line}\n`);
  let upstream: Upstream;
  try {
    upstream =
      values.upstream !== undefined
        ? {
            kind: 'http',
            url: values.upstream,
            headers: { ...parseHeaders(values.header), ...headersFromEnv(values['header-env'], values['bearer-env'], process.env) },
          }
        : { kind: 'stdio', command: positionals[0]!, args: positionals.slice(1) };
  } catch (error) {
    if (!(error instanceof GuardError)) throw error;
    log(`refusing to run: ${error.message}`);
    return 1;
  }
  const cacheDir = defaultCacheDir();
  try {
    const { policy, source } = await loadPolicy(values.policy, { cacheDir });
    if (source.fromCache)
      log(`the policy URL failed (${source.fromCache.why}); using the verified copy fetched ${source.fromCache.fetchedAt}`);
    const cataloguePins = values.pin !== undefined ? await loadPins(values.pin, { cacheDir }) : undefined;
    let audit: AuditLog | undefined;
    if (values.audit !== undefined) {
      try {
        closeSync(openSync(values.audit, 'a', 0o600));
      } catch (error) {
        throw new GuardError(
          `audit log ${values.audit} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        );
      }
      audit = new AuditLog(values.audit, positiveNumber('audit-max-mb', values['audit-max-mb']) * 1024 * 1024, log);
    }
    // The SDK and the proxy load only now: a guard that refuses its policy, pins or audit log says so
    // without them (about half the CPU of a start).
    const [{ runGuard }, { guardStdio }] = await Promise.all([
      import('../../lib/guard/proxy.ts'),
      import('../../lib/guard/stdio-downstream.ts'),
    ]);
    const downstream = guardStdio();
    // The SDK's stdio server transport does not notice its input ending: the client is gone, so is the session.
    process.stdin.once('end', () => void downstream.close());
    return await runGuard({
      policy,
      upstream,
      downstream,
      cataloguePins,
      audit,
      callTimeoutMs: positiveNumber('timeout', values.timeout) * 1000,
      approvalTimeoutMs: positiveNumber('approval-timeout', values['approval-timeout']) * 1000,
      startTimeoutMs: positiveNumber('start-timeout', values['start-timeout']) * 1000,
      maxResultBytes: Math.floor(positiveNumber('max-result-mb', values['max-result-mb']) * 1024 * 1024),
      version: packageVersion(),
      log,
    });
  } catch (error) {
    if (!(error instanceof GuardError)) throw error;
    log(`refusing to run: ${error.message}`);
    return 1;
  }
}
