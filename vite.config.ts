/**
 * `vite build` makes the standalone bundle `dist/mm-crm.js`: every element defined, the
 * dependencies inside, minified, for a `<script type="module">` tag. (Not Vite's library
 * mode: that leaves an ES bundle's whitespace in.) The npm package's per-file modules and
 * types come from `tsc -p tsconfig.build.json` (see `npm run build`).
 *
 * `minifyLitTemplates`: a JS minifier leaves template literals alone, so the Lit `css`
 * and `html` templates would keep their indentation. In this build only, the static parts of
 * `css` templates are minified with Lightning CSS and the indentation of `html` templates is
 * dropped (a newline stays a newline: same rendering, same line numbers for the source map).
 *
 * `shortCustomProperties`: the elements' private custom properties (`--_*`, never set from
 * outside) get short names in this build, the same in the bundle and in its lazy chunks.
 *
 * Lazy chunks: an element too big for the bundle's budget is loaded on first use, by a
 * dynamic `import('./x.js')` (see src/shared/lazy-define.ts). Rolldown puts it in a chunk
 * `mm-crm.<name>.js` beside the bundle; the chunk imports what it shares with the bundle (Lit,
 * the API client...) from `./mm-crm.js` itself (`preserveEntrySignatures: 'allow-extension'`
 * lets the bundle export those internals), so nothing is loaded twice. What only lazy chunks
 * share (the card's parts and dialogs: card-shared.ts) is a chunk of its own, which they import
 * and which loads with the first of them; the bundle itself imports no chunk (`npm run size`
 * fails if it does). A dynamic import resolves against the importing module's own URL: a site
 * builder still needs one script tag, wherever the files are hosted. `plainDynamicImports`
 * drops Vite's preload helper (0.7 KB gzipped), which has nothing to preload here.
 *
 * Not done, on purpose: renaming the dependencies' `_`-prefixed members (esbuild
 * `mangleProps`). It saved 0.9 KB gzipped, but a member read by string anywhere in Lit, the
 * virtualizer or zod would break the site builders' bundle in a path only a full browser run
 * of that bundle would catch.
 */
import { parse } from 'acorn';
import { transform as transformCss } from 'lightningcss';
import { defineConfig, type Plugin } from 'vite';

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}
interface Quasi extends Node {
  value: { raw: string };
}

/** Every tagged template `css\`...\`` / `html\`...\`` / `svg\`...\`` in a JS AST. */
function taggedTemplates(root: Node): { tag: string; quasis: Quasi[] }[] {
  const found: { tag: string; quasis: Quasi[] }[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as Node;
    if (n.type === 'TaggedTemplateExpression') {
      const tag = n.tag as Node & { name?: string };
      const quasi = n.quasi as Node & { quasis: Quasi[] };
      if (
        tag.type === 'Identifier' &&
        (tag.name === 'css' || tag.name === 'html' || tag.name === 'svg')
      ) {
        found.push({ tag: tag.name, quasis: quasi.quasis });
      }
    }
    for (const key of Object.keys(n)) if (key !== 'type') visit(n[key]);
  };
  visit(root);
  return found;
}

const newlines = (text: string) => text.split('\n').length - 1;

function minifyCss(raw: string, id: string): string {
  try {
    const { code } = transformCss({ filename: id, code: Buffer.from(raw), minify: true });
    const min = code.toString();
    // Keep the template's line count so that the source map stays right.
    return min + '\n'.repeat(newlines(raw));
  } catch {
    return raw.replace(/\n[ \t]+/g, '\n');
  }
}

export function minifyLitTemplates(): Plugin {
  return {
    name: 'minify-lit-templates',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (!/\/src\/.*\.[jt]s$/.test(id) || !/\b(css|html|svg)`/.test(code)) return null;
      const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as Node;
      const edits: { start: number; end: number; text: string }[] = [];
      for (const { tag, quasis } of taggedTemplates(ast)) {
        if (tag === 'css' && quasis.length === 1) {
          const q = quasis[0]!;
          edits.push({ start: q.start, end: q.end, text: minifyCss(q.value.raw, id) });
          continue;
        }
        for (const q of quasis) {
          // css with interpolations: indentation only; html/svg: indentation only.
          const text = q.value.raw.replace(/\n[ \t]+/g, '\n');
          if (text !== q.value.raw) edits.push({ start: q.start, end: q.end, text });
        }
      }
      if (!edits.length) return null;
      let out = code;
      for (const e of edits.sort((a, b) => b.start - a.start)) {
        out = out.slice(0, e.start) + e.text + out.slice(e.end);
      }
      return { code: out, map: null };
    },
  };
}

export function shortCustomProperties(): Plugin {
  // One map for the whole build: a lazy chunk's styles read the bundle's `--_*` tokens
  // (`var(--_space)`), so a name must get the same short name in every chunk.
  let names = new Map<string, string>();
  return {
    name: 'short-custom-properties',
    apply: 'build',
    buildStart() {
      names = new Map();
    },
    renderChunk(chunk) {
      // `--_list-height` becomes `--_0`, `--_1`, ... consistently across the bundle and its chunks.
      const code = chunk.replace(/--_[\w-]+/g, (name) => {
        if (!names.has(name)) names.set(name, `--_${names.size.toString(36)}`);
        return names.get(name)!;
      });
      return { code, map: null };
    },
  };
}

const PRELOAD_HELPER = '\0vite/preload-helper.js';

/**
 * Vite wraps each dynamic import in `__vitePreload(() => import(...), deps)`, which preloads
 * the chunk's dependencies with `<link rel=modulepreload>` and dispatches `vite:preloadError`.
 * A lazy chunk here depends only on the bundle, which is already loaded: the helper is
 * replaced by one that just imports. Fails the build if Vite's helper comes back (a Vite
 * upgrade renaming its virtual module), rather than shipping it unnoticed.
 */
export function plainDynamicImports(): Plugin {
  return {
    name: 'plain-dynamic-imports',
    apply: 'build',
    enforce: 'pre',
    resolveId: (id) => (id === PRELOAD_HELPER ? id : null),
    load: (id) => (id === PRELOAD_HELPER ? 'export const __vitePreload = (load) => load();' : null),
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && chunk.code.includes('vite:preloadError')) {
          this.error(`${chunk.fileName} contains Vite's preload helper: see plainDynamicImports`);
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [plainDynamicImports(), minifyLitTemplates(), shortCustomProperties()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    minify: true,
    copyPublicDir: false,
    modulePreload: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: { 'mm-crm': 'src/mm-crm.ts' },
      preserveEntrySignatures: 'allow-extension',
      output: {
        entryFileNames: '[name].js',
        // `import('./mm-session-roster.js')` → `mm-crm.session-roster.js`: a dot, so that no
        // chunk can take the name of one of tsc's per-element modules (`mm-crm-provider.js`).
        chunkFileNames: ({ name }) => `mm-crm.${name.replace(/^mm-/, '')}.js`,
        format: 'es',
      },
    },
  },
});
