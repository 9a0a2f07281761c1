/**
 * `npm run screenshots`: PNGs of the demo pages under docs/screenshots/, taken in headless
 * Chromium (puppeteer-core, found by test/helpers/chromium.ts) against a running demo
 * (`SCREENSHOT_URL`, e.g. http://127.0.0.1:8787) or one started here on the default database.
 * At the sizes people use: a 1366x900 laptop, and a 390x844 phone for the dashboard (the
 * page as it opens, and the client card scrolled into view) and the studio's list.
 *
 * The site-builder page signs in as a mentor does (SPEC section 6): the button, the popup's
 * sign-in page (480x680, the size the elements open it at) and its consent page, then the
 * list signed in; the popup's pages on a phone too (where the popup is a full-screen tab).
 *
 * The card's attendance section and the notes' History view (SPEC section 8) at both sizes, on
 * a demo client with a rhythm and a note with earlier versions.
 *
 * `npm run screenshots -- site-builder dashboard` takes only the shots whose names start so.
 */
import { mkdirSync } from 'node:fs';
import puppeteer, {
  type Browser,
  type ElementHandle,
  type Page,
  type Viewport,
} from 'puppeteer-core';
import { DEMO_USERS, startDemo, type RunningDemo } from '../demo/start.js';
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

const LAPTOP: Viewport = { width: 1366, height: 900 };
const PHONE: Viewport = { width: 390, height: 844, isMobile: true, hasTouch: true };
/** The popup's size (`window.open` in src/auth/sign-in.ts). */
const POPUP: Viewport = { width: 480, height: 680 };

const maya = DEMO_USERS.find((u) => u.key === 'maya')!;

const wanted = process.argv.slice(2);
const want = (name: string) => !wanted.length || wanted.some((w) => name.startsWith(w));

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `${OUT}/${name}.png` });
  console.log(`${OUT}/${name}.png`);
}

/** The element `selector` in the list's shadow root. */
const inList = (page: Page, selector: string) =>
  page.waitForFunction(
    (s) => document.querySelector('mm-client-list')?.shadowRoot?.querySelector(s) ?? false,
    { timeout: 30_000 },
    selector,
  );

/**
 * Maya's approvals of sites, revoked, so that the popup shows its consent page (a remembered
 * approval skips it). Through the dev server's token endpoint, as the dashboard page does.
 */
async function forgetApprovals(base: string, apiBase: string) {
  const { token } = (await (await fetch(`${base}/dev/token?user=maya`)).json()) as {
    token: string;
  };
  const headers = { authorization: `Bearer ${token}` };
  const res = await fetch(`${apiBase}/v1/me/authorizations`, { headers });
  const { items } = (await res.json()) as { items: { id: string }[] };
  for (const { id } of items) {
    await fetch(`${apiBase}/v1/me/authorizations/${id}`, { method: 'DELETE', headers });
  }
}

/**
 * The site-builder page at `viewport`, signing in through the popup (shown at `popupSize`):
 * the button, the sign-in page with Maya's email typed, the consent page with her own client
 * book ticked; Allow; then the list signed in. `suffix` names the phone's shots.
 */
async function siteBuilderSignIn(
  browser: Browser,
  base: string,
  viewport: Viewport,
  popupSize: Viewport,
  suffix: string,
) {
  // A context of its own: no session cookie of the CRM's from an earlier run.
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(viewport);
  await page.goto(`${base}/site-builder.html`, { waitUntil: 'networkidle0', timeout: 60_000 });
  const apiBase = await page.$eval('mm-client-list', (el) => el.getAttribute('api-base')!);
  await forgetApprovals(base, apiBase);
  await inList(page, 'button[part~="sign-in"]');
  await shoot(page, `site-builder-sign-in${suffix}`);

  const opened = new Promise<Page>((resolve) => page.once('popup', (p) => resolve(p!)));
  await ((await inList(page, 'button[part~="sign-in"]')) as ElementHandle<Element>).click();
  const popup = await opened;
  await popup.setViewport(popupSize);
  await popup.waitForSelector('#email', { timeout: 30_000 });
  // As a mentor sees it on a real server: without the dev server's demo users (below the
  // form), whose buttons this script then uses to sign in.
  const demoForm = await popup.$('form[action="/oauth/authorize/demo"]');
  await demoForm?.evaluate((form) => {
    (form as HTMLElement).style.display = 'none';
  });
  await popup.type('#email', maya.email);
  await shoot(popup, `oauth-sign-in${suffix}`);
  await demoForm?.evaluate((form) => {
    (form as HTMLElement).style.display = '';
  });
  const mayaButton = await popup.waitForSelector(`button[name="user"][value="${maya.userId}"]`);
  await Promise.all([popup.waitForNavigation(), mayaButton!.click()]);
  await popup.waitForSelector('input[name="crm"]', { timeout: 30_000 });
  await popup.click(`input[name="crm"][value="${maya.crms[0]!.id}"]`);
  await shoot(popup, `oauth-consent${suffix}`);
  await popup.click('button[name="decision"][value="allow"]');
  await selectRow(page, 2);
  if (suffix) await page.evaluate('window.scrollTo(0, 0)');
  await shoot(page, `site-builder${suffix}`);
  await context.close();
}

/**
 * The page's card and notes on the first client of `crm` (of the first 100 in the list) with a
 * rhythm and a note with 3 or more versions, asked of the API with the demo token of `user`;
 * the elements stop following the list and show that client.
 */
