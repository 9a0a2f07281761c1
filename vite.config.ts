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
 * outside) get short names in this build.
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
  return {
    name: 'short-custom-properties',
    apply: 'build',
    renderChunk(chunk) {
      // `--_list-height` becomes `--_0`, `--_1`, ... consistently across the bundle.
      const names = new Map<string, string>();
      const code = chunk.replace(/--_[\w-]+/g, (name) => {
        if (!names.has(name)) names.set(name, `--_${names.size.toString(36)}`);
        return names.get(name)!;
      });
      return { code, map: null };
    },
  };
}

export default defineConfig({
  plugins: [minifyLitTemplates(), shortCustomProperties()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    minify: true,
    copyPublicDir: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: { 'mm-crm': 'src/mm-crm.ts' },
      preserveEntrySignatures: 'strict',
      output: { entryFileNames: '[name].js', codeSplitting: false, format: 'es' },
    },
  },
});
