import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { CrmClient } from '../../src/api/client.js';
import '../../src/mm-client-card.js';
import '../../src/mm-client-list.js';
import '../../src/mm-client-notes.js';
import type { MmClientCard } from '../../src/elements/client-card/client-card.js';
import { differsFromViewer, viewerTimeZone } from '../../src/shared/format.js';
import { apiBase, daysAgo, now, platform, textOf, unique, until } from '../helpers/browser.js';

// ---- helpers -----------------------------------------------------------------------------

interface CardOptions {
  token: string;
  crmId: string;
  clientId?: string;
  pageSize?: number;
}

/** A mentor CRM with one client (one booking). */
async function mentorClient() {
  const { user, crmId } = await platform.mentor();
  const clientId = await platform.client(crmId, user.id, { email: email() });
  return { user, crmId, clientId };
}

/** A card for a client, once its header is shown (or its state message, without a client). */
async function card({ token, crmId, clientId, pageSize }: CardOptions): Promise<MmClientCard> {
  const el = await fixture<MmClientCard>(
    html`<mm-client-card
      api-base=${apiBase}
      crm=${crmId}
      client-id=${clientId ?? ''}
      bookings-page-size=${pageSize ?? 20}
      .token=${token}
      .now=${now}
    ></mm-client-card>`,
  );
  if (!clientId) el.removeAttribute('client-id');
  if (clientId) await loaded(el);
  return el;
}

/** The card shows its client, and the tags editor (a lazy chunk in the bundle) is in. */
const loaded = (el: MmClientCard) =>
  until(
    () =>
      el.shadowRoot?.querySelector('[part~="name"]') &&
      el.shadowRoot.querySelector('.card')?.getAttribute('aria-busy') === 'false' &&
      el.shadowRoot.querySelector('[part~="tags"]:not([aria-busy])'),
    'the card to load',
  );

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: Element, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];

/** The quick stats as {label: text}. */
function stats(el: Element): Record<string, string> {
  return Object.fromEntries(
    $$(el, '[part~="stat"]').map((s) => [
      textOf(s.querySelector('dt')),
      textOf(s.querySelector('dd')),
    ]),
  );
}

