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
import { posix } from 'node:path';

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

/**
 * Module references as the analyzer writes them are mixed (`src/x.ts`, `/src/x.js`,
 * `./x.js` relative to the module); all become package paths `dist/x.js`. An import that is
 * re-exported (`import {X} from './x.js'; export {X}`) is recorded as declared in the
 * re-exporting module: it is pointed at the module that declares it.
 */
const distPaths = {
  name: 'dist-paths',
  packageLinkPhase({ customElementsManifest }) {
    const modules = customElementsManifest.modules ?? [];
    const normal = (ref, from) => {
      let path = ref.replace(/^\//, '');
      if (path.startsWith('./') || path.startsWith('../')) {
        path = posix.normalize(posix.join(posix.dirname(from), path));
      }
      return toDist(path).replace(/^src\//, 'dist/');
    };
    for (const mod of modules) mod.path = toDist(mod.path);
    const declaredIn = new Map();
    for (const mod of modules)
      for (const d of mod.declarations ?? []) declaredIn.set(d.name, mod.path);
    const visit = (value, from) => {
      if (Array.isArray(value)) return value.forEach((v) => visit(v, from));
      if (!value || typeof value !== 'object') return;
      for (const [key, child] of Object.entries(value)) {
        if (key === 'module' && typeof child === 'string') value[key] = normal(child, from);
        else visit(child, from);
      }
      if (value.name && typeof value.module === 'string') {
        const home = declaredIn.get(value.name);
        const here = modules.find((m) => m.path === value.module);
        if (home && here && !(here.declarations ?? []).some((d) => d.name === value.name))
          value.module = home;
      }
    };
    for (const mod of modules) {
      visit(mod.declarations, mod.path);
      visit(mod.exports, mod.path);
    }
  },
};

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.styles.ts', 'src/api/**', 'src/shared/format.ts', 'src/shared/ui.ts'],
  outdir: process.env.CEM_OUTDIR ?? '.',
  // package.json's `customElements` is written by hand: the analyzer would write its outdir
  // there, a temporary folder when the README check runs it.
  packagejson: false,
  litelement: true,
  plugins: [tokenAttribute, distPaths],
};
