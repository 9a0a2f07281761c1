/**
 * <mm-client-notes> against the real reference server (in-memory PGlite, fixed clock).
 *
 * Faults that cannot be made for real are faked by wrapping `window.fetch` for the CRM
 * API's note URLs only, and each fake says what it stands for: a dropped connection (the
 * request rejects with the browser's TypeError), a server error (a 500 problem response) and
 * a lost response (the request reaches the real server, the answer never reaches the page).
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  DRAFT_PREFIX,
  draftKey,
  type NoteDraft,
} from '../../src/elements/client-notes/draft-store.js';
import '../../src/mm-client-notes.js';
import type { MmClientNotes } from '../../src/mm-client-notes.js';
import type { MmErrorDetail } from '../../src/events.js';
import { formatDateTime } from '../../src/shared/format.js';
import { apiBase, platform, textOf, unique, until, type SeededUser } from '../helpers/browser.js';
import { realFetch, serverError } from '../helpers/browser.js';
import { notePath, putNote, serverNote } from '../helpers/notes.js';

// -- seeding and the server's view -------------------------------------------------------------

async function mentorWithClient() {
  const { user, crmId } = await platform.mentor('Maya Mentor');
  const clientId = await platform.client(crmId, user.id, {
    email: `${unique('ada')}@example.test`,
    name: 'Ada Client',
  });
  return { user, crmId, clientId };
}

async function studioWithClient() {
  const { owner, teachers, crmId } = await platform.studio(2);
  const clientId = await platform.client(crmId, teachers[0]!.id, {
    email: `${unique('bo')}@example.test`,
    name: 'Bo Client',
  });
  return { owner, teachers: teachers as [SeededUser, SeededUser], crmId, clientId };
}

const draftOf = (crm: string, clientId: string): NoteDraft | null =>
  JSON.parse(localStorage.getItem(draftKey(apiBase, crm, clientId)) ?? 'null') as NoteDraft | null;

// -- the element as a user sees it ---------------------------------------------------------------

/** `saveDelay`: long enough that a loaded machine's keystrokes do not split into saves. */
async function mount(token: string, crm: string, clientId: string, saveDelay = 300) {
  const el = await fixture<MmClientNotes>(
    html`<mm-client-notes
      api-base=${apiBase}
      crm=${crm}
      client-id=${clientId}
      locale="en-US"
      save-delay=${saveDelay}
      .token=${token}
    ></mm-client-notes>`,
  );
  await until(() => editor(el) && !/Loading/.test(status(el)), 'the note to load');
  return el;
}

const $ = <E extends Element = HTMLElement>(el: MmClientNotes, selector: string) =>
  el.shadowRoot!.querySelector<E>(selector);
const editor = (el: MmClientNotes) => $<HTMLTextAreaElement>(el, '#note');
const status = (el: MmClientNotes) => textOf($(el, '[part~="status"]'));
const notice = (el: MmClientNotes) => textOf($(el, '[part~="notice"]'));
const button = (el: MmClientNotes, name: string) =>
  [...el.shadowRoot!.querySelectorAll('button')].find((b) => textOf(b) === name);

/** Real keystrokes into the note. */
async function type(el: MmClientNotes, text: string) {
  const area = editor(el)!;
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
  await sendKeys({ type: text });
}

/** A paste: the whole value at once (too long to type key by key). */
function paste(el: MmClientNotes, text: string) {
  const area = editor(el)!;
  area.value = text;
  area.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

const statusBecomes = (el: MmClientNotes, pattern: RegExp) =>
  until(() => pattern.test(status(el)), `status ${pattern} (is "${status(el)}")`);

// -- fetch fakes ---------------------------------------------------------------------------------

interface Call {
  method: string;
  url: string;
  /** Asked to outlive the page (`fetch` keepalive). */
  keepalive: boolean;
}

/**
 * Wraps `window.fetch` for the note URLs. `handle` answers a note request or returns
 * undefined to let it through to the real server. Every note request is recorded.
 */
function stubNoteFetch(
  handle: (call: Call, pass: () => Promise<Response>) => Promise<Response> | undefined,
) {
  const calls: Call[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = (
      input instanceof Request ? input.method : (init?.method ?? 'GET')
    ).toUpperCase();
    const pass = () => realFetch(input, init);
    if (!/\/v1\/crms\/[^/]+\/clients\/[^/]+\/note$/.test(new URL(url).pathname)) return pass();
    const keepalive = init?.keepalive ?? (input instanceof Request && input.keepalive);
    const call = { method, url, keepalive };
    calls.push(call);
    return handle(call, pass) ?? pass();
  };
  return calls;
}

/** Stands for a dropped connection: what fetch does when the network is gone. */
const networkDown = () => Promise.reject(new TypeError('Failed to fetch'));

afterEach(() => {
  window.fetch = realFetch;
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(DRAFT_PREFIX)) localStorage.removeItem(key);
  }
});

