/**
 * `vite build` makes the standalone bundle `dist/mm-crm.js`: every element defined, the
 * dependencies inside, minified, for a `<script type="module">` tag. (Not Vite's library
 * mode: that leaves an ES bundle's whitespace in.) The npm package's per-file modules and
 * types come from `tsc -p tsconfig.build.json` (see `npm run build`).
 */
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    minify: true,
    copyPublicDir: false,
    rollupOptions: {
      input: { 'mm-crm': 'src/mm-crm.ts' },
      preserveEntrySignatures: 'strict',
      output: { entryFileNames: '[name].js', inlineDynamicImports: true, format: 'es' },
    },
  },
});
