/**
 * End to end: `npm start`'s server (startDemo: Vite + the API on one origin, PGlite in memory,
 * a small demo seed) and the site-builder page of a builder with a server that mints tokens
 * (`/site-builder-token.html`), which uses only the built standalone bundle dist/mm-crm.js,
 * `for=` wiring and a `token` attribute, in headless Chromium (puppeteer-core; the Chromium
 * test/helpers/chromium.ts finds). The page without a server, which signs in by the OAuth
 * popup, is test/e2e/oauth.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import type { RunningDemo } from '../../demo/start.js';
import { inShadow, startDemoAndBrowser } from '../helpers/e2e.js';

let demo: RunningDemo;
let browser: Browser;

before(async () => {
  ({ demo, browser } = await startDemoAndBrowser(60));
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

async function openSiteBuilder(page: Page) {
  await page.goto(`${demo.url}/site-builder-token.html`, { waitUntil: 'load' });
  await inShadow(page, 'mm-client-list', '[part~="row"][data-client-id]');
}

async function selectClient(page: Page, clientId: string) {
  const row = await inShadow(page, 'mm-client-list', `[part~="row"][data-client-id="${clientId}"]`);
  await row.click();
}

/** Selects the list's `nth` client row; the notes' text area once card and notes show it. */
async function selectNth(page: Page, nth: number) {
  const { id, name } = await page.evaluate((n) => {
    const row = document
      .querySelector('mm-client-list')!
      .shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"][data-client-id]')[n]!;
    return { id: row.dataset.clientId!, name: row.querySelector('.name')!.textContent!.trim() };
  }, nth);
  await selectClient(page, id);
  return { id, name, textarea: await cardAndNotes(page, name) };
}

/** The card's heading and the notes' text, once both show `clientId`'s data. */
async function cardAndNotes(page: Page, name: string) {
  await page.waitForFunction(
    (n) =>
      document
        .querySelector('mm-client-card')
        ?.shadowRoot?.querySelector('[part~="name"]')
        ?.textContent?.includes(n),
    { timeout: 20_000 },
    name,
  );
  const textarea = await inShadow(page, 'mm-client-notes', 'textarea[part~="textarea"]');
  return textarea as ElementHandle<HTMLTextAreaElement>;
}

test('site builder: the card and notes follow the list, a note survives a reload', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await openSiteBuilder(page);

  // The page has no script of its own: only the standalone bundle.
  const scripts = await page.$$eval('script', (s) => s.map((el) => el.getAttribute('src')));
  assert.deepEqual(scripts, ['/dist/mm-crm.js']);
  // The token attribute was read and removed from the DOM.
  assert.equal(await page.$('[token]'), null);

  // Select the second client: the card and the notes follow through for="clients".
  const { id, name, textarea } = await selectNth(page, 1);

  // Write a note; wait until the server confirmed it (mm-note-saved).
  const text = `E2E note ${Date.now()}: prefers the morning flow, knee to watch.`;
  const saved = page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        document.addEventListener('mm-note-saved', (e) => resolve(e.detail.version), {
          once: true,
        }),
      ),
  );
  await textarea.click({ count: 3 });
  await page.keyboard.press('Backspace');
  // One keystroke typed, the rest inserted as one input (like a paste): fast and realistic.
  await textarea.type(text.slice(0, 1));
  await page.keyboard.sendCharacter(text.slice(1));
  const version = await Promise.race([
    saved,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('no mm-note-saved in 20 s')), 20_000),
    ),
  ]);
  assert.ok(version >= 1);

  // Reload, select the same client: the note is there.
  await page.reload({ waitUntil: 'load' });
  await inShadow(page, 'mm-client-list', '[part~="row"][data-client-id]');
  await selectClient(page, id);
  const again = await cardAndNotes(page, name);
  await page.waitForFunction((el, t) => el.value === t, { timeout: 20_000 }, again, text);

  // And it is on the server, not only in the page's local draft.
  const { token } = await demo.mintToken('maya');
  const res = await fetch(`${demo.url}/v1/crms/crm_demo_maya/clients/${id}/note`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { text: string }).text, text);

  assert.deepEqual(errors, []);
  await page.close();
});

