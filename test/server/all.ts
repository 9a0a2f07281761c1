/**
 * Every server test file (`*.test.ts` in this folder) in one process, so they share one
 * server and database (`shared.ts`): `npm run test:node` runs this file. Node 20's test
 * runner has no global set-up or in-process isolation mode, so the files are imported here,
 * in name order; their tests run one after another, reported as usual.
 */
import { readdirSync } from 'node:fs';

const folder = new URL('./', import.meta.url);
for (const file of readdirSync(folder)
  .filter((name) => name.endsWith('.test.ts'))
  .sort()) {
  await import(new URL(file, folder).href);
}