/** The booking rows as arrays of cell texts. */
/** The booking rows as a user sees them: the text of the cells shown, as rendered. */
const rows = (el: Element) =>
  $$(el, 'tbody tr').map((tr) =>
    [...tr.children]
      .filter((c) => getComputedStyle(c).display !== 'none')
      .map((c) => (c as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
  );

/** The text of the button whose visible text or label is `name`. */
const button = (el: Element, name: string) =>
  $$<HTMLButtonElement>(el, 'button').find(
    (b) => textOf(b) === name || b.getAttribute('aria-label') === name,
  );

interface RecordedRequest {
  method: string;
  url: string;
}

/** Undoes a change to `window.fetch` after each test. */
let restoreFetch: (() => void) | undefined;
afterEach(() => {
  restoreFetch?.();
  restoreFetch = undefined;
});

/**
 * Records every CRM API request of the page, passing each through to the real server (a
 * record, not a fake). Undone after the test.
 */
function recordRequests(): RecordedRequest[] {
  const original = window.fetch;
  const requests: RecordedRequest[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (new URL(request.url).pathname.startsWith('/v1/crms')) {
      requests.push({ method: request.method, url: request.url });
    }
    return original.call(window, input, init);
  };
  restoreFetch = () => (window.fetch = original);
  return requests;
}

const email = () => `${unique('client')}@example.test`;

describe('<mm-client-card> profile', () => {
  it('shows every field of a regular client', async () => {
    const { user, crmId } = await platform.mentor();
    const clientId = await platform.client(crmId, user.id, {
      email: email(),
      name: 'Rosa Regular',
      phone: '+1 555 0100',
      avatarUrl: 'https://cdn.example.test/rosa.jpg',
      bookings: 6,
      lastDaysAgo: 10,
      spacingDays: 7,
      amountMinor: 2000,
      classTitle: 'Morning Flow',
      location: 'Online',
    });
    const el = await card({ token: user.token, crmId, clientId });

    expect(textOf($(el, '[part~="name"]'))).to.equal('Rosa Regular');
    const header = textOf($(el, '[part~="header"]'));
    expect(header).to.contain('@example.test');
    expect(header).to.contain('+1 555 0100');
    expect(textOf($(el, '[part~="pill"]'))).to.contain('Regular');
    expect($<HTMLImageElement>(el, 'img[part~="avatar"]')!.src).to.equal(
      'https://cdn.example.test/rosa.jpg',
    );

    const s = stats(el);
    expect(s['Total bookings']).to.equal('6');
    expect(s['Total spend']).to.equal('$120.00');
    expect(s['Average per booking']).to.equal('$20.00');
    // First booking 45 days before the test clock (Jun 15, 2026), the last 10 days before.
    expect(s['Since first booking']).to.equal('1 month May 1, 2026');
    expect(s['Last attended']).to.equal('last week Jun 5, 2026');
    expect(s['Next class']).to.equal('None booked');
    expect(s['Last message']).to.equal('Never');
    expect(s['Messages in the last 90 days']).to.equal('0');

    const r = rows(el);
    expect(r).to.have.length(6);
    expect(r[0]![0]).to.equal('Morning Flow');
    expect(r[0]![2]).to.equal('Completed');
    expect(r[0]![3]).to.equal('Paid');
    expect(r[0]![4]).to.equal('$20.00');
    expect(r[0]![5]).to.equal('Online');
    // A mentor CRM has no Teacher column.
    expect($$(el, 'thead th').map((th) => textOf(th))).to.deep.equal([
      'Class',
      'Date',
      'Status',
      'Payment',
      'Amount',
      'Location',
    ]);
    // All six fit on the first page: no earlier page to offer; the CRM's zone (UTC) is the
    // viewer's, so no zone is named.
    expect(textOf($(el, '.bookings-head'))).to.equal('Booking history 6 bookings, oldest first');
    expect(button(el, 'Show earlier bookings')).to.equal(undefined);
  });

  it('breaks a long email after "@" or a dot, not mid-word, in a narrow card', async () => {
    const { user, crmId } = await platform.mentor();
    // no hyphens: a hyphen is a break opportunity of its own
    const mail = `sofia.evans.${unique('cu').replace(/-/g, '')}@outlook.example.test`;
    const clientId = await platform.client(crmId, user.id, { email: mail, name: 'Sofia Evans' });
    const el = await card({ token: user.token, crmId, clientId });
    el.style.cssText = 'display: block; width: 260px';
    await el.updateComplete;
    const address = $(el, '[part~="header"] .email')!;
    expect(textOf(address)).to.equal(`Email: ${mail}`);
    // the parts are text (never HTML), each ending at an "@" or a dot, each followed by a <wbr>
    expect(address.querySelectorAll('wbr').length).to.equal(mail.match(/[@.]/g)!.length + 1);
    const parts = [...address.childNodes].filter(
      (n) => n.nodeType === Node.TEXT_NODE && n.textContent,
    );
    expect(parts.map((n) => n.textContent).join('')).to.equal(mail);
    const lines = (n: Node) => {
      const range = document.createRange();
      range.selectNodeContents(n);
      const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
      return new Set(boxes.map((r) => Math.round(r.top))).size;
    };
    expect(lines(address), 'the email does not fit one line').to.be.greaterThan(1);
    expect(
      parts.map((n) => lines(n)),
      'each part on one line',
    ).to.deep.equal(parts.map(() => 1));
  });

  it('shows an active client with a refund and an upcoming class', async () => {
    const { user, crmId } = await platform.mentor();
    const mail = email();
    await platform.booking(crmId, user.id, {
      email: mail,
      name: 'Ari Active',
      startsAt: daysAgo(20),
      classTitle: 'Pilates Basics',
      paymentStatus: 'partially_refunded',
      amountMinor: 3000,
      refundedMinor: 1000,
    });
    await platform.booking(crmId, user.id, {
      email: mail,
      name: 'Ari Active',
      startsAt: daysAgo(12),
      status: 'no_show',
      amountMinor: 2500,
    });
    const { clientId } = await platform.booking(crmId, user.id, {
      email: mail,
      name: 'Ari Active',
      startsAt: daysAgo(-3),
      status: 'booked',
      paymentStatus: 'unpaid',
      amountMinor: 2500,
      location: 'Studio B',
    });
    const el = await card({ token: user.token, crmId, clientId });

    expect(textOf($(el, '[part~="pill"]'))).to.contain('Active');
    const s = stats(el);
    expect(s['Total bookings']).to.equal('3');
    // $30 - $10 refunded + a no-show whose $25 was kept; the upcoming class does not count.
    expect(s['Total spend']).to.equal('$45.00');
    expect(s['Average per booking']).to.equal('$22.50');
    // Last attended: the completed class 20 days ago (the no-show does not count); the next
    // class is the upcoming one, by weekday, date and time.
    expect(s['Last attended']).to.equal('2 weeks ago May 26, 2026');
    expect(s['Next class']).to.equal(
      `Thu, Jun 18, 12:00 PM in 3 days${differsFromViewer('UTC', now) ? ' · UTC' : ''}`,
    );
    expect(s['Since first booking']).to.match(/^2 weeks /);
    // No phone, no photo: initials.
    expect(textOf($(el, '[part~="header"]'))).not.to.contain('Phone');
    expect(textOf($(el, 'span[part~="avatar"]'))).to.equal('AA');

    const r = rows(el);
    expect(r.map((c) => c[0])).to.deep.equal(['Pilates Basics', 'Vinyasa Flow', 'Vinyasa Flow']);
    expect(r[0]![3]).to.equal('Partially refunded');
    expect(r[0]![4]).to.equal('$30.00 Refunded $10.00');
    expect(r[1]![2]).to.equal('No-show');
    expect(r[2]![2]).to.equal('Booked (upcoming)');
    expect(r[2]![3]).to.equal('Unpaid');
    expect(r[2]![5]).to.equal('Studio B');
  });

  it('shows a lapsed client', async () => {
    const { user, crmId } = await platform.mentor();
    const clientId = await platform.client(crmId, user.id, {
      email: email(),
      name: 'Lee Lapsed',
      bookings: 7,
      lastDaysAgo: 120,
      spacingDays: 30,
    });
    const el = await card({ token: user.token, crmId, clientId });
    // Lapsed wins over regular at 7 bookings.
    expect(textOf($(el, '[part~="pill"]'))).to.contain('Lapsed');
    const s = stats(el);
    expect(s['Total bookings']).to.equal('7');
    expect(s['Last attended']).to.equal('4 months ago Feb 15, 2026');
    expect(s['Next class']).to.equal('None booked');
    // 300 days: Aug 19, 2025 to Jun 15, 2026 is 9 whole calendar months (not 300 / 30 = 10)
    expect(s['Since first booking']).to.equal('9 months Aug 19, 2025');
    expect(rows(el)).to.have.length(7);
  });

  it('shows an erased client as "Deleted client" with personal actions disabled and bookings kept', async () => {
    const { user, crmId } = await platform.mentor();
    const mail = email();
    const clientId = await platform.client(crmId, user.id, {
      email: mail,
      name: 'Erin Erased',
      phone: '+1 555 0199',
      avatarUrl: 'https://cdn.example.test/erin.jpg',
      bookings: 2,
      classTitle: 'Yin Yoga',
    });
    await platform.erase(mail);
    const el = await card({ token: user.token, crmId, clientId });

    expect(textOf($(el, '[part~="name"]'))).to.equal('Deleted client');
    const header = textOf($(el, '[part~="header"]'));
    expect(header).not.to.contain('Erin');
    expect(header).not.to.contain(mail);
    expect(header).not.to.contain('555');
    expect($(el, 'img')).to.equal(null);
    expect(button(el, 'Message')!.disabled).to.equal(true);
    expect(button(el, 'Request merge')!.disabled).to.equal(true);
    expect(textOf($(el, '#erased-reason'))).to.contain('erased at their request');
    expect(button(el, 'Message')!.getAttribute('aria-describedby')).to.equal('erased-reason');
    expect($(el, '#tag-input')).to.equal(null);
    expect(textOf($(el, '[part~="tags"]'))).to.contain('removed with the personal data');
    expect(stats(el)['Total bookings']).to.equal('2');
    expect(stats(el)['Total spend']).to.equal('$40.00');
    expect(rows(el).map((r) => r[0])).to.deep.equal(['Yin Yoga', 'Yin Yoga']);
    await expect(el).to.be.accessible();
  });

  it('shows the teacher of each booking in a studio CRM, in its currency', async () => {
    const { crmId, owner, teachers } = await platform.studio(2);
    const mail = email();
    await platform.booking(crmId, teachers[0]!.id, {
      email: mail,
      name: 'Sam Studio',
      startsAt: daysAgo(30),
      currency: 'EUR',
      amountMinor: 1500,
    });
    const { clientId } = await platform.booking(crmId, teachers[1]!.id, {
      email: mail,
      name: 'Sam Studio',
      startsAt: daysAgo(5),
      currency: 'EUR',
      amountMinor: 1500,
    });
    const el = await card({ token: owner.token, crmId, clientId });
    expect($$(el, 'thead th').map((th) => textOf(th))).to.include('Teacher');
    expect(rows(el).map((r) => r[6])).to.deep.equal(['Teacher 1', 'Teacher 2']);
    expect(stats(el)['Total spend']).to.equal('€30.00');

    // In a narrow card (a dashboard's side column) nothing scrolls sideways: payment goes
    // under the status, location and teacher under the class.
    const wide = rows(el);
    el.style.width = '420px';
    await until(() => rows(el)[0]!.length === 4, 'the narrow layout');
    const shown = $$(el, 'thead th').filter((th) => getComputedStyle(th).display !== 'none');
    expect(shown.map((th) => textOf(th))).to.deep.equal(['Class', 'Date', 'Status', 'Amount']);
    expect(rows(el)).to.deep.equal(
      wide.map((r) => [`${r[0]} ${r[5]} · ${r[6]}`, r[1], `${r[2]} ${r[3]}`, r[4]]),
    );
    const history = $(el, '[part~="bookings"]')!;
    expect(history.scrollWidth).to.be.at.most(history.clientWidth);
  });

  it('opens the history on its most recent page, oldest to newest, and shows earlier pages above', async () => {
    const { user, crmId } = await platform.mentor();
    const mail = email();
    let clientId = '';
    for (let i = 7; i >= 1; i--) {
      // Created out of order on purpose: the history is by session start, not by insertion.
      const day = i % 2 ? i : i + 20;
      ({ clientId } = await platform.booking(crmId, user.id, {
        email: mail,
        classTitle: `Class ${day}`,
        startsAt: daysAgo(day),
      }));
    }
    const el = await card({ token: user.token, crmId, clientId, pageSize: 3 });
    const titles = () => rows(el).map((r) => r[0]);
    const all = ['Class 26', 'Class 24', 'Class 22', 'Class 7', 'Class 5', 'Class 3', 'Class 1'];
    // The three most recent, oldest first.
    expect(titles()).to.deep.equal(all.slice(4));
    expect(textOf($(el, '.bookings-head'))).to.equal(
      'Booking history The 3 most recent, oldest first',
    );
    // The button is above the rows, where the earlier bookings go.
    const more = button(el, 'Show earlier bookings')!;
    expect(
      more.compareDocumentPosition($(el, 'tbody')!) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).to.not.equal(0);

    more.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => rows(el).length === 6, 'the earlier page');
    expect(titles()).to.deep.equal(all.slice(1));
    // Focus moves to the first row shown, where reading goes on down into the rows before.
    await until(
      () => el.shadowRoot!.activeElement === $$(el, 'tbody tr')[0],
      'focus on the earliest new row',
    );

    button(el, 'Show earlier bookings')!.click();
    await until(() => rows(el).length === 7, 'the earliest page');
    expect(titles()).to.deep.equal(all);
    expect(button(el, 'Show earlier bookings')).to.equal(undefined);
    expect(textOf($(el, '.bookings-head'))).to.equal('Booking history 7 bookings, oldest first');
    expect(el.shadowRoot!.activeElement).to.equal($$(el, 'tbody tr')[0]);
  });

  it("shows class times in the CRM's time zone and names it when it is not the viewer's", async () => {
    const zone = viewerTimeZone() === 'Europe/Madrid' ? 'America/New_York' : 'Europe/Madrid';
    const user = await platform.user('Maya Mentor');
    const crmId = await platform.crm('mentor', user.id, 'Maya', 'EUR', zone);
    const mail = email();
    // 07:30 UTC: 9:30 in Madrid (summer time), 3:30 in New York.
    const local = zone === 'Europe/Madrid' ? '9:30' : '3:30';
    await platform.booking(crmId, user.id, {
      email: mail,
      classTitle: 'Sunrise Flow',
      startsAt: '2026-06-10T07:30:00.000Z',
    });
    const { clientId } = await platform.booking(crmId, user.id, {
      email: mail,
      classTitle: 'Sunrise Flow',
      startsAt: '2026-06-18T07:30:00.000Z',
      status: 'booked',
      paymentStatus: 'unpaid',
    });
    const el = await card({ token: user.token, crmId, clientId });
    el.locale = 'en-GB';
    await until(() => stats(el)['Next class']?.startsWith('Thu 18 Jun'), 'en-GB dates');
    const s = stats(el);
    expect(s['Next class']).to.equal(`Thu 18 Jun, ${local} in 3 days · ${zone}`);
    expect(s['Last attended']).to.equal('5 days ago 10 Jun 2026');
    expect(textOf($(el, '.bookings-head'))).to.equal(
      `Booking history 2 bookings, oldest first · Times in ${zone}`,
    );
    expect(rows(el).map((r) => r[1])).to.deep.equal([
      `10 Jun 2026 0${local}`,
      `18 Jun 2026 0${local}`,
    ]);
  });

  it('lays the history out at every width without sideways scrolling or cut text', async () => {
    const { crmId, owner, teachers } = await platform.studio(2);
    const mail = email();
    await platform.booking(crmId, teachers[0]!.id, {
      email: mail,
      name: 'Wren Widthwise',
      classTitle: 'Restorative Yoga with Props and Breathwork',
      startsAt: daysAgo(30),
      paymentStatus: 'partially_refunded',
      amountMinor: 123_400,
      refundedMinor: 10_000,
      location: 'Main Hall, 2nd floor',
    });
    await platform.booking(crmId, teachers[1]!.id, {
      email: mail,
      name: 'Wren Widthwise',
      startsAt: daysAgo(4),
      status: 'completed',
    });
    const { clientId } = await platform.booking(crmId, teachers[1]!.id, {
      email: mail,
      name: 'Wren Widthwise',
      startsAt: daysAgo(-3),
      status: 'booked',
      paymentStatus: 'unpaid',
    });
    const box = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('mm-client-card') as MmClientCard;
    Object.assign(el, { apiBase, crm: crmId, clientId, token: owner.token, now });
    box.append(el);
    await loaded(el);

    for (const width of [1280, 700, 380, 300]) {
      box.style.width = `${width}px`;
      const narrow = width < 704;
      await until(
        () => rows(el)[0]!.length === (narrow ? 4 : 7),
        `the ${narrow ? 'narrow' : 'wide'} layout at ${width}px`,
      );
      const at = `at ${width}px`;
      const inner = $(el, '.card')!;
      const history = $(el, '[part~="bookings"]')!;
      for (const box of [el, inner, history, $(el, 'table')!]) {
        expect(box.scrollWidth, `${box.localName} ${at}`).to.be.at.most(box.clientWidth);
      }
      const edge = history.getBoundingClientRect();
      const cells = $$(el, 'tbody th, tbody td').filter(
        (c) => getComputedStyle(c).display !== 'none',
      );
      for (const cell of cells) {
        const r = cell.getBoundingClientRect();
        const what = `"${cell.innerText}" ${at}`;
        // Whole: not wider than its box, and inside the history.
        expect(cell.scrollWidth, what).to.be.at.most(cell.clientWidth);
        expect(r.left, what).to.be.at.least(edge.left - 0.5);
        expect(r.right, what).to.be.at.most(edge.right + 0.5);
      }
      expect(rows(el)[0]![0]).to.contain('Restorative Yoga with Props and Breathwork');
      expect(rows(el)[0]!.join(' ')).to.contain('€1,234.00');
      expect(rows(el)[0]!.join(' ')).to.contain('Refunded €100.00');
      expect(rows(el)[0]!.join(' ')).to.contain('Partially refunded');
      if (narrow) {
        // Two lines per booking: class beside its date, then status beside the amount.
        const [cls, when, state, amount] = $$(el, 'tbody tr:first-child > *')
          .filter((c) => getComputedStyle(c).display !== 'none')
          .map((c) => c.getBoundingClientRect());
        expect(Math.abs(cls!.top - when!.top), at).to.be.below(1);
        expect(Math.abs(state!.top - amount!.top), at).to.be.below(1);
        expect(state!.top, at).to.be.above(cls!.top);
        expect(when!.left, at).to.be.above(cls!.left);
      }
    }
    await expect(el).to.be.accessible();
  });

  it('shows slotted notes after the quick stats and before the booking history', async () => {
    const { user, crmId, clientId } = await mentorClient();
    const el = await fixture<MmClientCard>(
      html`<mm-client-card
        api-base=${apiBase}
        crm=${crmId}
        client-id=${clientId}
        .token=${user.token}
        .now=${now}
        ><mm-client-notes
          slot="notes"
          api-base=${apiBase}
          crm=${crmId}
          client-id=${clientId}
          .token=${user.token}
        ></mm-client-notes
      ></mm-client-card>`,
    );
    await loaded(el);
    const notes = el.querySelector('mm-client-notes')!;
    await until(() => notes.shadowRoot?.querySelector('textarea'), 'the notes editor');
    const box = (e: Element) => e.getBoundingClientRect();
    expect(box(notes).height).to.be.above(100);
    expect(box(notes).top).to.be.at.least(box($(el, '[part~="stats"]')!).bottom);
    expect(box(notes).bottom).to.be.at.most(box($(el, '[part~="bookings"]')!).top);
    await expect(el).to.be.accessible();
  });

  it('renders a javascript: avatar and markup in the name inert', async () => {
    const { user, crmId } = await platform.mentor();
    const evil = '<img src=x onerror="window.__cardPwned=1"><b>Eve</b>';
    const clientId = await platform.client(crmId, user.id, {
      email: email(),
      name: evil,
      avatarUrl: 'javascript:window.__cardPwned=1',
      classTitle: '<script>window.__cardPwned=1</script>Flow',
      location: '<i>Hall</i>',
    });
    const el = await card({ token: user.token, crmId, clientId });
    expect(textOf($(el, '[part~="name"]'))).to.equal(evil);
    expect($(el, '[part~="name"] img, [part~="name"] b')).to.equal(null);
    expect($$(el, 'img')).to.have.length(0);
    expect(textOf($(el, 'span[part~="avatar"]'))).to.equal('<O');
    expect(rows(el)[0]![0]).to.equal('<script>window.__cardPwned=1</script>Flow');
    expect($(el, 'tbody script, tbody i')).to.equal(null);
    expect((window as { __cardPwned?: number }).__cardPwned).to.equal(undefined);
  });

  it('is accessible when loaded and with the compose dialog open', async () => {
    const { user, crmId } = await platform.mentor();
    const clientId = await platform.client(crmId, user.id, {
      email: email(),
      name: 'Alex Access',
      phone: '555',
      bookings: 3,
    });
    const el = await card({ token: user.token, crmId, clientId });
    await expect(el).to.be.accessible();
    button(el, 'Message')!.click();
    const dialog = await until(
      () => $<HTMLDialogElement>(el, '#compose-dialog[open]'),
      'the dialog',
      20_000, // its code loads on the first click
    );
    expect(el.shadowRoot!.activeElement).to.equal($(el, '#compose-subject'));
    await expect(el).to.be.accessible();
    dialog.close();
    button(el, 'Request merge')!.click();
    await until(
      () =>
        $(el, '#merge-dialog[open]') && textOf($(el, '#merge-results')).includes('No other client'),
      'the merge dialog',
    );
    await expect(el).to.be.accessible();
  });
});

describe('<mm-client-card> states', () => {
  it('asks to select a client, and sends nothing, without a client id', async () => {
    const { user, crmId } = await platform.mentor();
    const requests = recordRequests();
    const el = await card({ token: user.token, crmId });
    await el.updateComplete;
    expect(textOf(el.shadowRoot)).to.contain('Select a client');
    expect(requests).to.deep.equal([]);
  });

  it('offers to sign in, and sends nothing, without a token', async () => {
    const { crmId } = await platform.mentor();
    const requests = recordRequests();
    const el = await fixture<MmClientCard>(
      html`<mm-client-card api-base=${apiBase} crm=${crmId} client-id="c1"></mm-client-card>`,
    );
    await el.updateComplete;
    expect(textOf(el.shadowRoot)).to.contain('Sign in with MoveMentors');
    expect(requests).to.deep.equal([]);
  });

  it('shows a skeleton while loading', async () => {
    const { user, crmId, clientId } = await mentorClient();
    const el = await fixture<MmClientCard>(
      html`<mm-client-card
        api-base=${apiBase}
        crm=${crmId}
        client-id=${clientId}
        .token=${user.token}
      ></mm-client-card>`,
    );
    expect($(el, '.skeleton')).not.to.equal(null);
    expect($(el, '.card')!.getAttribute('aria-busy')).to.equal('true');
    expect(textOf(el.shadowRoot)).to.contain('Loading the client');
    await loaded(el);
    expect($(el, '.card')!.getAttribute('aria-busy')).to.equal('false');
  });

  it('says "not found" for an unknown client id and emits mm-error', async () => {
    const { user, crmId } = await platform.mentor();
    const el = document.createElement('mm-client-card');
    el.setAttribute('api-base', apiBase);
    el.setAttribute('crm', crmId);
    el.setAttribute('client-id', 'no-such-client');
    el.token = user.token;
    const error = oneEvent(el, 'mm-error');
    document.body.append(el);
    try {
      const { detail } = await error;
      expect(detail.code).to.equal('not_found');
      expect(detail.status).to.equal(404);
      await until(
        () => textOf(el.shadowRoot).includes('Client not found'),
        'the not-found message',
      );
      expect($(el, '[part~="error"]')!.getAttribute('role')).to.equal('alert');
    } finally {
      el.remove();
    }
  });

  it('says a client of another CRM is not found', async () => {
    const a = await platform.mentor();
    const b = await platform.mentor();
    const theirs = await platform.client(b.crmId, b.user.id, { email: email() });
    const el = await fixture<MmClientCard>(
      html`<mm-client-card
        api-base=${apiBase}
        crm=${a.crmId}
        client-id=${theirs}
        .token=${a.user.token}
      ></mm-client-card>`,
    );
    await until(() => textOf(el.shadowRoot).includes('Client not found'), 'the not-found message');
  });

  it('shows the 401 message for a refused token and emits mm-error', async () => {
    const { crmId } = await platform.mentor();
    const el = document.createElement('mm-client-card');
    el.setAttribute('api-base', apiBase);
    el.setAttribute('crm', crmId);
    el.setAttribute('client-id', 'any');
    el.token = 'not-a-valid-token';
    const error = oneEvent(el, 'mm-error');
    document.body.append(el);
    try {
      expect((await error).detail.status).to.equal(401);
      await until(() => textOf(el.shadowRoot).includes('session has expired'), 'the 401 message');
      expect(button(el, 'Retry')).to.equal(undefined);
    } finally {
      el.remove();
    }
  });

  it('offers Retry after a dropped connection and loads on retry', async () => {
    const { user, crmId } = await platform.mentor();
    const clientId = await platform.client(crmId, user.id, { email: email(), name: 'Nia Network' });
    // Fake: a dropped connection cannot be made against the in-process server, so fetch
    // rejects for API URLs until restored.
    const original = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      return url.includes('/v1/')
        ? Promise.reject(new TypeError('Failed to fetch'))
        : original(input, init);
    };
    restoreFetch = () => (window.fetch = original);
    const el = await fixture<MmClientCard>(
      html`<mm-client-card
        api-base=${apiBase}
        crm=${crmId}
        client-id=${clientId}
        .token=${user.token}
      ></mm-client-card>`,
    );
    const retry = await until(() => button(el, 'Retry'), 'the Retry button', 20_000);
    expect(textOf($(el, '[part~="error"]'))).to.contain('Could not reach the CRM');
    restoreFetch();
    restoreFetch = undefined;
    retry.click();
    await loaded(el);
    expect(textOf($(el, '[part~="name"]'))).to.equal('Nia Network');
  });
});

