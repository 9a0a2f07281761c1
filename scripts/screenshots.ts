/**
 * `npm run screenshots`: PNGs of the demo pages under docs/screenshots/, taken in headless
 * Chromium (puppeteer-core, found by test/helpers/chromium.ts) against a running demo
 * (`SCREENSHOT_URL`, e.g. http://127.0.0.1:8787) or one started here on the default database.
 * At the sizes people use: a 1366x900 laptop, and a 390x844 phone for the dashboard (the
 * page as it opens, and the client card scrolled into view).
 */
import { mkdirSync } from 'node:fs';
import puppeteer, { type Page } from 'puppeteer-core';
import { startDemo, type RunningDemo } from '../demo/start.js';
import { chromiumLaunchOptions } from '../test/helpers/chromium.js';

const OUT = 'docs/screenshots';

/** Waits until the list shows rows and, when asked, selects the nth row. */
async function selectRow(page: Page, nth: number) {
  await page.waitForFunction(
    () =>
      (document.querySelector('mm-client-list')?.shadowRoot?.querySelectorAll('[part~="row"]')
        .length ?? 0) > 3,
    { timeout: 30_000 },
  );
  await page.evaluate((n) => {
    const rows = document
      .querySelector('mm-client-list')!
      .shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"]');
    rows[n]?.click();
  }, nth);
  // The card and the notes load after the selection.
  await page.waitForFunction(
    () =>
      document.querySelector('mm-client-card')?.shadowRoot?.querySelector('[part~="header"]') &&
      document.querySelector('mm-client-notes')?.shadowRoot?.querySelector('[part~="textarea"]') &&
      !document.querySelector('mm-client-card')?.shadowRoot?.querySelector('[aria-busy="true"]'),
    { timeout: 30_000 },
  );
  await new Promise((r) => setTimeout(r, 400));
}

async function main() {
  let demo: RunningDemo | undefined;
  let base = process.env.SCREENSHOT_URL?.replace(/\/$/, '');
  if (!base) {
    demo = await startDemo({ port: 0, watch: false, log: () => {} });
    base = demo.url;
  }
  mkdirSync(OUT, { recursive: true });
  const browser = await puppeteer.launch(await chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1366, height: 900 });
    const shots: [string, string, (page: Page) => Promise<void>][] = [
      ['index', '/', async () => {}],
      ['dashboard', '/dashboard.html', (p) => selectRow(p, 1)],
      ['studio', '/studio.html', (p) => selectRow(p, 0)],
      ['site-builder', '/site-builder.html', (p) => selectRow(p, 2)],
      ['theming', '/theming.html', (p) => selectRow(p, 0)],
      [
        'outbox',
        '/outbox.html',
        (p) =>
          p
            .waitForFunction(
              () => !document.querySelector('#state')?.textContent?.includes('Loading'),
            )
            .then(() => {}),
      ],
    ];
    for (const [name, path, ready] of shots) {
      await page.goto(`${base}${path}`, { waitUntil: 'networkidle0', timeout: 60_000 });
      await ready(page);
      await page.screenshot({ path: `${OUT}/${name}.png` });
      console.log(`${OUT}/${name}.png`);
    }
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
    await page.goto(`${base}/dashboard.html`, { waitUntil: 'networkidle0', timeout: 60_000 });
    await selectRow(page, 1);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${OUT}/dashboard-phone.png` });
    console.log(`${OUT}/dashboard-phone.png`);
    await page.evaluate(`document.querySelector('mm-client-card').scrollIntoView()`);
    await page.screenshot({ path: `${OUT}/card-phone.png` });
    console.log(`${OUT}/card-phone.png`);
  } finally {
    await browser.close();
    await demo?.close();
  }
}

await main();
