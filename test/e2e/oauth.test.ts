/**
 * End to end: a mentor's site-builder page signs in by the OAuth popup (SPEC section 6), in
 * headless Chromium (puppeteer-core) against `npm start`'s server (startDemo: Vite + the API,
 * PGlite in memory, a small demo seed).
 *
 * The page is on ANOTHER origin than the CRM, as a real site is: the demo server answers on
 * 127.0.0.1 and on localhost, and `/site-builder.html` asked on one names the other as its
 * `api-base`, from where it also loads the bundle (cross-origin, as from a CDN). The popup's
 * pages are the CRM's; the 6-digit code is read from the server's outbox (`/dev/outbox`).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { sql } from 'kysely';
import { DEMO_USERS, type RunningDemo } from '../../demo/start.js';
import { hashToken } from '../../demo/server/http/auth.js';
import { inShadow, startDemoAndBrowser } from '../helpers/e2e.js';

let demo: RunningDemo;
let browser: Browser;
/** The site's page, on 127.0.0.1, and the CRM it signs in to, on localhost. */
let site: string;
let crm: string;

const maya = DEMO_USERS.find((u) => u.key === 'maya')!;
const MAYA_CRM = maya.crms[0]!;

before(async () => {
  ({ demo, browser } = await startDemoAndBrowser(40));
  site = demo.url;
  crm = demo.url.replace('//127.0.0.1:', '//localhost:');
  assert.notEqual(new URL(site).origin, new URL(crm).origin);
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

const WAIT = { timeout: 20_000 };

/** Waits until the list's shadow root says `text`. */
const listSays = (page: Page, text: string) =>
  page.waitForFunction(
    (t) => document.querySelector('mm-client-list')?.shadowRoot?.textContent?.includes(t),
    WAIT,
    text,
  );

/** Selects the list's `nth` row; returns once the card and the notes show that client. */
async function selectNth(page: Page, nth: number) {
  await rows(page);
  const name = await page.evaluate((n) => {
    const row = document
      .querySelector('mm-client-list')!
      .shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"][data-client-id]')[n]!;
    row.click();
    return row.querySelector('.name')!.textContent!.trim();
  }, nth);
  await page.waitForFunction(
    (n) =>
      document
        .querySelector('mm-client-card')
        ?.shadowRoot?.querySelector('[part~="name"]')
        ?.textContent?.includes(n),
    WAIT,
    name,
  );
  await inShadow(page, 'mm-client-notes', 'textarea[part~="textarea"]:not([disabled])');
}

const rows = (page: Page) => inShadow(page, 'mm-client-list', '[part~="row"][data-client-id]');

/**
 * The site's page in a browser context of its own (no cookie of an earlier test), with the
 * errors it throws, the scripts it loads, its token requests and every token it was given.
 */
async function openSite() {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const scripts: string[] = [];
  const tokenRequests: string[] = [];
  const tokens: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
    if (r.url() === `${crm}/oauth/token` && r.method() === 'POST') {
      tokenRequests.push(new URLSearchParams(r.postData() ?? '').get('grant_type') ?? '');
    }
  });
  page.on('response', (r) => {
    if (r.url() !== `${crm}/oauth/token` || r.request().method() !== 'POST') return;
    void r.json().then(
      (body: { access_token?: string; refresh_token?: string }) => {
        if (body.access_token) tokens.push(body.access_token);
        if (body.refresh_token) tokens.push(body.refresh_token);
      },
      () => {},
    );
  });
  await page.goto(`${site}/site-builder.html`, { waitUntil: 'load' });
  return { page, context, errors, scripts, tokenRequests, tokens };
}

/** Clicks "Sign in with MoveMentors" on the list; the popup it opens. */
async function clickSignIn(page: Page): Promise<Page> {
  const button = await inShadow(page, 'mm-client-list', 'button[part~="sign-in"]');
  const popup = new Promise<Page>((resolve) => page.once('popup', (p) => resolve(p!)));
  await button.click();
  return popup;
}

