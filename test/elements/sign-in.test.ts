/**
 * The elements' sign-in (SPEC section 6) in Chromium against the real server: elements with
 * `api-base` and no token show "Sign in with MoveMentors"; the popup is the server's real
 * pages (on this page's origin here, so the test can fill them in; the end-to-end test does
 * it across origins), the one-time code read from the outbox.
 */
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import '../../src/mm-client-card.js';
import '../../src/mm-client-list.js';
import '../../src/mm-client-notes.js';
import '../../src/mm-crm-provider.js';
import { signInFor } from '../../src/auth/sign-in.js';
import type { MmClientList } from '../../src/mm-client-list.js';
import { apiBase, platform, textOf, unique, until } from '../helpers/browser.js';

const signIn = () => signInFor(apiBase);

afterEach(async () => {
  await (await import('../../src/auth/sign-in-flow.js')).signOut(signIn());
  sessionStorage.clear();
});

/** A mentor with one client. */
async function mentor(name = 'Maya Mentor') {
  const { user, crmId } = await platform.mentor(name);
  const clientId = await platform.client(crmId, user.id, {
    email: `${unique('c')}@example.test`,
    name: 'Ada Client',
  });
  return { user, crmId, clientId };
}

const button = (el: Element, part: string) =>
  el.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${part}"]`);

/** The popup once its page shows `selector`. */
async function popupShows(popup: Window, selector: string) {
  return until(() => {
    try {
      return popup.document.querySelector<HTMLElement>(selector);
    } catch {
      return null; // between pages
    }
  }, `the popup to show ${selector}`);
}

/** The sign-in popup the page opened (named mm-crm-sign-in). */
function capturePopup(): () => Window {
  const open = window.open.bind(window);
  let popup: Window | null = null;
  window.open = (...args: Parameters<typeof window.open>) => (popup = open(...args));
  return () => {
    window.open = open;
    expect(popup, 'a popup was opened').not.to.equal(null);
    return popup!;
  };
}

/** Clicks the element's "Sign in with MoveMentors" and returns the popup it opened. */
function clickSignIn(el: HTMLElement): Window {
  const popupOf = capturePopup();
  button(el, 'sign-in')!.click();
  return popupOf();
}

/** Signs in on the popup's pages with the email code from the outbox, up to the consent. */
async function signInInPopup(popup: Window, email: string) {
  // Still signed in to the server as an earlier test's user: "Use another account".
  const first = await popupShows(
    popup,
    'input[name="email"], form[action="/oauth/authorize/switch"]',
  );
  if (first instanceof HTMLFormElement || first.tagName === 'FORM') {
    (first as HTMLFormElement).submit();
    await until(() => {
      try {
        return popup.document.querySelector('input[name="email"]');
      } catch {
        return null;
      }
    }, 'the sign-in page');
  }
  ((await popupShows(popup, 'input[name="email"]')) as HTMLInputElement).value = email;
  (
    popup.document.querySelector('form[action="/oauth/authorize/email"]') as HTMLFormElement
  ).submit();
  const codeInput = (await popupShows(popup, 'input[name="code"]')) as HTMLInputElement;
  const mail = (await platform.outbox()).filter((i) => i.to === email).at(-1)!;
  codeInput.value = /\d{6}/.exec(mail.subject)![0];
  codeInput.form!.submit();
  await popupShows(popup, '#origin');
}

const decide = async (popup: Window, decision: 'allow' | 'deny') =>
  (await popupShows(popup, `button[value="${decision}"]`)).click();

