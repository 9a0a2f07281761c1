/**
 * The reference CRM API server: configuration, start and stop.
 *
 * ```ts
 * const server = await startServer({ port: 0, dataDir: 'memory', now: '2026-06-15T12:00:00Z' });
 * await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
 * await server.close();
 * ```
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp } from './app.js';
import { openDatabase, recordServerUrl, type Db } from './db/database.js';
import { StartupError } from './startup-error.js';
import { mintDemoTokens, seedDemo, type DemoToken } from './seed/generate.js';
import { gracefulShutdown, SHUTDOWN_DEADLINE_MS, type ShutdownReport } from './shutdown.js';

export { createApp, type AppOptions } from './app.js';
export { openDatabase, recordServerUrl, type Db } from './db/database.js';
export { StartupError, exitOnStartupError } from './startup-error.js';
export { gracefulShutdown, SHUTDOWN_DEADLINE_MS, type ShutdownReport } from './shutdown.js';

export interface ServerConfig {
  /** TCP port; 0 picks a free one. Default 8787. */
  port?: number;
  /** Listen address. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** A PostgreSQL connection string; when absent, embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory, or 'memory'. Default '.data/crm'. */
  dataDir?: string;
  /** Fixes the server clock (ISO time): `CRM_NOW`. */
  now?: string;
  /** Enables the platform endpoints, authorised by this token: `CRM_PLATFORM_TOKEN`. */
  platformToken?: string;
  /** Origins allowed to call the API from a browser (CORS). */
  allowedOrigins?: string[];
  /** 'demo': seed an empty database with the demo data set and mint demo tokens. */
  seed?: 'demo';
  /** HMAC secret for pagination cursors (`CRM_CURSOR_SECRET`); random per process if absent. */
  cursorSecret?: string;
  /**
   * Failed authentications per client IP and minute before 429 (`CRM_AUTH_FAILURES_PER_MINUTE`,
   * default 100; 0 turns the limit off).
   */
  authFailuresPerMinute?: number;
  /** Slow clients are cut off: headers within 10 s, the whole request within 30 s (tests shorten them). */
  timeouts?: { headersMs: number; requestMs: number };
}

export interface RunningServer {
  url: string;
  port: number;
  app: Hono;
  fetch: (req: Request) => Promise<Response>;
  /**
   * Stops accepting connections, lets requests in flight finish (up to `deadlineMs`, default
   * 10 s), then cuts what is left and closes the database.
   */
  close(options?: { deadlineMs?: number }): Promise<ShutdownReport>;
  /** The database handle (for seeding and benchmarks in process). */
  db: Db;
  /** With `seed: 'demo'`: one fresh token per demo user. */
  demoTokens?: DemoToken[];
}

/** A client must send its request headers within this time (SPEC section 9). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** ... and its whole request within this time. */
export const REQUEST_TIMEOUT_MS = 30_000;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const config: ServerConfig = { port: env.PORT ? Number(env.PORT) : 8787 };
  if (!Number.isInteger(config.port) || config.port! < 0 || config.port! > 65535) {
    throw new StartupError(`PORT must be a port number, got ${env.PORT}`);
  }
  if (env.HOST) config.host = env.HOST;
  if (env.DATABASE_URL) config.databaseUrl = env.DATABASE_URL;
  if (env.CRM_DATA_DIR) config.dataDir = env.CRM_DATA_DIR;
  if (env.CRM_NOW) {
    if (Number.isNaN(Date.parse(env.CRM_NOW)))
      throw new StartupError(`CRM_NOW is not a time: ${env.CRM_NOW}`);
    config.now = env.CRM_NOW;
  }
  if (env.CRM_PLATFORM_TOKEN) config.platformToken = env.CRM_PLATFORM_TOKEN;
  if (env.CRM_SEED) {
    if (env.CRM_SEED !== 'demo')
      throw new StartupError(`CRM_SEED must be 'demo', got ${env.CRM_SEED}`);
    config.seed = 'demo';
  }
  if (env.CRM_ALLOWED_ORIGINS) {
    config.allowedOrigins = env.CRM_ALLOWED_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  }
  if (env.CRM_CURSOR_SECRET) config.cursorSecret = env.CRM_CURSOR_SECRET;
  if (env.CRM_AUTH_FAILURES_PER_MINUTE !== undefined && env.CRM_AUTH_FAILURES_PER_MINUTE !== '') {
    const n = Number(env.CRM_AUTH_FAILURES_PER_MINUTE);
    if (!Number.isInteger(n) || n < 0) {
      throw new StartupError(
        `CRM_AUTH_FAILURES_PER_MINUTE must be a whole number (0 turns the limit off), got ${env.CRM_AUTH_FAILURES_PER_MINUTE}`,
      );
    }
    config.authFailuresPerMinute = n;
  }
  return config;
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const fixed = config.now ? new Date(config.now) : undefined;
  if (fixed && Number.isNaN(fixed.getTime())) throw new Error(`now is not a time: ${config.now}`);
  const clock = () => (fixed ? new Date(fixed) : new Date());

  let demoTokens: DemoToken[] | undefined;
  if (config.seed === 'demo') {
    await seedDemo(db, { now: clock(), log: (line) => console.log(line) });
    demoTokens = await mintDemoTokens(db, clock());
  }

  const app = createApp({
    db,
    clock,
    platformToken: config.platformToken,
    allowedOrigins: config.allowedOrigins,
    cursorSecret: config.cursorSecret,
    authFailuresPerMinute: config.authFailuresPerMinute,
  });
  const fetch = async (req: Request) => app.fetch(req);
  const timeouts = config.timeouts ?? {
    headersMs: HEADERS_TIMEOUT_MS,
    requestMs: REQUEST_TIMEOUT_MS,
  };

  const port = config.port ?? 8787;
  const hostname = config.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const serverOptions = {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      // How often Node checks those two; its default (30 s) would let a slow client hold a
      // connection up to 40 s instead of 10.
      connectionsCheckingInterval: Math.min(1000, timeouts.headersMs / 2),
    };
    const s = serve({ fetch: app.fetch, port, hostname, serverOptions }, () =>
      resolve(s as Server),
    ) as Server;
    s.once('error', reject);
  }).catch(async (error: NodeJS.ErrnoException) => {
    await db.destroy();
    if (error.code === 'EADDRINUSE') {
      throw new StartupError(
        `Port ${port} on ${hostname} is in use (another server?). Stop it or choose another port: PORT=${port + 1}.`,
      );
    }
    throw error;
  });
  // Longer than clients' keep-alive, so a reused connection is never closed under a request.
  server.keepAliveTimeout = 65_000;
  const shutdown = gracefulShutdown(server);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  recordServerUrl(db, url);
  let closed: Promise<ShutdownReport> | undefined;
  return {
    url,
    port: address.port,
    app: app as unknown as Hono,
    fetch,
    db,
    ...(demoTokens ? { demoTokens } : {}),
    close(options) {
      closed ??= (async () => {
        const report = await shutdown(options?.deadlineMs ?? SHUTDOWN_DEADLINE_MS);
        await db.destroy();
        return report;
      })();
      return closed;
    },
  };
}
