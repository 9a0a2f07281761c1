/**
 * `npm run analyze`: custom-elements.json from the classes' JSDoc (`@summary`, `@fires`,
 * `@csspart`, `@cssprop`, `@slot`) and Lit's decorators (`--litelement`). The analyzer
 * parses with its own TypeScript (5.4), which reads this code base's syntax.
 *
 * Two plugins make the manifest describe the published package rather than the sources:
 * - `token-attribute`: the `token` attribute is handled by hand (read once into the
 *   property, then removed from the DOM), so the analyzer cannot see it; it is added to every
 *   element that has a `token` property.
 * - `dist-paths`: module paths `src/x.ts` become `dist/x.js`, what a consumer imports.
 */
const tokenAttribute = {
  name: 'token-attribute',
  packageLinkPhase({ customElementsManifest }) {
    for (const mod of customElementsManifest.modules ?? []) {
      for (const decl of mod.declarations ?? []) {
        if (!decl.customElement || !decl.members?.some((m) => m.name === 'token')) continue;
        decl.attributes ??= [];
        // The analyzer may have found the name in `observedAttributes`, without the rest.
        let attr = decl.attributes.find((a) => a.name === 'token');
        if (!attr) decl.attributes.push((attr = { name: 'token' }));
        attr.type ??= { text: 'string' };
        attr.description ??=
          'A short-lived bearer token for pages without script (site builders): read once into the `token` property, then removed from the DOM.';
        attr.fieldName ??= 'token';
      }
    }
  },
};

const toDist = (path) => path?.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');

const distPaths = {
  name: 'dist-paths',
  packageLinkPhase({ customElementsManifest }) {
    const visit = (value) => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (!value || typeof value !== 'object') return;
      for (const [key, child] of Object.entries(value)) {
        if ((key === 'path' || key === 'module') && typeof child === 'string')
          value[key] = toDist(child);
        else visit(child);
      }
    };
    visit(customElementsManifest.modules);
  },
};

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.styles.ts', 'src/api/**', 'src/shared/format.ts', 'src/shared/ui.ts'],
  outdir: process.env.CEM_OUTDIR ?? '.',
  litelement: true,
  plugins: [tokenAttribute, distPaths],
};
