import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTwoFilesPatch } from 'diff';
import { readCatalog } from '../catalog/files.ts';
import { writeFileAtomic } from '../shared/files.ts';
import { policyJson } from '../policy/json.ts';
import type { ScannedServer } from './entries.ts';
import { outcomeKey, sourceFor, type ServerOutcome } from './import.ts';
import { shown } from './report.ts';
import type { ScannedConfig } from './scan.ts';
import { recommendedBundle } from './summary.ts';
import { commitUnwrap, commitWrap, planUnwrap, planWrap, WrapError, type EditPlan, type GuardPrefix, type WrapTarget } from './wrap.ts';

/** `scan --wrap` and `scan --unwrap`: plans for every config, a diff to read, and the writes once confirmed. */

/** The guard as this installation starts it: this Node and this checkout's bin/atlas.mjs, both absolute, so any client can start it from any folder. */
export function defaultGuardPrefix(): GuardPrefix {
  return [process.execPath, fileURLToPath(new URL('../../../bin/atlas.mjs', import.meta.url))];
}

export const policiesDir = (contentDir: string) => join(contentDir, 'policies');

/** The secrets a config holds (env and header values): never shown in a diff. */
function secretsOf(config: ScannedConfig): string[] {
  const values = config.servers.flatMap((server) => [
    ...Object.values(server.launch.env ?? {}),
    ...Object.values(server.launch.headers ?? {}),
  ]);
  return [...new Set(values.filter((value) => value.length >= 4))].sort((a, b) => b.length - a.length);
}

export function redactedDiff(plan: EditPlan): string {
  if (plan.before === plan.after) return '';
  let diff = createTwoFilesPatch(plan.config.path, plan.config.path, plan.before, plan.after, 'now', 'after', { context: 1 });
  for (const secret of secretsOf(plan.config)) diff = diff.split(secret).join('‹value hidden›');
  return diff;
}

export interface ApplyResult {
  plans: EditPlan[];
  errors: string[];
  written: Array<{ path: string; backup: string }>;
  bundles: string[];
}

/** Finds each server's catalogue entry by its recorded source, and the bundle file it will run under. */
function targetsFrom(outcomes: ReadonlyMap<string, ServerOutcome>, contentDir: string) {
  const catalogue = existsSync(join(contentDir, 'servers')) ? readCatalog(contentDir) : [];
  const bundles = new Map<string, { path: string; text: string }>();
  const targetFor =
    (configIndex: number) =>
    (server: ScannedServer): WrapTarget => {
      const outcome = outcomes.get(outcomeKey(configIndex, server));
      if (outcome?.status === 'failed')
        return { policy: undefined, reason: `its import failed, so there is no bundle: ${outcome.reason.split('\n')[0]}` };
      const source = JSON.stringify(sourceFor(server));
      const slug = outcome?.status === 'imported' ? outcome.imported.slug : undefined;
      const entry = catalogue.find((candidate) =>
        slug ? candidate.server.slug === slug : JSON.stringify(candidate.server.source) === source,
      );
      if (!entry) return { policy: undefined, reason: 'not in the catalogue (run the scan without --no-start to import it)' };
      const path = resolve(policiesDir(contentDir), `${entry.server.slug}.json`);
      bundles.set(path, { path, text: policyJson(recommendedBundle(entry)) });
      return { policy: path };
    };
  return { targetFor, bundles };
}

export function applyWrap(
  configs: readonly ScannedConfig[],
  options: {
    mode: 'wrap' | 'unwrap';
    outcomes: ReadonlyMap<string, ServerOutcome>;
    contentDir: string;
    guard: GuardPrefix;
    write: boolean;
  },
): ApplyResult {
  const result: ApplyResult = { plans: [], errors: [], written: [], bundles: [] };
  const { targetFor, bundles } = targetsFrom(options.outcomes, options.contentDir);
  configs.forEach((config, index) => {
    if (!config.readable) return;
    if (options.mode === 'unwrap' && !config.servers.some((server) => server.wrapped)) return;
    if (options.mode === 'wrap' && config.servers.length === 0 && config.broken.length === 0) return;
    try {
      const text = readFileSync(config.path, 'utf8');
      result.plans.push(options.mode === 'wrap' ? planWrap(config, text, targetFor(index), options.guard) : planUnwrap(config, text));
    } catch (error) {
      if (!(error instanceof WrapError) && !(error instanceof Error)) throw error;
      result.errors.push(`${config.path}: ${error.message}`);
    }
  });
  if (!options.write) return result;
  // Bundles first: a wrapped config must never point at a policy file that is not there yet.
  for (const bundle of bundles.values()) {
    if (!result.plans.some((plan) => plan.after.includes(JSON.stringify(bundle.path).slice(1, -1)) || plan.after.includes(bundle.path)))
      continue;
    writeFileAtomic(bundle.path, bundle.text);
    result.bundles.push(bundle.path);
  }
  for (const plan of result.plans) {
    if (plan.before === plan.after) continue;
    try {
      const { backup } = options.mode === 'wrap' ? commitWrap(plan) : commitUnwrap(plan);
      result.written.push({ path: plan.config.path, backup });
    } catch (error) {
      result.errors.push(`${plan.config.path}: ${(error as Error).message}`);
    }
  }
  return result;
}

export function formatApply(result: ApplyResult, mode: 'wrap' | 'unwrap', write: boolean): string {
  const lines: string[] = [];
  for (const plan of result.plans) {
    const diff = redactedDiff(plan);
    if (diff) lines.push(diff.trimEnd());
    lines.push(
      `${plan.config.path}: ${plan.changed.length} ${mode === 'wrap' ? 'wrapped' : 'unwrapped'}${plan.left.length > 0 ? `, ${plan.left.length} left as they are` : ''}`,
    );
    for (const { name, detail } of plan.changed) lines.push(`  ${shown(name)}: ${detail}`);
    for (const { name, reason } of plan.left) lines.push(`  ${shown(name)} left as it is: ${reason}`);
  }
  for (const error of result.errors) lines.push(`ERROR ${error}`);
  if (!write) {
    const pending = result.plans.filter((plan) => plan.before !== plan.after).length;
    lines.push(
      pending > 0
        ? `Dry run: ${pending} file${pending === 1 ? '' : 's'} would change. Run again with --yes to write (each file is backed up first).`
        : 'Nothing to change.',
    );
  } else {
    for (const bundle of result.bundles) lines.push(`Wrote policy bundle ${bundle}`);
    for (const { path, backup } of result.written) lines.push(`Wrote ${path} (backup: ${backup})`);
  }
  return `${lines.join('\n')}\n`;
}