describe('sign-in', () => {
  it('shows "Sign in with MoveMentors" with api-base and no token, and sends nothing', async () => {
    const { crmId } = await mentor();
    performance.clearResourceTimings();
    const el = await fixture<MmClientList>(
      html`<mm-client-list api-base=${apiBase} crm=${crmId}></mm-client-list>`,
    );
    const b = button(el, 'sign-in');
    expect(b?.textContent?.trim()).to.equal('Sign in with MoveMentors');
    await aTimeout(50);
    const sent = performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/'));
    expect(sent).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('one popup signs in every element of the page; any of them signs all of them out', async () => {
    const { user, crmId, clientId } = await mentor();
    const root = await fixture(
      html`<div>
        <mm-client-list id="list" api-base=${apiBase} crm=${crmId}></mm-client-list>
        <mm-client-card api-base=${apiBase} crm=${crmId} client-id=${clientId}></mm-client-card>
        <mm-client-notes api-base=${apiBase} crm=${crmId} client-id=${clientId}></mm-client-notes>
      </div>`,
    );
    const [list, card, notes] = [...root.children] as HTMLElement[];
    for (const el of [list!, card!, notes!]) expect(button(el, 'sign-in')).not.to.equal(null);
    const signedIn: string[] = [];
    root.addEventListener('mm-signed-in', (e) => signedIn.push((e as CustomEvent).detail.userId));

    const popup = clickSignIn(card!);
    await until(() => textOf(list!.shadowRoot).includes('Finish signing in'), 'all wait');
    await signInInPopup(popup, user.email);
    await decide(popup, 'allow');

    await until(() => list!.shadowRoot!.querySelector('[part~="row"][data-client-id]'), 'rows');
    await until(() => textOf(card!.shadowRoot).includes('Ada Client'), 'the card');
    await until(() => notes!.shadowRoot!.querySelector('textarea'), 'the notes');
    expect(signedIn).to.deep.equal([user.id]);
    await until(() => popup.closed, 'the popup to close itself');

    // Where the tokens are: the refresh token in sessionStorage, nothing in localStorage or
    // cookies, no token in any element's DOM.
    const kept = JSON.parse(sessionStorage.getItem(`mm-crm-sign-in:${apiBase}`)!);
    expect(kept.refresh).to.match(/^mmrt_/);
    const local = Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`);
    expect(local.join('\n')).not.to.match(/mmrt_|mmcrm_/);
    expect(document.cookie).to.equal('');
    const access = (await signIn().token())!;
    for (const el of [list!, card!, notes!]) {
      expect(el.shadowRoot!.innerHTML).not.to.contain(access);
      expect(el.outerHTML).not.to.contain(access);
    }

    // Sign out from the notes: every element shows the button again, and the tokens are dead.
    const signedOut = new Promise((r) => root.addEventListener('mm-signed-out', r, { once: true }));
    button(notes!, 'sign-out')!.click();
    await signedOut;
    for (const el of [list!, card!, notes!]) {
      await until(() => button(el, 'sign-in'), 'the button again');
    }
    expect(sessionStorage.getItem(`mm-crm-sign-in:${apiBase}`)).to.equal(null);
    await until(async () => {
      const res = await fetch(`${apiBase}/v1/me`, {
        headers: { authorization: `Bearer ${access}` },
      });
      return res.status === 401;
    }, 'the access token to be revoked');
  });

  it('a provider with api-base and no token shares its sign-in with the elements inside', async () => {
    const { user, crmId, clientId } = await mentor();
    const provider = await fixture(
      html`<mm-crm-provider api-base=${apiBase} crm=${crmId}>
        <mm-client-card client-id=${clientId}></mm-client-card>
      </mm-crm-provider>`,
    );
    const card = provider.querySelector('mm-client-card')!;
    await until(() => button(card, 'sign-in'), 'the button in the card');
    const popup = clickSignIn(card);
    await signInInPopup(popup, user.email);
    await decide(popup, 'allow');
    await until(() => textOf(card.shadowRoot).includes('Ada Client'), 'the card');
  });

  it('Deny: a clear message and the button again', async () => {
    const { user, crmId } = await mentor();
    const el = await fixture<MmClientList>(
      html`<mm-client-list api-base=${apiBase} crm=${crmId}></mm-client-list>`,
    );
    const popup = clickSignIn(el);
    await signInInPopup(popup, user.email);
    await decide(popup, 'deny');
    await until(() => textOf(el.shadowRoot).includes('Access was not allowed'), 'the message');
    expect(button(el, 'sign-in')).not.to.equal(null);
    expect(signIn().phase).to.equal('signed-out');
  });

  it('the popup closed by the user: a clear message and the button again', async () => {
    const { crmId } = await mentor();
    const el = await fixture<MmClientList>(
      html`<mm-client-list api-base=${apiBase} crm=${crmId}></mm-client-list>`,
    );
    const popup = clickSignIn(el);
    await popupShows(popup, '#origin, input[name="email"]');
    popup.close();
    await until(() => textOf(el.shadowRoot).includes('was closed before you finished'), 'closed');
    expect(button(el, 'sign-in')!.disabled).to.equal(false);
  });

  it('a blocked popup: says so, and offers the button again', async () => {
    const { crmId } = await mentor();
    const el = await fixture<MmClientList>(
      html`<mm-client-list api-base=${apiBase} crm=${crmId}></mm-client-list>`,
    );
    // Fake: headless Chromium here does not block popups; a blocker makes window.open
    // return null, which is what this stands in for.
    const open = window.open;
    window.open = () => null;
    try {
      button(el, 'sign-in')!.click();
      await until(() => textOf(el.shadowRoot).includes('blocked the sign-in window'), 'blocked');
    } finally {
      window.open = open;
    }
    expect(button(el, 'sign-in')).not.to.equal(null);
  });

  it('ignores an answer from anything but its popup, even with the right state', async () => {
    const { user, crmId } = await mentor();
    const el = await fixture<MmClientList>(
      html`<mm-client-list api-base=${apiBase} crm=${crmId}></mm-client-list>`,
    );
    const popup = clickSignIn(el);
    await popupShows(popup, '#origin, input[name="email"]');
    const state = new URL(popup.location.href).searchParams.get('state');
    // The page itself (not the popup) posts a forged answer with the right state.
    window.postMessage(
      { type: 'authorization_response', response: { error: 'access_denied', state } },
      location.origin,
    );
    await aTimeout(300);
    expect(signIn().phase).to.equal('popup');
    expect(textOf(el.shadowRoot)).not.to.contain('Access was not allowed');
    // The real popup still completes the sign-in.
    await signInInPopup(popup, user.email);
    await decide(popup, 'allow');
    await until(() => el.shadowRoot!.querySelector('[part~="row"][data-client-id]'), 'rows');
  });

  it('without crm: the only CRM is shown; with several, the user chooses', async () => {
    const { user } = await mentor('Multi Mentor');
    const studio = await platform.studio(0);
    await platform.addMember(studio.crmId, user.id);
    await platform.client(studio.crmId, user.id, {
      email: `${unique('s')}@example.test`,
      name: 'Studio Client',
    });
    const el = await fixture<MmClientList>(
      html`<mm-client-list api-base=${apiBase}></mm-client-list>`,
    );
    const popup = clickSignIn(el);
    await signInInPopup(popup, user.email);
    // Consent: tick both client books.
    for (const box of popup.document.querySelectorAll<HTMLInputElement>('input[name="crm"]')) {
      box.checked = true;
    }
    await decide(popup, 'allow');
    const choice = await until(
      () => el.shadowRoot!.querySelector('[part~="crm-choice"]'),
      'a choice',
    );
    expect(textOf(choice)).to.contain('Which client book');
    await expect(el).to.be.accessible();
    const studioButton = [...choice.querySelectorAll('button')].find((b) =>
      textOf(b).includes('Test Studio'),
    )!;
    studioButton.click();
    await until(() => textOf(el.shadowRoot).includes('Studio Client'), 'the studio list');
  });

  it('a token close to its expiry is renewed (rotated) before the request', async () => {
    const { user, crmId } = await mentor();
    const el = await fixture<MmClientList>(
      html`<mm-client-list api-base=${apiBase} crm=${crmId}></mm-client-list>`,
    );
    const popup = clickSignIn(el);
    await signInInPopup(popup, user.email);
    await decide(popup, 'allow');
    await until(() => el.shadowRoot!.querySelector('[part~="row"][data-client-id]'), 'rows');
    const s = signIn();
    const before = s.access!.token;
    s.access!.expires = Date.now() + 30_000; // inside the minute before expiry
    const token = await s.token();
    expect(token).not.to.equal(before);
    const res = await fetch(`${apiBase}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).to.equal(200);
  });
});
