/**
 * What the end-to-end tests share: `npm start`'s server (startDemo: Vite and the API on one
 * origin, PGlite in memory, a small demo seed) and a headless Chromium (puppeteer-core, the
 * browser chromium.ts finds), and reading the elements' shadow DOM from a page.
 */
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { startDemo, type RunningDemo } from '../../demo/start.js';
import { chromiumLaunchOptions } from './chromium.js';

/** The demo with `clients` clients in each demo CRM, and a browser. */
export async function startDemoAndBrowser(
  clients: number,
): Promise<{ demo: RunningDemo; browser: Browser }> {
  const demo = await startDemo({
    port: 0,
    dataDir: 'memory',
    seed: { mentorClients: clients, studioClients: clients },
    watch: false,
    log: () => {},
  });
  return { demo, browser: await puppeteer.launch(await chromiumLaunchOptions()) };
}

/** The shadow-DOM element `selector` inside the light-DOM element `host`, once it is there. */
export async function inShadow(
  page: Page,
  host: string,
  selector: string,
): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(
    (h, s) => document.querySelector(h)?.shadowRoot?.querySelector(s) ?? false,
    { timeout: 20_000 },
    host,
    selector,
  );
  return handle as ElementHandle<Element>;
}
