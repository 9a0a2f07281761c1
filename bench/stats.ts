/** Small helpers shared by the benchmark parts: percentiles, timing, the results file. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile of an unsorted sample. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarise(sample: readonly number[]): Summary {
  return {
    n: sample.length,
    p50: round(percentile(sample, 50)),
    p95: round(percentile(sample, 95)),
    max: round(Math.max(...sample)),
  };
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Milliseconds taken by `fn`. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function allResults(): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    return {}; // first run
  }
}

/** One part's results in bench/results.json, if any. */
export function readResults(part: string): unknown {
  return allResults()[part];
}

/** Merges one part's results into bench/results.json (other parts' results are kept). */
export function saveResults(part: string, value: unknown): void {
  const all = allResults();
  all[part] = value;
  writeFileSync(RESULTS_FILE, JSON.stringify(all, null, 2) + '\n');
}

/**
 * Merges per-database entries of a part (`server`, `search`): a database measured now gets
 * the fields measured now, over its earlier entry (a part not run, an empty list or null,
 * keeps its earlier figures); other databases keep theirs.
 */
export function saveByDb(part: string, entries: readonly { db: string }[]): void {
  const before = (readResults(part) as Record<string, unknown>[] | undefined) ?? [];
  const measured = (e: object) =>
    Object.fromEntries(
      Object.entries(e).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)),
    );
  const merged = entries.map((e) => ({ ...before.find((b) => b.db === e.db), ...measured(e) }));
  const others = before.filter((b) => !entries.some((e) => e.db === b.db));
  saveResults(part, [...merged, ...others]);
}

/** A plain-text table: the first row is the header. */
export function table(rows: readonly (readonly (string | number)[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  const line = (r: readonly (string | number)[]) =>
    r
      .map((c, i) =>
        typeof c === 'number' ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!),
      )
      .join('  ');
  return [
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}

export const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/**
 * esbuild plugin: the define files (`mm-*.js`) always have side effects. package.json's
 * `sideEffects` lists their dist/ paths (what consumers' bundlers see); bundling from src/
 * would otherwise drop `import './mm-client-list.js'` and with it the element definitions.
 */
export const keepDefineFiles: Plugin = {
  name: 'keep-define-files',
  setup(build) {
    build.onResolve({ filter: /(^|\/)mm-[\w-]+\.js$/ }, async (args) => {
      if ((args.pluginData as { inner?: boolean } | undefined)?.inner) return undefined;
      const r = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { inner: true },
      });
      if (r.errors.length > 0) return { errors: r.errors };
      return { path: r.path, namespace: r.namespace, sideEffects: true };
    });
  },
};
