/**
 * Bundle sizes: the standalone `dist/mm-crm.js` as `vite build` makes it (built into a temp
 * directory, so the shared dist/ is left alone), and each entry point bundled on its own with
 * esbuild (minified, every dependency inside: what a page pays for that element alone).
 * Sizes raw, gzip -9 and brotli.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { build } from 'esbuild';
import { keepDefineFiles } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const ENTRY_POINTS = [
  'src/mm-crm.ts',
  'src/mm-client-list.ts',
  'src/mm-client-card.ts',
  'src/mm-client-notes.ts',
  'src/mm-crm-provider.ts',
  'src/index.ts',
];

export interface Size {
  name: string;
  bytes: number;
  gzip: number;
  brotli: number;
}

export interface BundleResult {
  standalone: Size;
  entries: Size[];
}

function size(name: string, code: Uint8Array): Size {
  return {
    name,
    bytes: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
      .byteLength,
  };
}

export async function bundleBench(): Promise<BundleResult> {
  const out = mkdtempSync(join(tmpdir(), 'mm-bench-vite-'));
  try {
    execFileSync('npx', ['vite', 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const standalone = size('dist/mm-crm.js (vite build)', readFileSync(join(out, 'mm-crm.js')));
    const entries: Size[] = [];
    for (const entry of ENTRY_POINTS) {
      const result = await build({
        entryPoints: [join(ROOT, entry)],
        bundle: true,
        minify: true,
        format: 'esm',
        target: 'es2022',
        write: false,
        logLevel: 'warning',
        plugins: [keepDefineFiles],
      });
      entries.push(size(`${entry} (esbuild)`, result.outputFiles[0]!.contents));
    }
    return { standalone, entries };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