describe('<mm-client-card for=…>', () => {
  it('follows the selection of a <mm-client-list>', async () => {
    const { user, crmId } = await platform.mentor();
    await platform.client(crmId, user.id, { email: email(), name: 'First Follow', lastDaysAgo: 5 });
    const second = await platform.client(crmId, user.id, {
      email: email(),
      name: 'Second Follow',
      lastDaysAgo: 30,
    });
    const listId = unique('list');
    const wrapper = await fixture(
      html`<div>
        <mm-client-list
          id=${listId}
          api-base=${apiBase}
          crm=${crmId}
          .token=${user.token}
        ></mm-client-list>
        <mm-client-card for=${listId} .now=${now}></mm-client-card>
      </div>`,
    );
    const list = wrapper.querySelector('mm-client-list')!;
    const el = wrapper.querySelector('mm-client-card')!;
    expect(textOf(el.shadowRoot)).to.contain('Select a client');
    const row = await until(
      () =>
        list.shadowRoot?.querySelector<HTMLElement>(`[part~="row"][data-client-id="${second}"]`),
      'the list rows',
    );
    row.click();
    await until(
      () => textOf(el.shadowRoot?.querySelector('[part~="name"]')) === 'Second Follow',
      'the card',
    );
    // The card uses the list's configuration: it has none of its own.
    expect(el.clientId).to.equal(second);
  });

  it('follows an mm-client-select event from the element with that id', async () => {
    const { user, crmId } = await platform.mentor();
    const clientId = await platform.client(crmId, user.id, { email: email(), name: 'Evan Event' });
    const sourceId = unique('source');
    const wrapper = await fixture(
      html`<div>
        <div id=${sourceId}></div>
        <div id="other"></div>
        <mm-client-card
          for=${sourceId}
          api-base=${apiBase}
          crm=${crmId}
          .token=${user.token}
        ></mm-client-card>
      </div>`,
    );
    const el = wrapper.querySelector('mm-client-card')!;
    const select = (from: Element, id: string) =>
      from.dispatchEvent(
        new CustomEvent('mm-client-select', {
          detail: { clientId: id },
          bubbles: true,
          composed: true,
        }),
      );
    // Another element's selection is ignored.
    select(wrapper.querySelector('#other')!, 'ignored');
    await el.updateComplete;
    expect(el.clientId).to.equal(undefined);
    select(wrapper.querySelector(`#${sourceId}`)!, clientId);
    await until(
      () => textOf(el.shadowRoot?.querySelector('[part~="name"]')) === 'Evan Event',
      'the card',
    );
  });
});

