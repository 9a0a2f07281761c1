/**
 * The one reference server of a node test run. PGlite costs seconds and hundreds of MB per
 * cold start, so every server test file in a process shares one server and one database,
 * started on first use and closed after the process's last test. Files isolate their tests
 * by fresh users and CRMs, as the browser tests do on their shared server.
 *
 * `npm run test:node` runs every server test file in one process (`all.ts`); a file run on
 * its own (`node --import tsx --test test/server/list.test.ts`) gets a server of its own.
 */
import { after } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** An origin the server allows (CORS), for the tests of cross-origin embedding. */
export const ALLOWED_ORIGIN = 'https://studio.example';

let started: Promise<TestServer> | undefined;

export function sharedServer(): Promise<TestServer> {
  started ??= startTestServer({ allowedOrigins: [ALLOWED_ORIGIN] });
  return started;
}

after(async () => {
  if (started) await (await started).close();
});