/** The newest sign-in code the outbox holds for `email`. */
async function codeFromOutbox(email: string): Promise<string> {
  const res = await fetch(`${site}/dev/outbox`);
  const { items } = (await res.json()) as {
    items: { kind: string; to: string; body: string }[];
  };
  const mail = items.filter((i) => i.kind === 'sign_in_code' && i.to === email).at(-1);
  assert.ok(mail, `no sign-in code emailed to ${email}`);
  return /\b(\d{6})\b/.exec(mail.body)![1]!;
}

/** In the popup: the email, the code from the outbox; returns once the consent page shows. */
async function signInByCode(popup: Page) {
  await popup.waitForSelector('#email', WAIT);
  assert.equal(new URL(popup.url()).origin, new URL(crm).origin);
  assert.equal(new URL(popup.url()).pathname, '/oauth/authorize');
  await popup.type('#email', maya.email);
  await Promise.all([popup.waitForNavigation(WAIT), popup.click('button.primary')]);
  await popup.waitForSelector('#code', WAIT);
  await popup.type('#code', await codeFromOutbox(maya.email));
  await Promise.all([popup.waitForNavigation(WAIT), popup.click('button.primary')]);
  await popup.waitForSelector('#origin', WAIT);
}

/** The consent page: the site's origin in large type, Maya's two client books, none ticked. */
async function consent(popup: Page) {
  assert.equal(await popup.$eval('#origin', (el) => el.textContent), new URL(site).origin);
  const books = await popup.$$eval('input[name="crm"]', (els) =>
    els.map((el) => ({ value: (el as HTMLInputElement).value, checked: el.matches(':checked') })),
  );
  assert.deepEqual(
    books.map((b) => b.value),
    maya.crms.map((k) => k.id),
  );
  assert.ok(
    books.every((b) => !b.checked),
    'several books: none is ticked for the user',
  );
}

/** Waits until `popup` has closed itself. */
const closed = (popup: Page) =>
  popup.isClosed() ? Promise.resolve() : new Promise<void>((r) => popup.once('close', () => r()));

/**
 * No token in localStorage, a cookie of the site or the DOM (shadow roots included): neither
 * one of `tokens` (every token the page was given) nor anything shaped like a token. Returns
 * what sessionStorage holds.
 */
async function noTokenExposed(page: Page, tokens: readonly string[]) {
  // (No named functions inside: tsx would wrap them in a helper the page does not have.)
  const { local, cookies, dom, session } = await page.evaluate(() => {
    let dom = document.documentElement.outerHTML;
    const roots: ShadowRoot[] = [];
    for (let root: Document | ShadowRoot | undefined = document; root; root = roots.pop()) {
      if (root !== document) dom += (root as ShadowRoot).innerHTML;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    }
    return {
      local: JSON.stringify({ ...localStorage }),
      cookies: document.cookie,
      dom,
      session: JSON.stringify({ ...sessionStorage }),
    };
  });
  assert.equal(local, '{}', 'nothing in localStorage');
  assert.equal(cookies, '', 'no cookie of the site');
  assert.ok(dom.includes('mm-client-list'));
  assert.doesNotMatch(dom, /mm(crm|rt)_/, 'no token in the DOM');
  for (const token of tokens) assert.ok(!dom.includes(token) && !local.includes(token));
  return JSON.parse(session) as Record<string, string>;
}

/** The refresh token this page kept for a reload (sessionStorage). */
async function keptRefresh(page: Page): Promise<string | undefined> {
  const kept = await page.evaluate(
    (key) => sessionStorage.getItem(key),
    `mm-crm-sign-in:${new URL(crm).origin}`,
  );
  return kept ? (JSON.parse(kept) as { refresh?: string }).refresh : undefined;
}

/** A refresh token's state on the server: live (unused, family not revoked) or not. */
async function refreshState(token: string) {
  const { rows } = await sql<{ used_at: unknown; revoked_at: unknown }>`
    select r.used_at, f.revoked_at from oauth_refresh_tokens r
    join oauth_families f on f.id = r.family_id where r.token_hash = ${hashToken(token)}
  `.execute(demo.db);
  assert.equal(rows.length, 1, 'the kept refresh token is one the server minted');
  return { used: rows[0]!.used_at !== null, revoked: rows[0]!.revoked_at !== null };
}

