/**
 * The browser benchmarks' setting: the reference server in process (in-memory PGlite, fixed
 * clock), the bench page bundled with esbuild and served on the API's own origin (no CORS
 * preflights, as in the demo), and Debian's Chromium driven by puppeteer-core.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startServer, type RunningServer } from '../demo/server/index.js';
import { NOW } from './server.js';
import { keepDefineFiles } from './stats.js';
import { chromiumLaunchOptions } from '../test/helpers/chromium.js';

export interface Site {
  api: RunningServer;
  origin: string;
  browser: Browser;
  chromium: string;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

const HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench</title>
<style>
body { margin: 0; font: 14px system-ui, sans-serif; }
.b-client { display: flex; gap: 8px; align-items: center; min-height: 40px; }
.b-avatar { display: grid; place-items: center; width: 32px; height: 32px; border-radius: 50%; background: #e7eef7; font-size: 12px; flex: none; }
.b-who { display: flex; flex-direction: column; min-width: 0; }
.b-email { color: #666; font-size: 12px; overflow: hidden; text-overflow: ellipsis; }
.b-pill { display: inline-block; border: 1px solid #999; border-radius: 999px; padding: 0 8px; font-size: 12px; margin-right: 4px; }
.b-tag { display: inline-block; background: #f1f3f5; border-radius: 4px; padding: 0 6px; font-size: 12px; margin-right: 4px; }
</style>
<script type="module" src="/bench/page.js"></script></head><body></body></html>`;

/** `dataDir`: a PGlite data directory to serve (a copy: the server writes to it); in memory without. */
export async function startSite(dataDir = 'memory'): Promise<Site> {
  const api = await startServer({ port: 0, dataDir, now: NOW });
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('./pages/page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    write: false,
    logLevel: 'warning',
    plugins: [keepDefineFiles],
    tsconfigRaw: readFileSync(fileURLToPath(new URL('../tsconfig.json', import.meta.url)), 'utf8'),
  });
  const script = bundled.outputFiles[0]!.text;
  const http = await new Promise<Server>((resolve) => {
    const s = serve(
      {
        fetch: (req: Request) => {
          const path = new URL(req.url).pathname;
          if (path === '/bench/' || path === '/bench/index.html') {
            return new Response(HTML, { headers: { 'content-type': 'text/html; charset=utf-8' } });
          }
          if (path === '/bench/page.js') {
            return new Response(script, { headers: { 'content-type': 'text/javascript' } });
          }
          return api.fetch(req);
        },
        port: 0,
        hostname: '127.0.0.1',
      },
      () => resolve(s as Server),
    ) as Server;
  });
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const browser = await puppeteer.launch(await chromiumLaunchOptions());
  const chromium = await browser.version();
  return {
    api,
    origin,
    browser,
    chromium,
    async newPage() {
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      page.on('pageerror', (e) => console.error(`[page] ${String(e)}`));
      await page.goto(`${origin}/bench/`);
      await page.waitForFunction(() => 'bench' in window);
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections?.();
      });
      await api.close();
    },
  };
}