// -------------------------------------------------------------------------------------------

describe('<mm-client-notes>', () => {
  it('autosaves after a pause and a new editor for the client shows the saved text', async () => {
    const { user, crmId, clientId } = await mentorWithClient();
    // A pause longer than any gap between two keystrokes of sendKeys on a loaded machine
    // (over 1 s was seen), so that the sentence is one save, as it is for a person typing.
    const el = await mount(user.token, crmId, clientId, 2500);
    expect(editor(el)!.value).to.equal('');

    const saved = oneEvent(el, 'mm-note-saved');
    await type(el, 'Low-back issue, modify folds.');
    expect(draftOf(crmId, clientId)?.text, 'draft written before any request').to.equal(
      'Low-back issue, modify folds.',
    );
    const { detail } = await saved;
    expect(detail).to.deep.equal({ clientId, version: 1 });
    await statusBecomes(el, /^Saved \d{1,2}:\d{2}/);
    expect(draftOf(crmId, clientId), 'draft removed once confirmed').to.equal(null);

    const onServer = await serverNote(user.token, crmId, clientId);
    expect(onServer.text).to.equal('Low-back issue, modify folds.');
    expect(onServer.version).to.equal(1);

    el.remove();
    const again = await mount(user.token, crmId, clientId);
    expect(editor(again)!.value).to.equal('Low-back issue, modify folds.');
  });

  it('sends one save at a time and the edits typed meanwhile against the new version', async () => {
    const { user, crmId, clientId } = await mentorWithClient();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const puts: string[] = [];
    // A slow response: the first PUT waits until the test lets it through.
    stubNoteFetch((call, pass) => {
      if (call.method !== 'PUT') return undefined;
      puts.push(call.method);
      return puts.length === 1 ? gate.then(pass) : undefined;
    });
    const el = await mount(user.token, crmId, clientId, 30);
    await type(el, 'first');
    await until(() => puts.length === 1, 'the first save');
    await type(el, ' second');
    editor(el)!.blur();
    await new Promise((r) => setTimeout(r, 200));
    expect(puts.length, 'no second save while one is in flight').to.equal(1);
    expect(draftOf(crmId, clientId)?.text).to.equal('first second');

    release();
    await until(() => puts.length === 2, 'the queued save');
    await statusBecomes(el, /^Saved/);
    const onServer = await serverNote(user.token, crmId, clientId);
    expect(onServer).to.include({ text: 'first second', version: 2 });
    expect(draftOf(crmId, clientId)).to.equal(null);
  });

  it('keeps the draft while offline and sends it when the network returns', async () => {
    const { user, crmId, clientId } = await mentorWithClient();
    const el = await mount(user.token, crmId, clientId);
    // Fake: the connection drops (fetch rejects for the note URL).
    let offline = true;
    stubNoteFetch(() => (offline ? networkDown() : undefined));

    const errors: MmErrorDetail[] = [];
    el.addEventListener('mm-error', (e) => errors.push(e.detail));
    await type(el, 'Training for a half-marathon');
    await statusBecomes(el, /^Offline — kept on this device$/);
    expect(errors[0]).to.include({ code: 'network_error', status: 0 });
    expect(draftOf(crmId, clientId)).to.include({
      text: 'Training for a half-marathon',
      baseVersion: 0,
    });

    // The page is closed and opened again, still offline: the draft is back.
    el.remove();
    const again = await mount(user.token, crmId, clientId);
    expect(editor(again)!.value).to.equal('Training for a half-marathon');
    await statusBecomes(again, /^Offline — kept on this device$/);

    // The network returns.
    offline = false;
    window.fetch = realFetch;
    const saved = oneEvent(again, 'mm-note-saved');
    window.dispatchEvent(new Event('online'));
    await saved;
    await statusBecomes(again, /^Saved/);
    expect(draftOf(crmId, clientId)).to.equal(null);
    expect((await serverNote(user.token, crmId, clientId)).text).to.equal(
      'Training for a half-marathon',
    );
  });

  it('shows "Not saved — retry" on a 500 and saves on Retry once the server recovers', async () => {
    const { user, crmId, clientId } = await mentorWithClient();
    const el = await mount(user.token, crmId, clientId);
    // Fake: the server fails every PUT (the client's own retries included) until told.
    let failing = true;
    const calls = stubNoteFetch((call) =>
      failing && call.method === 'PUT' ? serverError() : undefined,
    );
    const error = oneEvent(el, 'mm-error');
    await type(el, 'Wedding in August');
    expect((await error).detail).to.include({ code: 'internal', status: 500 });
    await statusBecomes(el, /^Not saved — retry/);
    expect(button(el, 'Retry'), 'Retry button').not.to.equal(undefined);
    expect(draftOf(crmId, clientId)?.text).to.equal('Wedding in August');
    expect((await serverNote(user.token, crmId, clientId)).text).to.equal('');

    failing = false;
    button(el, 'Retry')!.click();
    await statusBecomes(el, /^Saved/);
    expect(calls.filter((c) => c.method === 'PUT').length).to.be.greaterThan(1);
    expect(draftOf(crmId, clientId)).to.equal(null);
    expect((await serverNote(user.token, crmId, clientId)).text).to.equal('Wedding in August');
  });

  it('with a read-only token, says the note cannot be edited, offers no Retry and keeps the text', async () => {
    const { user, crmId, clientId } = await mentorWithClient();
    const readOnly = await platform.token(user.id, ['crm:read']);
    const el = await mount(readOnly, crmId, clientId);
    await type(el, 'Knee: go easy');
    await statusBecomes(el, /^Not saved: you can read this note but not edit it/);
    expect(button(el, 'Retry')).to.equal(undefined);
    expect(draftOf(crmId, clientId)?.text).to.equal('Knee: go easy');
    expect((await serverNote(user.token, crmId, clientId)).text).to.equal('');
  });

  it('recovers from a single 500 without losing the text', async () => {
    const { user, crmId, clientId } = await mentorWithClient();
    const el = await mount(user.token, crmId, clientId);
    // Fake: one 500 problem response, then the real server.
    let failures = 1;
    stubNoteFetch((call) => (call.method === 'PUT' && failures-- > 0 ? serverError() : undefined));
    await type(el, 'Prefers the corner spot');
    await statusBecomes(el, /^Saved/);
    expect(failures).to.be.lessThan(0);
    expect((await serverNote(user.token, crmId, clientId)).text).to.equal(
      'Prefers the corner spot',
    );
    expect(draftOf(crmId, clientId)).to.equal(null);
  });

  it('counts a retried save whose response was lost as saved, not as a conflict', async () => {
    const { user, crmId, clientId } = await mentorWithClient();
    const el = await mount(user.token, crmId, clientId);
    const statuses: number[] = [];
    let lose = 1;
    // Fake: the first PUT reaches the real server (which saves it) but its response is lost
    // on the way back; later requests pass through.
    stubNoteFetch(async (call, pass) => {
      const res = await pass();
      statuses.push(res.status);
      if (call.method === 'PUT' && lose-- > 0) throw new TypeError('Failed to fetch');
      return res;
    });
    const conflicts: unknown[] = [];
    el.addEventListener('mm-note-conflict', (e) => conflicts.push(e.detail));
    const saved = oneEvent(el, 'mm-note-saved');
    paste(el, 'Nervous about backbends');
    expect((await saved).detail).to.deep.equal({ clientId, version: 1 });
    await statusBecomes(el, /^Saved/);
    expect(statuses, 'the retry got a 412 with the same text').to.include(412);
    expect(conflicts).to.deep.equal([]);
    expect($(el, '[part~="conflict"]')).to.equal(null);
    expect(draftOf(crmId, clientId)).to.equal(null);
    expect(await serverNote(user.token, crmId, clientId)).to.include({
      text: 'Nervous about backbends',
      version: 1,
    });

    // The next edit goes against version 1 without a conflict.
    await type(el, '!');
    await until(async () => (await serverNote(user.token, crmId, clientId)).version === 2);
    expect(conflicts).to.deep.equal([]);
  });

  describe('two editors in conflict', () => {
    /** Teacher 1 saves first; teacher 2, still on version 0, then gets the conflict. */
    async function conflict() {
      const studio = await studioWithClient();
      const [t1, t2] = studio.teachers;
      const first = await mount(t1.token, studio.crmId, studio.clientId);
      const second = await mount(t2.token, studio.crmId, studio.clientId);
      await type(first, 'Knee surgery in May');
      await statusBecomes(first, /^Saved/);

      const conflicted = oneEvent(second, 'mm-note-conflict');
      await type(second, 'Wants private sessions');
      const { detail } = await conflicted;
      expect(detail).to.deep.equal({ clientId: studio.clientId, baseVersion: 0, serverVersion: 1 });
      await statusBecomes(second, /Someone else changed this note/);
      const panel = $(second, '[part~="conflict"]')!;
      expect(textOf(panel)).to.contain('Teacher 1');
      expect($<HTMLTextAreaElement>(second, '[part~="theirs"]')!.value).to.equal(
        'Knee surgery in May',
      );
      expect(editor(second)!.value).to.equal('Wants private sessions');
      expect(draftOf(studio.crmId, studio.clientId)?.text, 'draft kept until resolved').to.equal(
        'Wants private sessions',
      );
      expect((await serverNote(t2.token, studio.crmId, studio.clientId)).text).to.equal(
        'Knee surgery in May',
      );
      return { ...studio, first, second, t2 };
    }

    it('keep mine saves mine over the current version', async () => {
      const { second, t2, crmId, clientId } = await conflict();
      await expect(second).to.be.accessible();
      const saved = oneEvent(second, 'mm-note-saved');
      button(second, 'Keep mine')!.click();
      expect((await saved).detail).to.deep.equal({ clientId, version: 2 });
      await statusBecomes(second, /^Saved/);
      expect($(second, '[part~="conflict"]')).to.equal(null);
      expect(await serverNote(t2.token, crmId, clientId)).to.include({
        text: 'Wants private sessions',
        version: 2,
      });
      expect(draftOf(crmId, clientId)).to.equal(null);
    });

    it('take theirs replaces mine and clears the draft', async () => {
      const { second, t2, crmId, clientId } = await conflict();
      button(second, 'Take theirs')!.click();
      await until(() => !$(second, '[part~="conflict"]'), 'the conflict to close');
      expect(editor(second)!.value).to.equal('Knee surgery in May');
      expect(draftOf(crmId, clientId)).to.equal(null);
      await new Promise((r) => setTimeout(r, 200));
      expect(await serverNote(t2.token, crmId, clientId)).to.include({
        text: 'Knee surgery in May',
        version: 1,
      });
      expect(second.hasUnsavedChanges).to.equal(false);
    });

    it('merge by hand saves the edited combination over the current version', async () => {
      const { second, t2, crmId, clientId } = await conflict();
      button(second, 'Merge by hand')!.click();
      await until(() => /Knee surgery in May/.test(editor(second)!.value), 'the merge text');
      const merged = editor(second)!.value;
      expect(merged).to.contain('Wants private sessions');
      expect(merged).to.contain('Knee surgery in May');
      expect(textOf($(second, 'label[for="note"]'))).to.match(/Merged note/);
      await new Promise((r) => setTimeout(r, 200));
      expect(
        (await serverNote(t2.token, crmId, clientId)).version,
        'not saved before asked',
      ).to.equal(1);

      paste(second, 'Knee surgery in May. Wants private sessions.');
      button(second, 'Save merged note')!.click();
      await statusBecomes(second, /^Saved/);
      expect(await serverNote(t2.token, crmId, clientId)).to.include({
        text: 'Knee surgery in May. Wants private sessions.',
        version: 2,
      });
      expect(draftOf(crmId, clientId)).to.equal(null);
    });

    it('the header names who wrote the other version, not the editor of the version loaded', async () => {
      const { owner, teachers, crmId, clientId } = await studioWithClient();
      await putNote(owner.token, crmId, clientId, 'First lesson: shy', 0);
      const el = await mount(teachers[1].token, crmId, clientId);
      expect(notice(el)).to.contain('Last edited by Olive Owner');
      await putNote(teachers[0].token, crmId, clientId, 'Knee surgery in May', 1);
      await type(el, ' Wants private sessions');
      await statusBecomes(el, /Someone else changed this note/);
      expect(notice(el)).to.contain('Last edited by Teacher 1');
      expect(notice(el)).not.to.contain('Olive Owner');
    });

    it('a draft from an older version opens as a conflict, not an overwrite', async () => {
      const { user, crmId, clientId } = await mentorWithClient();
      await putNote(user.token, crmId, clientId, 'Saved elsewhere', 0);
      localStorage.setItem(
        draftKey(apiBase, crmId, clientId),
        JSON.stringify({
          text: 'Typed on the laptop',
          baseVersion: 0,
          savedAt: new Date().toISOString(),
        }),
      );
      const el = await mount(user.token, crmId, clientId);
      await statusBecomes(el, /Someone else changed this note/);
      expect(editor(el)!.value).to.equal('Typed on the laptop');
      expect((await serverNote(user.token, crmId, clientId)).text).to.equal('Saved elsewhere');
    });
  });

  describe('the 20,000-character limit', () => {
    it('shows a counter near the limit and still saves under it', async () => {
      const { user, crmId, clientId } = await mentorWithClient();
      const el = await mount(user.token, crmId, clientId);
      expect($(el, '[part~="counter"]')).to.equal(null);
      paste(el, 'a'.repeat(19_500));
      await el.updateComplete;
      expect(textOf($(el, '[part~="counter"]'))).to.equal('19,500 / 20,000');
      await statusBecomes(el, /^Saved/);
      expect((await serverNote(user.token, crmId, clientId)).text.length).to.equal(19_500);
    });

    it('keeps an over-limit text locally, does not send it and says so', async () => {
      const { user, crmId, clientId } = await mentorWithClient();
      const el = await mount(user.token, crmId, clientId, 20);
      const calls = stubNoteFetch(() => undefined);
      paste(el, 'b'.repeat(20_001));
      editor(el)!.blur();
      await statusBecomes(el, /Too long to save: 20,001 of 20,000 characters/);
      expect(textOf($(el, '[part~="counter"]'))).to.equal('20,001 / 20,000');
      expect(editor(el)!.getAttribute('aria-invalid')).to.equal('true');
      await new Promise((r) => setTimeout(r, 300));
      expect(calls.filter((c) => c.method === 'PUT')).to.deep.equal([]);
      expect(draftOf(crmId, clientId)?.text.length).to.equal(20_001);
      expect(editor(el)!.value.length, 'the text is kept').to.equal(20_001);

      paste(el, 'b'.repeat(20_000));
      await statusBecomes(el, /^Saved/);
      expect((await serverNote(user.token, crmId, clientId)).text.length).to.equal(20_000);
    });
  });

  describe('who can read the note', () => {
    it('studio: a teacher sees another teacher’s note and who edited it last', async () => {
      const { teachers, crmId, clientId } = await studioWithClient();
      const note = await putNote(teachers[0].token, crmId, clientId, 'Has a low-back issue', 0);
      const el = await mount(teachers[1].token, crmId, clientId);
      expect(editor(el)!.value).to.equal('Has a low-back issue');
      expect(notice(el)).to.contain("Shared with your studio's teachers");
      expect(notice(el)).to.contain(
        `Last edited by Teacher 1, ${formatDateTime(note.updatedAt!, 'en-US')}`,
      );
      await expect(el).to.be.accessible();
    });

    it('mentor: a "private to you" notice, and another mentor gets not found', async () => {
      const { user, crmId, clientId } = await mentorWithClient();
      await putNote(user.token, crmId, clientId, 'Always brings her own mat', 0);
      const el = await mount(user.token, crmId, clientId);
      expect(notice(el)).to.equal('Private to you — the client never sees this.');
      expect(notice(el)).not.to.contain('Last edited');

      const other = await platform.mentor('Other Mentor');
      const res = await realFetch(`${apiBase}${notePath(crmId, clientId)}`, {
        headers: { authorization: `Bearer ${other.user.token}` },
      });
      expect(res.status).to.equal(404);

      const errored = new Promise<MmErrorDetail>((resolve) =>
        document.addEventListener('mm-error', (e) => resolve(e.detail), { once: true }),
      );
      const stranger = await fixture<MmClientNotes>(
        html`<mm-client-notes
          api-base=${apiBase}
          crm=${crmId}
          client-id=${clientId}
          .token=${other.user.token}
        ></mm-client-notes>`,
      );
      expect((await errored).code).to.equal('not_found');
      await until(() => $(stranger, '[part~="error"]'), 'the error state');
      expect(textOf($(stranger, '[part~="error"]'))).to.contain('Not found');
      expect(editor(stranger)).to.equal(null);
      expect(textOf(stranger.shadowRoot!)).not.to.contain('Always brings her own mat');
    });
  });

  describe('leaving and switching', () => {
    it('warns before unload while a draft is unsaved', async () => {
      const { user, crmId, clientId } = await mentorWithClient();
      const el = await mount(user.token, crmId, clientId);
      const unload = () => {
        const event = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(event);
        return event.defaultPrevented;
      };
      expect(unload(), 'nothing to lose yet').to.equal(false);
      // Fake: a dropped connection keeps the draft unsaved.
      stubNoteFetch(() => networkDown());
      await type(el, 'Unsent words');
      await statusBecomes(el, /^Offline/);
      expect(unload()).to.equal(true);

      window.fetch = realFetch;
      window.dispatchEvent(new Event('online'));
      await statusBecomes(el, /^Saved/);
      expect(unload()).to.equal(false);
    });

    it('saves at once when the page is hidden', async () => {
      const { user, crmId, clientId } = await mentorWithClient();
      const el = await mount(user.token, crmId, clientId, 60_000);
      const calls = stubNoteFetch(() => undefined); // observes, the real server answers
      await type(el, 'Before the lid closes');
      expect(status(el)).to.equal('Unsaved changes');
      window.dispatchEvent(new Event('pagehide'));
      await statusBecomes(el, /^Saved/);
      expect((await serverNote(user.token, crmId, clientId)).text).to.equal(
        'Before the lid closes',
      );
      // The save may outlive the page: the browser keeps it going after the page is gone.
      expect(calls.filter((c) => c.method === 'PUT').map((c) => c.keepalive)).to.deep.equal([true]);

      await type(el, '.');
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      try {
        document.dispatchEvent(new Event('visibilitychange'));
      } finally {
        delete (document as { visibilityState?: string }).visibilityState;
      }
      await statusBecomes(el, /^Saved/);
      expect((await serverNote(user.token, crmId, clientId)).text).to.equal(
        'Before the lid closes.',
      );
    });

    it('a note too large for a request that outlives the page is still saved on page hide', async () => {
      const { user, crmId, clientId } = await mentorWithClient();
      const el = await mount(user.token, crmId, clientId, 60_000);
      const calls = stubNoteFetch(() => undefined);
      // 20,000 characters of 3 bytes: over what browsers let a keepalive request carry.
      const long = '€'.repeat(20_000);
      paste(el, long);
      window.dispatchEvent(new Event('pagehide'));
      await statusBecomes(el, /^Saved/);
      expect((await serverNote(user.token, crmId, clientId)).text).to.equal(long);
      expect(calls.filter((c) => c.method === 'PUT').map((c) => c.keepalive)).to.deep.equal([
        false,
      ]);
    });

    it('switching to another client sends the previous client’s pending edit first', async () => {
      const { user, crmId, clientId } = await mentorWithClient();
      const second = await platform.client(crmId, user.id, {
        email: `${unique('cy')}@example.test`,
        name: 'Cy Client',
      });
      await putNote(user.token, crmId, second, 'Second client note', 0);
      const el = await mount(user.token, crmId, clientId, 60_000);
      const saved = oneEvent(el, 'mm-note-saved');
      await type(el, 'First client, unsent');
      el.clientId = second;
      expect((await saved).detail).to.deep.equal({ clientId, version: 1 });
      await until(() => editor(el)?.value === 'Second client note', 'the second note');
      expect((await serverNote(user.token, crmId, clientId)).text).to.equal('First client, unsent');
      expect(draftOf(crmId, clientId)).to.equal(null);
      expect(el.hasUnsavedChanges).to.equal(false);
    });
  });

  it('follows a list’s selection with for= and saves the pending edit before following', async () => {
    const { user, crmId, clientId } = await mentorWithClient();
    const second = await platform.client(crmId, user.id, {
      email: `${unique('di')}@example.test`,
      name: 'Di Client',
    });
    // A stand-in for <mm-client-list id="clients">: what notes rely on is its id and its
    // mm-client-select events.
    const page = await fixture<HTMLElement>(
      html`<div>
        <div id="clients-source"></div>
        <mm-client-notes
          for="clients-source"
          api-base=${apiBase}
          crm=${crmId}
          save-delay="60000"
          .token=${user.token}
        ></mm-client-notes>
      </div>`,
    );
    const el = page.querySelector('mm-client-notes')!;
    const select = (id: string) =>
      page.querySelector('#clients-source')!.dispatchEvent(
        new CustomEvent('mm-client-select', {
          detail: { clientId: id },
          bubbles: true,
          composed: true,
        }),
      );
    expect(status(el)).to.equal('Choose a client to see their notes.');

    select(clientId);
    await until(() => editor(el) && !/Loading/.test(status(el)), 'the first note');
    await type(el, 'Followed and typed');
    const saved = oneEvent(el, 'mm-note-saved');
    select(second);
    expect((await saved).detail).to.deep.equal({ clientId, version: 1 });
    await until(() => el.clientId === second && editor(el)?.value === '', 'the second note');
    expect((await serverNote(user.token, crmId, clientId)).text).to.equal('Followed and typed');
  });

  it('keeps the draft in memory and warns when local storage is refused', async () => {
    const { user, crmId, clientId } = await mentorWithClient();
    const el = await mount(user.token, crmId, clientId, 60_000);
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      await type(el, 'Kept in memory');
      await el.updateComplete;
      expect(textOf($(el, '#local-only'))).to.contain('cannot keep a copy');
      expect(draftOf(crmId, clientId)).to.equal(null);
      // Another element on the page still finds the draft.
      const twin = await mount(user.token, crmId, clientId, 60_000);
      expect(editor(twin)!.value).to.equal('Kept in memory');
      await el.flush();
      await twin.flush();
      await statusBecomes(el, /^Saved/);
    } finally {
      Storage.prototype.setItem = setItem;
    }
    expect((await serverNote(user.token, crmId, clientId)).text).to.equal('Kept in memory');
  });

  it('makes no request without a token, and offers to sign in', async () => {
    const calls: string[] = [];
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    };
    const el = await fixture<MmClientNotes>(
      html`<mm-client-notes
        api-base=${apiBase}
        crm="crm-x"
        client-id="client-x"
      ></mm-client-notes>`,
    );
    expect(el.shadowRoot!.querySelector('[part~="sign-in"]')?.textContent).to.contain(
      'Sign in with MoveMentors',
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).to.deep.equal([]);
  });

  it('is accessible: a labelled text area and a polite live region for the save state', async () => {
    const { user, crmId, clientId } = await mentorWithClient();
    const el = await mount(user.token, crmId, clientId);
    const live = $(el, '[part~="status"]')!;
    expect(live.getAttribute('role')).to.equal('status');
    expect(textOf($(el, 'label[for="note"]'))).to.equal('Notes');
    expect(editor(el)!.getAttribute('part')).to.equal('textarea');
    await expect(el).to.be.accessible();
    await type(el, 'x');
    await statusBecomes(el, /^Saved/);
    await expect(el).to.be.accessible();
  });
});
