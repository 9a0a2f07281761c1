/**
 * The element reference (docs/elements.md) is in step with the sources: the custom-elements manifest is
 * regenerated from the classes' JSDoc (cem analyze, into a temporary directory) and rendered
 * as `npm run docs` would; the page must hold exactly that. Fix: `npm run analyze && npm
 * run docs`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REFERENCE, referenceSection, renderApi, type Manifest } from '../../scripts/api-docs.js';

test('the element reference matches the manifest generated from the sources', async () => {
  const packageJson = () => readFileSync('package.json', 'utf8');
  const before = packageJson();
  // The analyzer resolves `outdir` against the working directory: a relative one it is.
  mkdirSync('node_modules/.cache', { recursive: true });
  const outdir = mkdtempSync(join('node_modules', '.cache', 'mm-cem-'));
  try {
    execFileSync(
      process.execPath,
      [
        'node_modules/@custom-elements-manifest/analyzer/cem.js',
        'analyze',
        '--config',
        'custom-elements-manifest.config.mjs',
        '--quiet',
      ],
      { env: { ...process.env, CEM_OUTDIR: outdir }, stdio: 'pipe' },
    );
    const manifest = JSON.parse(
      readFileSync(join(outdir, 'custom-elements.json'), 'utf8'),
    ) as Manifest;
    const tags = manifest.modules.flatMap((m) =>
      (m.declarations ?? []).map((d) => d.tagName).filter(Boolean),
    );
    for (const tag of [
      'mm-client-list',
      'mm-client-card',
      'mm-client-notes',
      'mm-session-roster',
      'mm-crm-provider',
    ]) {
      assert.ok(tags.includes(tag), `${tag} is in the manifest`);
    }
    // The analyzer leaves package.json alone: its `customElements` names the published file.
    assert.equal(packageJson(), before);
    assert.equal(JSON.parse(before).customElements, 'custom-elements.json');
    const expected = await renderApi(manifest);
    const actual = referenceSection(readFileSync(REFERENCE, 'utf8'));
    assert.equal(
      actual,
      expected,
      `${REFERENCE} is out of step with the elements: run \`npm run analyze && npm run docs\``,
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