/** Chip texts of the tags editor. */
const chips = (el: Element) => $$(el, '[part~="tag"] > span').map((s) => textOf(s));

/** Types into the element that has focus, as a user would. */
async function typeInto(input: HTMLElement, text: string) {
  input.focus();
  await sendKeys({ type: text });
}

describe('<mm-client-card> tags', () => {
  it("adds a tag on Enter, suggests the CRM's tags and removes a tag, saved on the server", async () => {
    const { user, crmId } = await platform.mentor();
    const api = new CrmClient({ apiBase, token: user.token });
    const clientId = await platform.client(crmId, user.id, { email: email(), name: 'Tia Tags' });
    const other = await platform.client(crmId, user.id, { email: email() });
    await api.putTags(crmId, other, ['Beginner', 'Injury']);
    const el = await card({ token: user.token, crmId, clientId });
    expect(textOf($(el, '[part~="tags"]'))).to.contain('No tags yet');

    const input = $<HTMLInputElement>(el, '#tag-input')!;
    input.focus();
    await until(() => $$(el, '#tag-suggestions option').length === 2, 'the suggestions');
    expect(
      $$<HTMLOptionElement>(el, '#tag-suggestions option').map((o) => o.value),
    ).to.have.members(['Beginner', 'Injury']);

    let changed = oneEvent(el, 'mm-tags-changed');
    await typeInto(input, 'Pre/postnatal');
    await sendKeys({ press: 'Enter' });
    expect((await changed).detail).to.deep.equal({ clientId, tags: ['Pre/postnatal'] });
    await el.updateComplete;
    expect(input.value).to.equal('');
    expect(chips(el)).to.deep.equal(['Pre/postnatal']);

    changed = oneEvent(el, 'mm-tags-changed');
    await typeInto(input, 'beginner');
    expect(textOf($(el, '#tag-message'))).to.equal('');
    button(el, 'Add')!.click();
    expect((await changed).detail.tags).to.deep.equal(['Pre/postnatal', 'beginner']);
    expect((await api.getClient(crmId, clientId)).tags).to.deep.equal([
      'Pre/postnatal',
      'beginner',
    ]);
    // A tag the client has is no longer suggested (compared ignoring case).
    await until(
      () =>
        $$<HTMLOptionElement>(el, '#tag-suggestions option')
          .map((o) => o.value)
          .join() === 'Injury',
      'the suggestions without Beginner',
    );

    changed = oneEvent(el, 'mm-tags-changed');
    button(el, 'Remove tag Pre/postnatal')!.click();
    expect((await changed).detail.tags).to.deep.equal(['beginner']);
    expect((await api.getClient(crmId, clientId)).tags).to.deep.equal(['beginner']);
    // Focus stays in the editor, on the chip that took the removed one's place.
    await until(
      () => el.shadowRoot!.activeElement?.getAttribute('aria-label') === 'Remove tag beginner',
      'focus on the next chip',
    );

    // A fresh card reads the saved tags.
    const again = await card({ token: user.token, crmId, clientId });
    expect(chips(again)).to.deep.equal(['beginner']);
  });

  it('refuses a duplicate ignoring case, with a message and nothing sent', async () => {
    const { user, crmId, clientId } = await mentorClient();
    const api = new CrmClient({ apiBase, token: user.token });
    await api.putTags(crmId, clientId, ['Yoga']);
    const el = await card({ token: user.token, crmId, clientId });
    const requests = recordRequests();

    await typeInto($(el, '#tag-input')!, 'YOGA ');
    expect(textOf($(el, '#tag-message'))).to.equal('“Yoga” is already a tag of this client.');
    expect(button(el, 'Add')!.disabled).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(requests.filter((r) => r.method === 'PUT')).to.deep.equal([]);
    expect($<HTMLInputElement>(el, '#tag-input')!.value).to.equal('YOGA ');
  });

  it('refuses a 41-character tag before sending, with a message and a counter', async () => {
    const { user, crmId, clientId } = await mentorClient();
    const el = await card({ token: user.token, crmId, clientId });
    const requests = recordRequests();
    const input = $<HTMLInputElement>(el, '#tag-input')!;

    await typeInto(input, 'a'.repeat(40));
    expect(textOf($(el, '#tag-limits'))).to.contain('40 / 40 characters');
    expect(button(el, 'Add')!.disabled).to.equal(false);
    await sendKeys({ type: 'b' });
    expect(textOf($(el, '#tag-limits'))).to.contain('41 / 40 characters');
    expect(textOf($(el, '#tag-message'))).to.equal(
      'A tag is at most 40 characters: shorten this one.',
    );
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.contain('tag-message');
    expect(button(el, 'Add')!.disabled).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(requests.filter((r) => r.method === 'PUT')).to.deep.equal([]);
    expect(input.value).to.have.length(41);
    expect(chips(el)).to.deep.equal([]);
  });

  it('explains the 30-tag limit before the 31st, and sends nothing', async () => {
    const { user, crmId, clientId } = await mentorClient();
    const api = new CrmClient({ apiBase, token: user.token });
    const thirty = Array.from({ length: 30 }, (_, i) => `tag ${i + 1}`);
    await api.putTags(crmId, clientId, thirty);
    const el = await card({ token: user.token, crmId, clientId });
    expect(chips(el)).to.have.length(30);
    expect(textOf($(el, '#tag-limits'))).to.contain('30 of 30 tags');
    // Said before the user even types.
    expect(textOf($(el, '#tag-message'))).to.equal(
      'This client has 30 tags, the most allowed: remove one to add another.',
    );
    const requests = recordRequests();
    await typeInto($(el, '#tag-input')!, 'tag 31');
    expect(button(el, 'Add')!.disabled).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(requests.filter((r) => r.method === 'PUT')).to.deep.equal([]);
    expect((await api.getClient(crmId, clientId)).tags).to.deep.equal(thirty);
  });

  it('shows a permission message, keeps the input and emits mm-error without crm:write', async () => {
    const { user, crmId, clientId } = await mentorClient();
    const readOnly = await platform.token(user.id, ['crm:read']);
    const el = await card({ token: readOnly, crmId, clientId });
    const input = $<HTMLInputElement>(el, '#tag-input')!;
    const error = oneEvent(el, 'mm-error');
    await typeInto(input, 'VIP');
    await sendKeys({ press: 'Enter' });
    const { detail } = await error;
    expect(detail.status).to.equal(403);
    expect(detail.code).to.equal('insufficient_scope');
    await el.updateComplete;
    expect(textOf($(el, '#tag-message'))).to.equal(
      'Tags not saved. You do not have permission to change tags: your access does not include the crm:write scope.',
    );
    expect(input.value).to.equal('VIP');
    expect(chips(el)).to.deep.equal([]);
    const api = new CrmClient({ apiBase, token: user.token });
    expect((await api.getClient(crmId, clientId)).tags).to.deep.equal([]);
  });
});

