/**
 * The README's npm snippet compiles as pasted into a project made by `npm create vite` with the
 * TypeScript template: the compiler options below are that template's `tsconfig.app.json`
 * (Vite 7 and 8), among them `noUnusedLocals`, which rejects an import the snippet does not use
 * (TS6192). The package resolves to its sources, as its `exports` resolve to their `.d.ts`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const npmSnippet = () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('### By npm'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(match, 'the README has a ```ts block under "By npm"');
  return match[1]!;
};

test("the README's npm snippet compiles in a Vite TypeScript project", () => {
  const file = resolve('node_modules/.cache/readme-snippet/main.ts');
  const source = npmSnippet();
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    useDefineForClassFields: true,
    module: ts.ModuleKind.ESNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['vite/client'],
    skipLibCheck: true,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    moduleDetection: ts.ModuleDetectionKind.Force,
    noEmit: true,
    strict: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    erasableSyntaxOnly: true,
    noFallthroughCasesInSwitch: true,
    noUncheckedSideEffectImports: true,
    baseUrl: resolve('.'),
    paths: {
      '@movementors/crm-elements': ['src/index.ts'],
      '@movementors/crm-elements/*.js': ['src/*.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (resolve(name) === file ? source : readFile(name));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => resolve(name) === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const snippet = program.getSourceFile(file)!;
  const errors = [
    ...program.getSyntacticDiagnostics(snippet),
    ...program.getSemanticDiagnostics(snippet),
  ].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(errors, []);
});

test('an unused import in the snippet would be caught (the check is live)', () => {
  // The same compile on a snippet with an import it never uses must fail: guards the test above
  // against passing on a program that does not see the snippet at all.
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    noUnusedLocals: true,
    noEmit: true,
    types: [],
    baseUrl: resolve('.'),
    paths: { '@movementors/crm-elements': ['src/index.ts'] },
  };
  const file = resolve('node_modules/.cache/readme-snippet/unused.ts');
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) =>
    resolve(name) === file
      ? "import { MmClientList } from '@movementors/crm-elements';\nexport {};\n"
      : readFile(name);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => resolve(name) === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const codes = program.getSemanticDiagnostics(program.getSourceFile(file)).map((d) => d.code);
  assert.ok(codes.includes(6133) || codes.includes(6192), `unused import reported: ${codes}`);
});