test('a site on another origin loads the bundle and shows Sign in with MoveMentors, and no data', async () => {
  const { page, errors, scripts } = await openSite();
  await inShadow(page, 'mm-client-list', 'button[part~="sign-in"]');
  // The list says what the button is for; the card and the notes, following it, wait for a
  // client (they have no CRM before the sign-in, and say nothing about configuration).
  await listSays(page, 'Sign in to see your clients here.');
  const says = (tag: string) =>
    page.evaluate((t) => document.querySelector(t)!.shadowRoot!.textContent!.trim(), tag);
  assert.equal(await says('mm-client-card'), 'Select a client to see their profile.');
  assert.equal(await says('mm-client-notes'), 'Choose a client to see their notes.');
  // One script: the bundle, from the CRM's origin (cross-origin, so with CORS).
  assert.deepEqual(scripts, [`${crm}/dist/mm-crm.js`]);
  assert.equal(await page.$('[token]'), null);
  assert.equal(
    await page.evaluate(
      () => !!document.querySelector('mm-client-list')!.shadowRoot!.querySelector('[part~="row"]'),
    ),
    false,
  );
  // The lazy chunk comes from beside the bundle, cross-origin too.
  const chunk = await fetch(`${crm}/dist/mm-crm.sign-in-flow.js`, {
    headers: { origin: new URL(site).origin },
  });
  assert.equal(chunk.status, 200);
  assert.equal(chunk.headers.get('access-control-allow-origin'), new URL(site).origin);
  // Another site gets no CORS grant for the bundle from the dev server.
  const other = await fetch(`${crm}/dist/mm-crm.js`, {
    headers: { origin: 'https://elsewhere.example' },
  });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('sign in through the popup with the emailed code, Allow: the list loads; a reload stays signed in; sign out', async () => {
  const { page, context, errors, scripts, tokenRequests, tokens } = await openSite();
  const signedIn = page.evaluate(
    () =>
      new Promise<string>((resolve) =>
        document.addEventListener('mm-signed-in', (e) => resolve(e.detail.userId), { once: true }),
      ),
  );

  const popup = await clickSignIn(page);
  await listSays(page, 'Finish signing in in the MoveMentors window');
  await signInByCode(popup);
  await consent(popup);
  // Tick the mentor's own client book only, and Allow: the popup answers and closes itself.
  await popup.click(`input[name="crm"][value="${MAYA_CRM.id}"]`);
  await popup.click('button[name="decision"][value="allow"]');
  await closed(popup);

  // The list loads the only book allowed, without a crm attribute.
  await rows(page);
  assert.equal(await signedIn, maya.userId);
  assert.deepEqual(tokenRequests, ['authorization_code']);
  // The sign-in's code came from beside the bundle, on first use.
  assert.deepEqual(scripts, [`${crm}/dist/mm-crm.js`, `${crm}/dist/mm-crm.sign-in-flow.js`]);
  // The card and the notes follow the list's selection, on the same sign-in.
  await selectNth(page, 0);

  // The refresh token is in sessionStorage only; no token in localStorage, a cookie or the DOM.
  const session = await noTokenExposed(page, tokens);
  assert.deepEqual(Object.keys(session), [`mm-crm-sign-in:${new URL(crm).origin}`]);
  const firstRefresh = await keptRefresh(page);
  assert.ok(firstRefresh);
  assert.deepEqual(await refreshState(firstRefresh), { used: false, revoked: false });

  // Reload: still signed in, no popup; the refresh token was rotated and the new one kept.
  let popups = 0;
  page.on('popup', () => popups++);
  tokenRequests.length = 0;
  await page.reload({ waitUntil: 'load' });
  await rows(page);
  assert.equal(popups, 0);
  assert.deepEqual(tokenRequests, ['refresh_token']);
  const second = await keptRefresh(page);
  assert.ok(second && second !== firstRefresh, 'the reload renewed the tokens');
  assert.deepEqual(await refreshState(firstRefresh), { used: true, revoked: false });
  assert.deepEqual(await refreshState(second), { used: false, revoked: false });

  // A renewal while signed in: the page's clock moves 15 minutes on (the access token is
  // expiring), then a client is selected, so that the card and the notes ask for a token at
  // once: one refresh for all, and the page keeps the new refresh token, not the one it used.
  tokenRequests.length = 0;
  await page.evaluate(() => {
    const now = Date.now.bind(Date);
    Date.now = () => now() + 15 * 60_000;
  });
  await selectNth(page, 1);
  assert.deepEqual(tokenRequests, ['refresh_token']);
  const third = await keptRefresh(page);
  assert.ok(third && third !== second, 'the renewal kept its new refresh token');
  assert.deepEqual(await refreshState(second), { used: true, revoked: false });
  assert.deepEqual(await refreshState(third), { used: false, revoked: false });
  // So a reload after a renewal still signs in (a stale token would revoke the family).
  await page.reload({ waitUntil: 'load' });
  await rows(page);
  assert.equal(popups, 0);
  await noTokenExposed(page, tokens);

  // Sign out: the button again; nothing kept; the family is revoked on the server.
  const signedOut = page.evaluate(
    () =>
      new Promise<boolean>((resolve) =>
        document.addEventListener('mm-signed-out', () => resolve(true), { once: true }),
      ),
  );
  const last = await keptRefresh(page);
  const out = await inShadow(page, 'mm-client-list', 'button[part~="sign-out"]');
  await out.click();
  assert.equal(await signedOut, true);
  await inShadow(page, 'mm-client-list', 'button[part~="sign-in"]');
  assert.equal(await keptRefresh(page), undefined);
  for (let i = 0; i < 100 && !(await refreshState(last!)).revoked; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(await refreshState(last!), { used: false, revoked: true });
  // A reload stays signed out, and asks for no token.
  tokenRequests.length = 0;
  await page.reload({ waitUntil: 'load' });
  await inShadow(page, 'mm-client-list', 'button[part~="sign-in"]:not([disabled])');
  assert.equal(
    await page.evaluate(
      () => !!document.querySelector('mm-client-list')!.shadowRoot!.querySelector('[part~="row"]'),
    ),
    false,
  );
  assert.deepEqual(tokenRequests, []);
  await noTokenExposed(page, tokens);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Deny in the popup: a clear message and the button again', async () => {
  const { page, context, errors, tokens } = await openSite();
  const popup = await clickSignIn(page);
  // The dev server's "Sign in as a demo user", then the consent page: Deny.
  const olive = DEMO_USERS.find((u) => u.key === 'olive')!;
  const demoButton = await popup.waitForSelector(
    `button[name="user"][value="${olive.userId}"]`,
    WAIT,
  );
  await Promise.all([popup.waitForNavigation(WAIT), demoButton!.click()]);
  await popup.waitForSelector('#origin', WAIT);
  await popup.click('button[name="decision"][value="deny"]');
  await closed(popup);
  await listSays(page, 'Access was not allowed.');
  await inShadow(page, 'mm-client-list', 'button[part~="sign-in"]:not([disabled])');
  assert.equal(await keptRefresh(page), undefined);
  await noTokenExposed(page, tokens);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the popup closed by the user: a clear message and the button again, which opens a new one', async () => {
  const { page, context, errors } = await openSite();
  const popup = await clickSignIn(page);
  await popup.waitForSelector('#email', WAIT);
  await popup.close();
  await listSays(page, 'The sign-in window was closed before you finished.');
  const button = await inShadow(page, 'mm-client-list', 'button[part~="sign-in"]:not([disabled])');
  const again = new Promise<Page>((resolve) => page.once('popup', (p) => resolve(p!)));
  await button.click();
  const second = await again;
  await second.waitForSelector('#email', WAIT);
  assert.equal(new URL(second.url()).origin, new URL(crm).origin);
  await second.close();
  await listSays(page, 'The sign-in window was closed before you finished.');
  assert.deepEqual(errors, []);
  await context.close();
});
