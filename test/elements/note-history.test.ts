/**
 * The "History" view of <mm-client-notes> (SPEC section 8) against the real reference server:
 * the kept versions with who and when, one version's text, its word-level changes to the
 * current note, and Restore through the note's ordinary save (a conflict is a conflict). The
 * word diff itself is checked on its own at the end.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Note } from '../../src/api/schemas.js';
import { DRAFT_PREFIX } from '../../src/elements/client-notes/draft-store.js';
import { wordDiff } from '../../src/elements/client-notes/word-diff.js';
import '../../src/mm-client-notes.js';
import type { MmClientNotes } from '../../src/mm-client-notes.js';
import { formatDateTime } from '../../src/shared/format.js';
import {
  apiBase,
  failRequests,
  platform,
  realFetch,
  serverError,
  textOf,
  unique,
  until,
} from '../helpers/browser.js';
import { putNote, serverNote } from '../helpers/notes.js';

afterEach(() => {
  window.fetch = realFetch;
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(DRAFT_PREFIX)) localStorage.removeItem(key);
  }
});

async function studioClient() {
  const { teachers, crmId } = await platform.studio(2);
  const clientId = await platform.client(crmId, teachers[0]!.id, {
    email: `${unique('bo')}@example.test`,
    name: 'Bo Client',
  });
  return { t1: teachers[0]!, t2: teachers[1]!, crmId, clientId };
}

async function mount(token: string, crm: string, clientId: string) {
  const el = await fixture<MmClientNotes>(
    html`<mm-client-notes
      api-base=${apiBase}
      crm=${crm}
      client-id=${clientId}
      locale="en-US"
      save-delay="300"
      .token=${token}
    ></mm-client-notes>`,
  );
  await until(() => $(el, '#note') && !/Loading/.test(status(el)), 'the note to load');
  return el;
}

const $ = <E extends Element = HTMLElement>(el: MmClientNotes, selector: string) =>
  el.shadowRoot!.querySelector<E>(selector);
const $$ = <E extends Element = HTMLElement>(el: MmClientNotes, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<E>(selector),
];
const status = (el: MmClientNotes) => textOf($(el, '.foot [part~="status"]'));
const button = (el: MmClientNotes, name: string) =>
  $$<HTMLButtonElement>(el, 'button').find((b) => textOf(b) === name);
const versions = (el: MmClientNotes) => $$(el, '[part~="version"]').map((b) => textOf(b));
const versionView = (el: MmClientNotes) => textOf($(el, '[part~="version-view"]'));

/** Opens the history and waits for its list (or its empty or error state). */
async function openHistory(el: MmClientNotes) {
  $(el, '[part~="history-button"]')!.click();
  await until(
    () =>
      $(el, '[part~="history"]') && !/Loading the history/.test(textOf($(el, '[part~="history"]'))),
    'the history',
    20_000,
  );
}

/** Picks version `n` in the list and waits for its text. */
async function pick(el: MmClientNotes, n: number) {
  $$(el, '[part~="version"]')
    .find((b) => textOf(b).startsWith(`Version ${n}`))!
    .click();
  await until(
    () => $(el, '[part~="restore"]') && versionView(el).startsWith(`Version ${n},`),
    `version ${n}`,
  );
}

const when = (note: Note) => formatDateTime(note.updatedAt!, 'en-US');