describe('<mm-client-card> messages', () => {
  async function openCompose(el: MmClientCard) {
    const opener = button(el, 'Message')!;
    opener.focus();
    await sendKeys({ press: 'Enter' });
    // The dialog's code loads on the first click (a lazy chunk): allow for a slow first load.
    return until(
      () => $<HTMLDialogElement>(el, '#compose-dialog[open]'),
      'the compose dialog',
      20_000,
    );
  }

  async function fill(el: MmClientCard, subject: string, body: string) {
    await typeInto($(el, '#compose-subject')!, subject);
    await typeInto($(el, '#compose-body')!, body);
  }

  it('sends a message that reaches the outbox with Reply-To the sender, and refreshes the stats', async () => {
    const { user, crmId } = await platform.mentor('Mo Mentor');
    const mail = email();
    const clientId = await platform.client(crmId, user.id, { email: mail, name: 'Cleo Client' });
    const el = await card({ token: user.token, crmId, clientId });
    expect(stats(el)['Messages in the last 90 days']).to.equal('0');

    await openCompose(el);
    expect(textOf($(el, '#compose-title'))).to.equal('Message Cleo Client');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '#compose-subject'));
    const subject = `Checking in ${unique('s')}`;
    await fill(el, subject, 'Hi Cleo, hope the back feels better. See you Tuesday?');
    expect(textOf($(el, '#compose-subject-count'))).to.equal(`${subject.length} / 200 characters`);
    const sent = oneEvent(el, 'mm-message-sent');
    button(el, 'Send message')!.click();
    expect((await sent).detail).to.deep.equal({ clientId });

    const item = (await platform.outbox()).find((m) => m.subject === subject);
    expect(item).to.include({
      kind: 'message',
      to: mail,
      replyTo: user.email,
      body: 'Hi Cleo, hope the back feels better. See you Tuesday?',
    });

    await until(() => !$(el, '#compose-dialog[open]'), 'the dialog to close');
    expect(el.shadowRoot!.activeElement).to.equal(button(el, 'Message'));
    expect(textOf($(el, '[part~="status"]'))).to.equal('Message sent to Cleo Client.');
    await until(() => stats(el)['Messages in the last 90 days'] === '1', 'the stats to refresh');
    expect(stats(el)['Last message']).to.match(/^today /);
    // The draft is gone.
    expect($<HTMLInputElement>(el, '#compose-subject')!.value).to.equal('');
  });

  it('explains empty and too long fields, and sends nothing', async () => {
    const { user, crmId, clientId } = await mentorClient();
    const el = await card({ token: user.token, crmId, clientId });
    const requests = recordRequests();
    await openCompose(el);

    button(el, 'Send message')!.click();
    await el.updateComplete;
    expect(textOf($(el, '#compose-subject-msg'))).to.equal('Enter a subject.');
    expect(textOf($(el, '#compose-body-msg'))).to.equal('Write a message.');
    await until(
      () => el.shadowRoot!.activeElement === $(el, '#compose-subject'),
      'focus on the subject',
    );

    await sendKeys({ type: 'x'.repeat(201) });
    expect(textOf($(el, '#compose-subject-count'))).to.equal('201 / 200 characters');
    expect(textOf($(el, '#compose-subject-msg'))).to.equal('A subject is at most 200 characters.');
    expect($(el, '#compose-subject')!.getAttribute('aria-invalid')).to.equal('true');
    await typeInto($(el, '#compose-body')!, 'Hello');
    button(el, 'Send message')!.click();
    await el.updateComplete;
    expect(requests.filter((r) => r.method === 'POST')).to.deep.equal([]);
    expect($(el, '#compose-dialog[open]')).not.to.equal(null);
  });

  it('warns before a 4th message in 90 days and sends only after an explicit confirmation', async () => {
    const { user, crmId } = await platform.mentor();
    const api = new CrmClient({ apiBase, token: user.token });
    const mail = email();
    const clientId = await platform.client(crmId, user.id, { email: mail, name: 'Quinn Quarter' });
    for (let i = 1; i <= 3; i++)
      await api.sendMessage(crmId, clientId, { subject: `Hi ${i}`, body: 'Hello' });
    const el = await card({ token: user.token, crmId, clientId });
    expect(stats(el)['Messages in the last 90 days']).to.equal('3');
    const requests = recordRequests();

    await openCompose(el);
    expect(textOf($(el, '#compose-warning'))).to.contain(
      "You've sent 3 messages to Quinn Quarter in the last 90 days; 1-3 per quarter is the guide",
    );
    expect(textOf($(el, '#compose-warning'))).to.contain('This would be the 4th.');
    const subject = `Fourth ${unique('s')}`;
    await fill(el, subject, 'One more thing');
    button(el, 'Send message')!.click();
    await until(
      () => el.shadowRoot!.activeElement === $(el, '#compose-confirm'),
      'focus on the confirmation',
    );
    expect(textOf($(el, '#compose-confirm-msg'))).to.equal('Confirm to send this message anyway.');
    expect(requests.filter((r) => r.method === 'POST')).to.deep.equal([]);

    $<HTMLInputElement>(el, '#compose-confirm')!.click();
    const sent = oneEvent(el, 'mm-message-sent');
    button(el, 'Send message')!.click();
    await sent;
    expect((await platform.outbox()).some((m) => m.subject === subject && m.to === mail)).to.equal(
      true,
    );
  });

  it('shows a failure in the dialog and keeps the text', async () => {
    const { user, crmId, clientId } = await mentorClient();
    const noMessage = await platform.token(user.id, ['crm:read', 'crm:write']);
    const el = await card({ token: noMessage, crmId, clientId });
    await openCompose(el);
    await fill(el, 'Kept subject', 'Kept body');
    const error = oneEvent(el, 'mm-error');
    button(el, 'Send message')!.click();
    expect((await error).detail.status).to.equal(403);
    await el.updateComplete;
    const alert = $(el, '#compose-dialog [role="alert"]')!;
    expect(textOf(alert)).to.contain('Message not sent.');
    expect(textOf(alert)).to.contain('crm:message');
    expect($<HTMLInputElement>(el, '#compose-subject')!.value).to.equal('Kept subject');
    expect($<HTMLTextAreaElement>(el, '#compose-body')!.value).to.equal('Kept body');
    expect($(el, '#compose-dialog[open]')).not.to.equal(null);
  });

  it('closes on Escape and returns focus to the Message button, keeping the draft', async () => {
    const { user, crmId, clientId } = await mentorClient();
    const el = await card({ token: user.token, crmId, clientId });
    await openCompose(el);
    await typeInto($(el, '#compose-subject')!, 'Draft');
    await sendKeys({ press: 'Escape' });
    await until(() => !$(el, '#compose-dialog[open]'), 'the dialog to close');
    expect(el.shadowRoot!.activeElement).to.equal(button(el, 'Message'));
    await openCompose(el);
    expect($<HTMLInputElement>(el, '#compose-subject')!.value).to.equal('Draft');
  });
});

