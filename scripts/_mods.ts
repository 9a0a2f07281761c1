import { build } from 'vite';
import { gzipSync } from 'node:zlib';
await build({
  configFile: 'vite.config.ts', logLevel: 'error',
  build: { write: false, sourcemap: false },
  plugins: [{ name: 'x', generateBundle(_, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      const rows = Object.entries(chunk.modules).map(([k, m]) => [k.replace(process.cwd() + '/', ''), m.renderedLength, m.code ? gzipSync(m.code, { level: 9 }).length : 0] as const).sort((a, b) => b[1] - a[1]);
      for (const [k, l, g] of rows) if (l) console.log(String(l).padStart(7), String(g).padStart(6), k);
    }
  } }],
});