describe('<mm-client-notes> history', () => {
  it('lists the versions newest first with who and when, and shows the changes and text of one', async () => {
    const { t1, t2, crmId, clientId } = await studioClient();
    const v1 = await putNote(t1.token, crmId, clientId, 'Knee surgery in May.', 0);
    const v2 = await putNote(
      t2.token,
      crmId,
      clientId,
      'Knee surgery in May. Wants private sessions.',
      1,
    );
    const v3 = await putNote(
      t1.token,
      crmId,
      clientId,
      'Knee surgery in June. Wants private sessions.',
      2,
    );
    const el = await mount(t2.token, crmId, clientId);
    await openHistory(el);
    expect(versions(el)).to.deep.equal([
      `Version 3 (current) ${when(v3)} · Teacher 1`,
      `Version 2 ${when(v2)} · Teacher 2`,
      `Version 1 ${when(v1)} · Teacher 1`,
    ]);
    // the newest is shown at once: the current text, nothing to restore
    await until(() => $(el, '[part~="restore"]'), 'the newest version');
    expect(versionView(el)).to.contain('No changes: the current note has the same text.');
    expect($<HTMLButtonElement>(el, '[part~="restore"]')!.disabled).to.equal(true);

    await pick(el, 1);
    expect(versionView(el)).to.contain(`Version 1, saved ${when(v1)} by Teacher 1`);
    const diff = $(el, '[part~="diff"]')!;
    // from version 1 to the current text: May became June, a sentence was added
    expect([...diff.querySelectorAll('del')].map((d) => d.textContent)).to.deep.equal([
      '[removed: May.]',
    ]);
    expect([...diff.querySelectorAll('ins')].map((d) => d.textContent)).to.deep.equal([
      '[added: June. Wants private sessions.]',
    ]);
    // what a sighted reader sees: the marks are struck through and underlined, not only coloured
    expect(getComputedStyle(diff.querySelector('del')!).textDecorationLine).to.equal(
      'line-through',
    );
    expect(getComputedStyle(diff.querySelector('ins')!).textDecorationLine).to.equal('underline');
    expect(textOf($(el, '#diff-summary'))).to.equal(
      'Since version 1: 1 word removed (struck through), 4 words added (underlined).',
    );
    // what a screen reader reads
    expect(textOf(diff)).to.equal(
      'Knee surgery in [removed: May.][added: June. Wants private sessions.]',
    );
    await expect(el).to.be.accessible();

    button(el, 'Full text')!.click();
    await until(() => $(el, '[part~="version-text"]'), 'the text');
    expect($(el, '[part~="version-text"]')!.innerText).to.equal('Knee surgery in May.');
    await expect(el).to.be.accessible();
  });

  it('shows a note’s text as text, never as HTML, in the text and in the changes', async () => {
    const { t1, crmId, clientId } = await studioClient();
    await putNote(
      t1.token,
      crmId,
      clientId,
      '<img src=x onerror="window.__pwned=1"> <b>old</b>',
      0,
    );
    await putNote(t1.token, crmId, clientId, '<b>new</b>\n  indented', 1);
    const el = await mount(t1.token, crmId, clientId);
    await openHistory(el);
    await pick(el, 1);
    const diff = $(el, '[part~="diff"]')!;
    expect(diff.querySelector('img, b')).to.equal(null);
    expect(diff.textContent).to.contain('<img src=x onerror="window.__pwned=1">');
    button(el, 'Full text')!.click();
    const text = await until(() => $(el, '[part~="version-text"]'), 'the text');
    expect(text.querySelector('img, b')).to.equal(null);
    expect(text.innerText).to.equal('<img src=x onerror="window.__pwned=1"> <b>old</b>');
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('Restore saves the old text as a new version through the editor, with If-Match', async () => {
    const { t1, crmId, clientId } = await studioClient();
    await putNote(t1.token, crmId, clientId, 'First words', 0);
    await putNote(t1.token, crmId, clientId, 'Second words', 1);
    const el = await mount(t1.token, crmId, clientId);
    const puts: (string | null)[] = [];
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (request.method === 'PUT') puts.push(request.headers.get('if-match'));
      return realFetch(request);
    };
    await openHistory(el);
    await pick(el, 1);
    button(el, 'Restore this version')!.click();
    await until(() => /^Saved/.test(status(el)), 'the restored text to save');
    expect(puts).to.deep.equal(['"2"']);
    expect($(el, '[part~="history"]'), 'back to the editor').to.equal(null);
    expect($<HTMLTextAreaElement>(el, '#note')!.value).to.equal('First words');
    expect(el.shadowRoot!.activeElement?.id).to.equal('note');
    expect(await serverNote(t1.token, crmId, clientId)).to.include({
      text: 'First words',
      version: 3,
    });
    // the restore is a version of its own, and the text it replaced is still kept
    await openHistory(el);
    expect(versions(el).map((v) => v.replace(/ [A-Z][a-z]{2} \d.*/, ''))).to.deep.equal([
      'Version 3 (current)',
      'Version 2',
      'Version 1',
    ]);
    await pick(el, 2);
    expect($$(el, '[part~="diff"] del').map((d) => d.textContent)).to.deep.equal([
      '[removed: Second]',
    ]);
  });

  it('Restore over unsaved text asks first, inline and from the keyboard', async () => {
    const { t1, crmId, clientId } = await studioClient();
    await putNote(t1.token, crmId, clientId, 'Old plan', 0);
    await putNote(t1.token, crmId, clientId, 'Saved plan', 1);
    const el = await mount(t1.token, crmId, clientId);
    // the server fails the note's saves until told: the typed text stays unsaved
    let failing = true;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      return failing && request.method === 'PUT' ? serverError() : realFetch(request);
    };
    const area = $<HTMLTextAreaElement>(el, '#note')!;
    area.value = 'Saved plan and a new idea';
    area.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await until(() => /^Not saved/.test(status(el)), 'the save to fail');
    await openHistory(el);
    await pick(el, 1);
    const confirm = () => $(el, '[part~="restore-confirm"]');
    const focused = (part: string) =>
      until(() => el.shadowRoot!.activeElement?.getAttribute('part') === part, `focus on ${part}`);
    const restore = $<HTMLButtonElement>(el, '[part~="restore"]')!;
    restore.focus();
    await sendKeys({ press: 'Enter' });
    await until(confirm, 'the confirm');
    expect(textOf(confirm())).to.equal(
      'The note has unsaved changes. Restoring version 1 replaces the text in the editor, and ' +
        'your unsaved text is not kept in the history. Keep my unsaved text Replace it with version 1',
    );
    // the safe choice has the focus: Enter keeps the text, and focus goes back to Restore
    await focused('restore-cancel');
    await sendKeys({ press: 'Enter' });
    await until(() => !confirm(), 'the confirm to close');
    await focused('restore');
    expect($(el, '[part~="history"]'), 'still in the history').to.not.equal(null);
    // Escape closes the confirm only
    await sendKeys({ press: 'Enter' });
    await focused('restore-cancel');
    await sendKeys({ press: 'Escape' });
    await until(() => !confirm(), 'the confirm to close');
    expect($(el, '[part~="history"]'), 'still in the history').to.not.equal(null);
    expect($<HTMLTextAreaElement>(el, '#note'), 'the editor is not shown').to.equal(null);
    // Replace: the version's text is put in the editor and saved
    failing = false;
    await focused('restore');
    await sendKeys({ press: 'Enter' });
    await focused('restore-cancel');
    await sendKeys({ press: 'Tab' });
    await focused('restore-confirmed');
    await sendKeys({ press: 'Enter' });
    await until(() => /^Saved/.test(status(el)), 'the restored text to save');
    expect($<HTMLTextAreaElement>(el, '#note')!.value).to.equal('Old plan');
    expect(await serverNote(t1.token, crmId, clientId)).to.include({
      text: 'Old plan',
      version: 3,
    });
  });

  it('a save by someone else before Restore is a conflict, resolved like any other', async () => {
    const { t1, t2, crmId, clientId } = await studioClient();
    await putNote(t1.token, crmId, clientId, 'Old advice', 0);
    await putNote(t1.token, crmId, clientId, 'Current advice', 1);
    const el = await mount(t1.token, crmId, clientId);
    await openHistory(el);
    await pick(el, 1);
    // meanwhile, another teacher saves
    await putNote(t2.token, crmId, clientId, 'Teacher 2 advice', 2);
    button(el, 'Restore this version')!.click();
    await until(() => /Someone else changed this note/.test(status(el)), 'the conflict');
    expect($<HTMLTextAreaElement>(el, '#note')!.value).to.equal('Old advice');
    expect($<HTMLTextAreaElement>(el, '[part~="theirs"]')!.value).to.equal('Teacher 2 advice');
    expect(textOf($(el, '[part~="conflict"]'))).to.contain('Teacher 2');
    expect((await serverNote(t1.token, crmId, clientId)).text, 'nothing overwritten').to.equal(
      'Teacher 2 advice',
    );
    button(el, 'Keep mine')!.click();
    await until(() => /^Saved/.test(status(el)), 'the kept text to save');
    expect(await serverNote(t1.token, crmId, clientId)).to.include({
      text: 'Old advice',
      version: 4,
    });
  });

  it('says when there is no saved version yet, and does not name the author in a mentor’s CRM', async () => {
    const { user, crmId } = await platform.mentor();
    const clientId = await platform.client(crmId, user.id, {
      email: `${unique('ada')}@example.test`,
    });
    const el = await mount(user.token, crmId, clientId);
    await openHistory(el);
    expect(textOf($(el, '[part~="history"]'))).to.contain('No saved versions yet');
    await expect(el).to.be.accessible();
    button(el, 'Back to the note')!.click();
    await putNote(user.token, crmId, clientId, 'Private words', 0);
    await openHistory(el);
    expect(versions(el)).to.have.length(1);
    expect(versions(el)[0]).to.match(/^Version 1 \(current\) \w{3} \d+, 2026, [\d:]+ [AP]M$/);
  });

  it('a version no longer kept when picked says so (here: erased meanwhile)', async () => {
    const { t1, crmId } = await platform.studio(1).then((s) => ({ ...s, t1: s.teachers[0]! }));
    const email = `${unique('gone')}@example.test`;
    const clientId = await platform.client(crmId, t1.id, { email });
    await putNote(t1.token, crmId, clientId, 'First', 0);
    await putNote(t1.token, crmId, clientId, 'Second', 1);
    const el = await mount(t1.token, crmId, clientId);
    await openHistory(el);
    await until(() => $(el, '[part~="restore"]'), 'the newest version');
    await platform.erase(email);
    $$(el, '[part~="version"]')[1]!.click();
    await until(() => /no longer kept/.test(versionView(el)), 'the message');
    expect(versionView(el)).to.contain(
      'This version is no longer kept: a note keeps its last 100 versions.',
    );
    expect($(el, '[part~="restore"]')).to.equal(null);
  });

  it('pages older versions in', async () => {
    const { t1, crmId, clientId } = await studioClient();
    for (let v = 0; v < 23; v++) await putNote(t1.token, crmId, clientId, `Text ${v + 1}`, v);
    const el = await mount(t1.token, crmId, clientId);
    await openHistory(el);
    expect(versions(el)).to.have.length(20);
    expect(versions(el)[0]).to.match(/^Version 23 \(current\)/);
    button(el, 'Show older versions')!.click();
    await until(() => versions(el).length === 23, 'the older versions');
    expect(versions(el)[22]).to.match(/^Version 1 /);
    expect(button(el, 'Show older versions')).to.equal(undefined);
  });

  it('a failed history request says so with Retry, and the note is one click away', async () => {
    const { t1, crmId, clientId } = await studioClient();
    await putNote(t1.token, crmId, clientId, 'Some text', 0);
    let fail = true;
    // a failing server
    failRequests('/note/versions', () => fail);
    const el = await mount(t1.token, crmId, clientId);
    await openHistory(el);
    expect(textOf($(el, '[part~="history"] [part~="error"]'))).to.contain(
      'Could not load the history: boom',
    );
    await expect(el).to.be.accessible();
    fail = false;
    button(el, 'Retry')!.click();
    await until(() => versions(el).length === 1, 'the history after Retry');
    await until(() => $(el, '[part~="restore"]'), 'the version');
  });

  it('works from the keyboard: History, a version, Escape back to the History button', async () => {
    const { t1, crmId, clientId } = await studioClient();
    await putNote(t1.token, crmId, clientId, 'One', 0);
    await putNote(t1.token, crmId, clientId, 'Two', 1);
    const el = await mount(t1.token, crmId, clientId);
    $(el, '[part~="history-button"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => el.shadowRoot!.activeElement?.id === 'history-title', 'focus on the heading');
    await until(() => versions(el).length === 2, 'the versions');
    // Tab: Back to the note, then the versions
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(textOf(el.shadowRoot!.activeElement)).to.match(/^Version 1 /);
    await sendKeys({ press: 'Enter' });
    await until(() => el.shadowRoot!.activeElement?.id === 'version-title', 'focus on the version');
    await until(() => $(el, '[part~="diff"] del'), 'the changes');
    await sendKeys({ press: 'Escape' });
    await until(() => !$(el, '[part~="history"]'), 'the history to close');
    await until(
      () => el.shadowRoot!.activeElement?.getAttribute('part') === 'history-button',
      'focus back on History',
    );
  });
});

describe('wordDiff', () => {
  const show = (a: string, b: string) =>
    wordDiff(a, b)
      .map((p) =>
        p.kind === 'same' ? p.text : p.kind === 'removed' ? `[-${p.text}]` : `{+${p.text}}`,
      )
      .join('');

  it('marks a replaced, an added and a removed word', () => {
    expect(show('the quick brown fox', 'the slow brown fox')).to.equal(
      'the [-quick]{+slow} brown fox',
    );
    expect(show('a b', 'a new b')).to.equal('a {+new }b');
    expect(show('a old b', 'a b')).to.equal('a [-old ]b');
    expect(show('same', 'same')).to.equal('same');
    expect(show('', 'all new')).to.equal('{+all new}');
  });

  it('reads a run of changed words as one removal then one addition', () => {
    expect(show('keep one two three keep', 'keep four five six keep')).to.equal(
      'keep [-one two three]{+four five six} keep',
    );
  });

  it('keeps line breaks', () => {
    expect(show('line one\nline two', 'line one\nline 2')).to.equal('line one\nline [-two]{+2}');
  });

  it('a middle too large for its table is removed and added whole', () => {
    const before = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    const after = Array.from({ length: 50 }, (_, i) => `v${i}`).join(' ');
    const parts = wordDiff(`start ${before} end`, `start ${after} end`, 100);
    expect(parts.map((p) => p.kind)).to.deep.equal(['same', 'removed', 'added', 'same']);
    expect(parts[1]!.text).to.equal(before);
    expect(parts[2]!.text).to.equal(after);
  });
});