async function showInsightClient(page: Page, crm: string, user: string) {
  // A string, not a function: tsx would wrap the inner functions in a helper the page lacks.
  const id = (await page.evaluate(`(async () => {
    const { token } = await (await fetch('/dev/token?user=${user}')).json();
    const get = (path) =>
      fetch('/v1/crms/${crm}' + path, {
        headers: { authorization: 'Bearer ' + token },
      }).then((r) => r.json());
    const list = await get('/clients?limit=100');
    for (const { id } of list.items) {
      const versions = await get('/clients/' + id + '/note/versions?limit=3');
      if (versions.items.length < 3) continue;
      const detail = await get('/clients/' + id);
      if (detail.typicalGapDays !== null && detail.totalBookings >= 8) return id;
    }
    return null;
  })()`)) as string | null;
  if (!id) throw new Error('No demo client with a rhythm and a note history');
  await page.evaluate((id) => {
    for (const tag of ['mm-client-card', 'mm-client-notes'] as const) {
      const el = document.querySelector(tag)!;
      el.removeAttribute('for');
      el.clientId = id;
    }
  }, id);
  await page.waitForFunction(
    () =>
      document
        .querySelector('mm-client-card')
        ?.shadowRoot?.querySelector('[part~="strip-summary"]') &&
      document.querySelector('mm-client-notes')?.shadowRoot?.querySelector('[part~="textarea"]'),
    { timeout: 30_000 },
  );
  await new Promise((r) => setTimeout(r, 400));
}

/** Opens the notes' History on the oldest version shown, its changes to the current note. */
async function openHistory(page: Page) {
  await page.evaluate(() =>
    document
      .querySelector('mm-client-notes')!
      .shadowRoot!.querySelector<HTMLElement>('[part~="history-button"]')!
      .click(),
  );
  await page.waitForFunction(
    () =>
      (document.querySelector('mm-client-notes')?.shadowRoot?.querySelectorAll('[part~="version"]')
        .length ?? 0) >= 3,
    { timeout: 30_000 },
  );
  await page.evaluate(() => {
    const versions = document
      .querySelector('mm-client-notes')!
      .shadowRoot!.querySelectorAll<HTMLElement>('[part~="version"]');
    versions[versions.length - 1]!.click();
  });
  await page.waitForFunction(
    () => document.querySelector('mm-client-notes')?.shadowRoot?.querySelector('[part~="diff"]'),
    { timeout: 30_000 },
  );
  await new Promise((r) => setTimeout(r, 400));
}

/**
 * The insight shots at `viewport` (`suffix`: '' or '-phone'): the card's attendance on the
 * mentor's dashboard, the notes' History on the studio's page (who wrote each version).
 */
async function insightShots(page: Page, base: string, viewport: Viewport, suffix: string) {
  await page.setViewport(viewport);
  if (want(`card-insight${suffix}`)) {
    await page.goto(`${base}/dashboard.html`, { waitUntil: 'networkidle0', timeout: 60_000 });
    await showInsightClient(page, 'crm_demo_maya', 'maya');
    await page.evaluate(`document.querySelector('mm-client-card').scrollIntoView()`);
    await shoot(page, `card-insight${suffix}`);
  }
  if (want(`notes-history${suffix}`)) {
    await page.goto(`${base}/studio.html`, { waitUntil: 'networkidle0', timeout: 60_000 });
    await showInsightClient(page, 'crm_demo_lotus', 'olive');
    await openHistory(page);
    await page.evaluate(`document.querySelector('mm-client-notes').scrollIntoView()`);
    await shoot(page, `notes-history${suffix}`);
  }
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
    await page.setViewport(LAPTOP);
    const shots: [string, string, (page: Page) => Promise<void>][] = [
      ['index', '/', async () => {}],
      ['dashboard', '/dashboard.html', (p) => selectRow(p, 1)],
      ['studio', '/studio.html', (p) => selectRow(p, 0)],
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
      if (!want(name)) continue;
      await page.goto(`${base}${path}`, { waitUntil: 'networkidle0', timeout: 60_000 });
      await ready(page);
      await shoot(page, name);
    }
    if (want('site-builder') || want('oauth')) {
      await siteBuilderSignIn(browser, base, LAPTOP, POPUP, '');
      await siteBuilderSignIn(browser, base, PHONE, PHONE, '-phone');
    }
    await insightShots(page, base, LAPTOP, '');
    await insightShots(page, base, PHONE, '-phone');
    if (want('studio-phone')) {
      // The list on a phone: two-line rows, the filters folded behind "Filters (n)".
      await page.setViewport(PHONE);
      await page.goto(`${base}/studio.html`, { waitUntil: 'networkidle0', timeout: 60_000 });
      await selectRow(page, 0);
      await page.evaluate('window.scrollTo(0, 0)');
      await shoot(page, 'studio-phone');
    }
    if (want('dashboard-phone') || want('card-phone')) {
      await page.setViewport(PHONE);
      await page.goto(`${base}/dashboard.html`, { waitUntil: 'networkidle0', timeout: 60_000 });
      await selectRow(page, 1);
      await page.evaluate('window.scrollTo(0, 0)');
      await shoot(page, 'dashboard-phone');
      await page.evaluate(`document.querySelector('mm-client-card').scrollIntoView()`);
      await shoot(page, 'card-phone');
    }
  } finally {
    await browser.close();
    await demo?.close();
  }
}

await main();