describe('<mm-client-card> merge requests', () => {
  it('requests a merge with another client of the same CRM, found by search', async () => {
    const { user, crmId } = await platform.mentor();
    const first = await platform.client(crmId, user.id, { email: email(), name: 'Mia Morgan' });
    const second = await platform.client(crmId, user.id, { email: email(), name: 'Mia M.' });
    await platform.client(crmId, user.id, { email: email(), name: 'Noah Other' });
    const el = await card({ token: user.token, crmId, clientId: first });

    button(el, 'Request merge')!.click();
    await until(
      () => $$(el, '#merge-results input[type="radio"]').length === 2,
      'the candidates',
      20_000,
    );
    // Each radio is centred on its name's line, not set above it (at a page's usual spacing).
    el.style.lineHeight = '1.45';
    await new Promise((r) => requestAnimationFrame(r));
    for (const radio of $$(el, '#merge-results input[type="radio"]')) {
      const name = radio.closest('label')!.querySelector('.choice-name')!.getBoundingClientRect();
      const r = radio.getBoundingClientRect();
      const middle = (box: DOMRect) => box.top + box.height / 2;
      expect(Math.abs(middle(r) - middle(name)), 'radio vs name').to.be.at.most(0.75);
      expect(r.right).to.be.below(name.left);
    }
    await typeInto($(el, '#merge-search')!, 'mia');
    // This client is never offered.
    await until(
      () =>
        $$<HTMLInputElement>(el, '#merge-results input[type="radio"]')
          .map((r) => r.value)
          .join() === second,
      'the search results',
    );
    // Submit without a choice: the dialog says why.
    const submit = $<HTMLButtonElement>(el, '#merge-dialog button[type="submit"]')!;
    submit.click();
    await el.updateComplete;
    expect(textOf($(el, '#merge-choose-msg'))).to.equal('Choose the other client.');

    $<HTMLInputElement>(el, '#merge-results input[type="radio"]')!.click();
    await typeInto($(el, '#merge-reason')!, 'Same person, new work email');
    submit.click();
    await until(() => !$(el, '#merge-dialog[open]'), 'the dialog to close');
    expect(textOf($(el, '[part~="status"]'))).to.equal(
      'Merge requested for Mia Morgan and Mia M.: support will review it.',
    );
    expect(el.shadowRoot!.activeElement).to.equal(button(el, 'Request merge'));
  });

  it('shows a refused merge request in the dialog', async () => {
    const { user, crmId } = await platform.mentor();
    const first = await platform.client(crmId, user.id, { email: email(), name: 'Ray One' });
    await platform.client(crmId, user.id, { email: email(), name: 'Ray Two' });
    const readOnly = await platform.token(user.id, ['crm:read']);
    const el = await card({ token: readOnly, crmId, clientId: first });
    button(el, 'Request merge')!.click();
    const radio = await until(
      () => $<HTMLInputElement>(el, '#merge-results input[type="radio"]'),
      'a candidate',
    );
    radio.click();
    $<HTMLButtonElement>(el, '#merge-dialog button[type="submit"]')!.click();
    await until(
      () => textOf($(el, '#merge-dialog [role="alert"]')).includes('Merge not requested.'),
      'the failure',
    );
    expect(textOf($(el, '#merge-dialog [role="alert"]'))).to.contain('crm:write');
    expect($(el, '#merge-dialog[open]')).not.to.equal(null);
  });
});
