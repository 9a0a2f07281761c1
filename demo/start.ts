/**
 * `npm start`: the demo on ONE origin, in ONE process. Vite serves the demo pages (and the
 * element sources, with hot reload) and the reference CRM API is mounted under `/v1` as
 * connect middleware (`getRequestListener(app.fetch)` from @hono/node-server), so the pages
 * call the API on their own origin: no CORS set-up, no second server.
 *
 * - Database: embedded PGlite in `CRM_DATA_DIR` (default `.data/crm`), or PostgreSQL when
 *   `DATABASE_URL` is set; the demo data set is seeded when the database is empty (the
 *   `CRM_SEED=demo` rule). The clock is the real one unless `CRM_NOW` is set.
 * - The platform endpoints are enabled with `CRM_PLATFORM_TOKEN`, or a random token made for
 *   this process that never leaves it.
 * - Dev-only endpoints under `/dev/` (part of this dev server, NOT of the reference API):
 *   `/dev/token?user=maya` mints a short-lived token through the platform API (what a
 *   studio's backend does), `/dev/outbox` proxies `GET /v1/platform/outbox` so that the
 *   platform token stays on the server, `/dev/users` lists the demo users.
 * - The site-builder pages are served as a site builder would, plain HTML with only the built
 *   standalone bundle `/dist/mm-crm.js` (built first when missing) and its lazy chunks, served
 *   byte for byte:
 *   - `/site-builder.html`, a mentor's page with no server: no token, "Sign in with
 *     MoveMentors" (SPEC section 6). It plays a site on ANOTHER origin than the CRM: its
 *     `{{api-base}}` is this server under the other loopback name (the page on
 *     `127.0.0.1:8787` signs in to `localhost:8787`, and the other way round), from where it
 *     also loads the bundle, as from a CDN (cross-origin: see `server.cors` below).
 *   - `/site-builder-token.html`, a builder WITH a server: same origin, and `{{token:maya}}`
 *     filled with a freshly minted short-lived token.
 * - Every page's empty `<nav aria-label="Demo pages"></nav>` is filled with the links of
 *   PAGES (the page's own marked current), here rather than copied into each page.
 *
 * `startDemo()` is also what the end-to-end test starts (in memory, smaller seed).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { sql } from 'kysely';
import { build, createServer, type Plugin, type ViteDevServer } from 'vite';
import {
  configFromEnv,
  createApp,
  exitOnStartupError,
  gracefulShutdown,
  HEADERS_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
  openDatabase,
  recordServerUrl,
  SHUTDOWN_DEADLINE_MS,
  type Db,
  type ServerConfig,
} from './server/index.js';
import { DEMO, seedDemo } from './server/seed/generate.js';
import { Scope } from '../src/api/schemas.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_DIR = join(ROOT, 'demo');
const BUNDLE = join(ROOT, 'dist', 'mm-crm.js');
/** http(s) origins of this machine: `localhost` (and its subdomains), 127.0.0.1, [::1]. */
const LOOPBACK_ORIGIN = /^https?:\/\/(?:(?:[^:/]+\.)?localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/;
/** Tokens handed to pages live 15 minutes; `getToken` asks again after a 401. */
const PAGE_TOKEN_TTL = 15 * 60;
/** Tokens printed in the terminal, for curl and for pasting, live 12 hours. */
const PRINTED_TOKEN_TTL = 12 * 60 * 60;

export interface DemoUser {
  key: string;
  userId: string;
  name: string;
  email: string;
  /** The CRMs this user can open, owner's first. */
  crms: { id: string; name: string }[];
}

/** The demo users, by a short key usable in URLs (`maya`, `olive`, `jonas`, ...). */
export const DEMO_USERS: DemoUser[] = [
  {
    key: 'maya',
    userId: DEMO.mentor.id,
    name: DEMO.mentor.name,
    email: DEMO.mentor.email,
    crms: [
      { id: DEMO.mentorCrm, name: 'Maya Ortiz Yoga' },
      { id: DEMO.studioCrm, name: 'Lotus Movement Studio' },
    ],
  },
  {
    key: 'olive',
    userId: DEMO.owner.id,
    name: DEMO.owner.name,
    email: DEMO.owner.email,
    crms: [{ id: DEMO.studioCrm, name: 'Lotus Movement Studio' }],
  },
  ...DEMO.teachers.map(([userId, name]) => ({
    key: name.split(' ')[0]!.toLowerCase(),
    userId,
    name,
    email: `${name.split(' ')[0]!.toLowerCase()}@lotus-studio.example`,
    crms: [{ id: DEMO.studioCrm, name: 'Lotus Movement Studio' }],
  })),
];

/**
 * The demo pages: the path, the link's label in every page's nav (`null`: not in the nav) and
 * what the terminal says of the page.
 */
export const PAGES: readonly (readonly [path: string, nav: string | null, what: string])[] = [
  ['/', 'All pages', 'index: the list of demo pages'],
  [
    '/dashboard.html',
    'Mentor dashboard',
    "mentor dashboard: Maya's own CRM, list + card + notes in a provider",
  ],
  [
    '/studio.html',
    'Studio admin',
    'studio shared-CRM admin: teacher column and filter, shared notes',
  ],
  [
    '/classes.html',
    "Today's classes",
    "today's classes: a teacher's rosters with badges, alerts and notes",
  ],
  [
    '/site-builder.html',
    'Site builder',
    'site builder: plain HTML, only dist/mm-crm.js and for=; Sign in with MoveMentors',
  ],
  [
    '/site-builder-token.html',
    null,
    'site builder with a server: the same page with a short-lived token attribute',
  ],
  ['/theming.html', 'Theming', 'theming: dark, custom accent and font through --mm-* and ::part()'],
  ['/outbox.html', 'Outbox', 'dev outbox: every email the server would have sent'],
];

/**
 * A page's `<nav aria-label="Demo pages"></nav>` filled with the links of PAGES, the page at
 * `path` marked `aria-current="page"`: one list of the pages instead of a copy in each page.
 */
function withDemoNav(html: string, path: string): string {
  const current = path === '/index.html' ? '/' : path;
  return html.replace(/^([ \t]*)<nav aria-label="Demo pages"><\/nav>/m, (_, indent: string) => {
    const links = PAGES.filter(([, label]) => label !== null).map(
      ([href, label]) =>
        `${indent}  <a href="${href}"${href === current ? ' aria-current="page"' : ''}>${label}</a>`,
    );
    return [`${indent}<nav aria-label="Demo pages">`, ...links, `${indent}</nav>`].join('\n');
  });
}

/**
 * The server's settings (`configFromEnv()`: `PORT`, `HOST`, `DATABASE_URL`, `CRM_DATA_DIR`,
 * `CRM_NOW`, `CRM_PLATFORM_TOKEN`, `CRM_ALLOWED_ORIGINS`, `CRM_CURSOR_SECRET`) and the
 * demo's own. Without a platform token, one is made for this process.
 */
export interface DemoOptions extends Omit<ServerConfig, 'seed'> {
  /** Seed sizes; `false` seeds nothing. Default: the full demo data set. */
  seed?: false | { mentorClients?: number; studioClients?: number };
  /** Build `dist/mm-crm.js`: 'if-stale' (default: missing or older than a source), 'always' or 'never'. */
  buildBundle?: 'if-stale' | 'always' | 'never';
  /** Vite's HMR and file watching; off for tests. Default true. */
  watch?: boolean;
  log?: (line: string) => void;
}

export interface RunningDemo {
  url: string;
  vite: ViteDevServer;
  db: Db;
  /** Mints a token for a demo user (by key) through the platform API. */
  mintToken(userKey: string, ttlSeconds?: number): Promise<{ token: string; expiresAt: string }>;
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const log = options.log ?? ((line: string) => console.log(line));
  // The database first: a data directory held by another server refuses before any build.
  const dataDir = options.dataDir ?? '.data/crm';
  const db = await openDatabase({ databaseUrl: options.databaseUrl, dataDir });
  const buildMode = options.buildBundle ?? 'if-stale';
  if (buildMode === 'always' || (buildMode === 'if-stale' && bundleIsStale())) {
    const t = Date.now();
    log('Building the standalone bundle dist/mm-crm.js ...');
    await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
    log(`  built in ${Date.now() - t} ms`);
  }

  const fixed = options.now ? new Date(options.now) : undefined;
  if (fixed && Number.isNaN(fixed.getTime()))
    throw new Error(`CRM_NOW is not a time: ${options.now}`);
  const clock = () => (fixed ? new Date(fixed) : new Date());
  if (options.seed !== false) {
    const crms = await sql<{ n: number }>`select count(*)::int as n from crms`.execute(db);
    if (Number(crms.rows[0]?.n) === 0)
      log('Empty database: seeding the demo data set (once; up to a minute) ...');
    await seedDemo(db, { now: clock(), ...options.seed, log });
  }

  const platformToken = options.platformToken ?? `dev_${randomBytes(24).toString('base64url')}`;
  const app = createApp({
    db,
    clock,
    platformToken,
    allowedOrigins: options.allowedOrigins,
    cursorSecret: options.cursorSecret,
    authFailuresPerMinute: options.authFailuresPerMinute,
    // The sign-in popup offers "Sign in as a demo user" on this dev server only (SPEC 6).
    demoSignIn: DEMO_USERS.map(({ userId, name, email }) => ({ userId, name, email })),
  });
  const api = getRequestListener(app.fetch);

  const platform = async (method: string, path: string, body?: unknown) => {
    const res = await app.fetch(
      new Request(`http://localhost${path}`, {
        method,
        headers: {
          authorization: `Bearer ${platformToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };

  const mintToken = async (userKey: string, ttlSeconds = PAGE_TOKEN_TTL) => {
    const user = DEMO_USERS.find((u) => u.key === userKey);
    if (!user) throw new Error(`No demo user ${userKey}`);
    return (await platform('POST', '/v1/platform/tokens', {
      userId: user.userId,
      scopes: Scope.options,
      ttlSeconds,
    })) as { token: string; expiresAt: string };
  };

  const sigtermBefore = new Set(process.listeners('SIGTERM'));
  const vite = await createServer({
    root: DEMO_DIR,
    configFile: false,
    clearScreen: false,
    logLevel: 'warn',
    appType: 'mpa',
    server: {
      port: options.port ?? 8787,
      host: options.host ?? '127.0.0.1',
      strictPort: false,
      fs: { allow: [ROOT] },
      // CORS for pages of this machine's other origins only (Vite's default, said here since
      // the site-builder page relies on it): it loads the bundle and its lazy chunks from
      // the other loopback name. Other origins get no CORS header.
      cors: { origin: LOOPBACK_ORIGIN },
      ...(options.watch === false ? { hmr: false, watch: null } : {}),
    },
    plugins: [
      devPlugin({
        allowedHosts: new Set(['localhost', '127.0.0.1', '::1', options.host ?? '127.0.0.1']),
        api,
        platform,
        mintToken,
      }),
    ],
  });
  // Slow clients are cut off as by the API server (Node checks every 30 s here: Vite creates
  // the server, so its check interval cannot be shortened).
  if (vite.httpServer && 'headersTimeout' in vite.httpServer) {
    vite.httpServer.headersTimeout = HEADERS_TIMEOUT_MS;
    vite.httpServer.requestTimeout = REQUEST_TIMEOUT_MS;
  }
  // Vite exits on SIGTERM by itself (closing its server, exit code 143) and its close()
  // destroys open sockets: this process's own handler stops it, after answering the
  // requests already sent.
  for (const listener of process.listeners('SIGTERM')) {
    if (!sigtermBefore.has(listener)) process.off('SIGTERM', listener);
  }
  const shutdown = vite.httpServer ? gracefulShutdown(vite.httpServer as Server) : undefined;
  await vite.listen();
  const url = (vite.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');
  recordServerUrl(db, url);

  let closed: Promise<void> | undefined;
  return {
    url,
    vite,
    db,
    mintToken,
    close() {
      closed ??= (async () => {
        await shutdown?.(SHUTDOWN_DEADLINE_MS);
        await vite.close();
        await db.destroy();
      })();
      return closed;
    },
  };
}

/** True when `dist/mm-crm.js` is missing or older than a file under `src/`. */
function bundleIsStale(): boolean {
  if (!existsSync(BUNDLE)) return true;
  const built = statSync(BUNDLE).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newer(path) : statSync(path).mtimeMs > built;
    });
  return newer(join(ROOT, 'src'));
}

interface DevDeps {
  /** Host names the dev endpoints answer (loopback names and the configured host). */
  allowedHosts: ReadonlySet<string>;
  api: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;
  platform: (method: string, path: string, body?: unknown) => Promise<unknown>;
  mintToken: (
    userKey: string,
    ttlSeconds?: number,
  ) => Promise<{ token: string; expiresAt: string }>;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * A dev endpoint answers only its own pages: a request that says it comes from another
 * site (a browser sends `Sec-Fetch-Site` and `Origin`) is refused, so another tab cannot mint
 * tokens; and the `Host` must be a loopback name or the configured host, so a DNS-rebinding
 * page (whose origin and host would match) cannot either. The server also listens on
 * loopback only by default.
 */
function sameOrigin(req: IncomingMessage, allowedHosts: ReadonlySet<string>): boolean {
  const host = req.headers.host ?? '';
  const hostname = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  if (!allowedHosts.has(hostname)) return false;
  const site = req.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  return !origin || origin === `http://${host}`;
}

/** The API under /v1, the dev endpoints, the site-builder page and the built bundle. */
function devPlugin({ allowedHosts, api, platform, mintToken }: DevDeps): Plugin {
  return {
    name: 'mm-crm-dev',
    transformIndexHtml: (html, { path }) => withDemoNav(html, path),
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const path = url.pathname;
        // The API, and its sign-in pages and endpoints (SPEC section 6).
        if (/^\/(v1|oauth)\/|^\/\.well-known\/oauth-authorization-server$/.test(path)) {
          void api(req, res);
          return;
        }
        if (path.startsWith('/dev/')) {
          if (!sameOrigin(req, allowedHosts))
            return sendJson(res, 403, { error: 'dev endpoints answer same-origin pages only' });
          void devEndpoint(path, url.searchParams, res).catch((error: unknown) =>
            sendJson(res, 500, { error: String(error) }),
          );
          return;
        }
        // The bundle and its lazy chunks (`mm-crm.<name>.js`, see vite.config.ts).
        if (/^\/dist\/mm-crm(\.[\w-]+)?\.js(\.map)?$/.test(path)) {
          const file = join(ROOT, path);
          if (!existsSync(file)) return sendJson(res, 404, { error: 'run npm run build' });
          res.writeHead(200, {
            'content-type': path.endsWith('.js') ? 'text/javascript' : 'application/json',
            'cache-control': 'no-cache',
          });
          res.end(readFileSync(file));
          return;
        }
        if (path === '/site-builder.html' || path === '/site-builder-token.html') {
          // The token page carries freshly minted tokens: loopback host names only (see
          // sameOrigin); the other page names this server under another one.
          const host = req.headers.host ?? '';
          const hostname = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
          if (!allowedHosts.has(hostname)) return sendJson(res, 403, { error: 'unknown host' });
          void siteBuilderPage(path, host, res).catch((error: unknown) =>
            sendJson(res, 500, { error: String(error) }),
          );
          return;
        }
        next();
      });
    },
  };

  async function devEndpoint(path: string, query: URLSearchParams, res: ServerResponse) {
    if (path === '/dev/token') {
      const key = query.get('user') ?? 'maya';
      if (!DEMO_USERS.some((u) => u.key === key))
        return sendJson(res, 404, { error: `no demo user ${key}` });
      return sendJson(res, 200, await mintToken(key));
    }
    if (path === '/dev/outbox')
      return sendJson(res, 200, await platform('GET', '/v1/platform/outbox'));
    if (path === '/dev/users') return sendJson(res, 200, { users: DEMO_USERS });
    return sendJson(res, 404, { error: 'no such dev endpoint' });
  }

  /**
   * A site-builder page as its host would serve it, plain HTML: `{{api-base}}` is this server
   * under its other loopback name (`host` is how the page was asked for), so that the page is
   * on another origin than the CRM, as a mentor's site is; a short-lived token is pasted into
   * `token="{{token:maya}}"` by the server (here: minted per page view).
   */
  async function siteBuilderPage(path: string, host: string, res: ServerResponse) {
    let html = withDemoNav(readFileSync(join(DEMO_DIR, path.slice(1)), 'utf8'), path);
    const port = /:(\d+)$/.exec(host)?.[1];
    const other = host.replace(/:\d+$/, '') === 'localhost' ? '127.0.0.1' : 'localhost';
    html = html.replaceAll('{{api-base}}', `http://${other}${port ? `:${port}` : ''}`);
    const keys = new Set([...html.matchAll(/\{\{token:([a-z]+)\}\}/g)].map((m) => m[1]!));
    for (const key of keys) {
      const { token } = await mintToken(key);
      html = html.replaceAll(`{{token:${key}}}`, token);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  }
}

async function main() {
  const started = Date.now();
  // The server's own settings; CRM_SEED is moot here: the demo seeds an empty database.
  const config = (() => {
    try {
      return { ...configFromEnv(), seed: undefined };
    } catch (error) {
      return exitOnStartupError(error);
    }
  })();
  const demo = await startDemo(config).catch(exitOnStartupError);
  const lines = [
    '',
    `MoveMentors CRM demo ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${demo.url}/`,
    `  API on the same origin: ${demo.url}/v1/me`,
    `  Database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir ?? '.data/crm'}`}`,
    `  Clock: ${config.now ? `fixed at ${config.now} (CRM_NOW)` : 'real time'}`,
    '',
    'Pages:',
    ...PAGES.map(([path, , what]) => `  ${demo.url}${path.padEnd(26)} ${what}`),
    '',
    `Demo tokens (every scope, valid ${PRINTED_TOKEN_TTL / 3600} h; pages get their own 15-minute tokens):`,
  ];
  const tokens: string[] = [];
  for (const user of DEMO_USERS) {
    const { token } = await demo.mintToken(user.key, PRINTED_TOKEN_TTL);
    tokens.push(token);
    lines.push(
      `  ${user.name.padEnd(14)} ${user.crms
        .map((c) => c.id)
        .join(', ')
        .padEnd(30)} ${token}`,
    );
  }
  lines.push('', `Try: curl -H 'Authorization: Bearer ${tokens[0]}' ${demo.url}/v1/me`, '');
  console.log(lines.join('\n'));

  // Ctrl-C reaches npm and this process, and npm relays it once more: act on the first.
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: answering the requests already sent (up to 10 s), then stopping ...`);
    await demo.close();
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