test('site builder: a note typed just before the user leaves the page still reaches the server', async () => {
  const page = await browser.newPage();
  await openSiteBuilder(page);
  const { id, textarea } = await selectNth(page, 2);
  await page.waitForFunction((el) => !el.disabled, { timeout: 20_000 }, textarea);

  // Typed, and the page left at once, before the autosave pause (800 ms) has passed: the save
  // sent on pagehide must outlive the page (keepalive), or the navigation cancels it.
  const text = `Closed in a hurry ${Date.now()}: bring the blue mat.`;
  await textarea.click({ count: 3 });
  await page.keyboard.press('Backspace');
  await page.keyboard.sendCharacter(text);
  // The page warns that the note is not saved yet; the user leaves anyway.
  const warned = new Promise<string>((resolve) =>
    page.once('dialog', (dialog) => {
      resolve(dialog.type());
      void dialog.accept();
    }),
  );
  await page.goto('about:blank');
  assert.equal(await warned, 'beforeunload');
  await page.close();

  const { token } = await demo.mintToken('maya');
  const noteText = async () => {
    const res = await fetch(`${demo.url}/v1/crms/crm_demo_maya/clients/${id}/note`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return ((await res.json()) as { text: string }).text;
  };
  let last = '';
  for (let i = 0; i < 50 && last !== text; i++) {
    await new Promise((r) => setTimeout(r, 200));
    last = await noteText();
  }
  assert.equal(last, text);
});

test('site builder: the roster’s code loads from beside the bundle when a roster appears, and only then', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await openSiteBuilder(page);
  // A page without a roster loads the bundle alone.
  assert.deepEqual(scripts, ['/dist/mm-crm.js']);
  assert.equal(await page.evaluate(() => !!customElements.get('mm-session-roster')), false);

  // A roster pasted in later (as a site builder's block would be): the chunk beside the
  // bundle, resolved from the bundle's own URL, defines it; Lit is not loaded twice.
  const { token } = await demo.mintToken('maya');
  await page.evaluate((t) => {
    const roster = document.createElement('mm-session-roster');
    roster.id = 'prep';
    roster.setAttribute('api-base', '');
    roster.setAttribute('crm', 'crm_demo_maya');
    roster.setAttribute('token', t);
    document.body.append(roster);
  }, token);
  await inShadow(page, 'mm-session-roster', '#sessions-heading');
  assert.deepEqual(scripts, ['/dist/mm-crm.js', '/dist/mm-crm.session-roster.js']);
  // The token attribute was read and removed here too.
  assert.equal(await page.$('[token]'), null);
  const litVersions = await page.evaluate(
    () => (globalThis as { litHtmlVersions?: string[] }).litHtmlVersions?.length,
  );
  assert.equal(litVersions, 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('site builder: the card’s parts load from beside the bundle with a client; a failed download says so', async () => {
  const page = await browser.newPage();
  // The tags editor's chunk fails to download (offline for that file) until `fail` is off.
  let fail = true;
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (fail && new URL(r.url()).pathname === '/dist/mm-crm.tags-editor.js') void r.abort();
    else void r.continue();
  });
  await openSiteBuilder(page);
  await selectNth(page, 3);

  // The card shows the client, and says what it could not load.
  const error = await inShadow(page, 'mm-client-card', '[part~="error"]');
  assert.match(
    await error.evaluate((e) => e.textContent!.replace(/\s+/g, ' ')),
    /Could not load the alerts, attendance and tags of this card\. Check your connection and reload the page\./,
  );
  const tags = await inShadow(page, 'mm-client-card', '[part~="tags"]');
  assert.match(await tags.evaluate((e) => e.textContent!), /Not loaded/);

  // Back online, the page reloaded: the tags editor, the alerts and the attendance show.
  fail = false;
  await page.reload({ waitUntil: 'load' });
  await inShadow(page, 'mm-client-list', '[part~="row"][data-client-id]');
  await selectNth(page, 3);
  await inShadow(page, 'mm-client-card', '#tag-input');
  await inShadow(page, 'mm-client-card', '[part~="insight"]');
  const errorLeft = await page.evaluate(
    () => !!document.querySelector('mm-client-card')!.shadowRoot!.querySelector('[part~="error"]'),
  );
  assert.equal(errorLeft, false);
  await page.close();
});
