/**
 * Starts the reference CRM API server for tests, in process: in-memory PGlite (or the
 * PostgreSQL of `TEST_DATABASE_URL`), the fixed test clock, the platform endpoints on, a
 * random loopback port. Used by the node tests and by web-test-runner's config, so it
 * imports no test runner.
 *
 * Tests isolate by creating fresh users and CRMs through the platform API, so one database
 * (even a shared PostgreSQL) serves every test.
 */
import { startServer, type RunningServer, type ServerConfig } from '../../demo/server/index.js';
import { Platform, TEST_NOW, TEST_PLATFORM_TOKEN } from './platform.js';

export interface TestServer extends RunningServer {
  platform: Platform;
}

export async function startTestServer(overrides: ServerConfig = {}): Promise<TestServer> {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const server = await startServer({
    port: 0,
    now: TEST_NOW,
    platformToken: TEST_PLATFORM_TOKEN,
    ...(databaseUrl ? { databaseUrl } : { dataDir: 'memory' }),
    ...overrides,
  });
  return Object.assign(server, {
    platform: new Platform(server.url, overrides.platformToken ?? TEST_PLATFORM_TOKEN),
  });
}
