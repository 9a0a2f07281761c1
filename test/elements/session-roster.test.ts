import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../src/mm-client-card.js';
import '../../src/mm-session-roster.js';
import type { MmSessionRoster } from '../../src/elements/session-roster/session-roster.js';
import { apiBase, daysAgo, now, platform, textOf, unique, until } from '../helpers/browser.js';

// ---- helpers -----------------------------------------------------------------------------

const HOUR = 3_600_000;
/** `days` days and `hours` hours after the test clock (2026-06-15 12:00 UTC). */
const at = (days: number, hours = 0) =>
  new Date(now + days * 86_400_000 + hours * HOUR).toISOString();
const email = () => `${unique('r')}@example.test`;

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: Element, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];

async function roster(token: string, crmId: string, extra: Record<string, string> = {}) {
  const el = await fixture<MmSessionRoster>(
    html`<mm-session-roster
      id="roster"
      api-base=${apiBase}
      crm=${crmId}
      teacher=${extra.teacher ?? ''}
      .token=${token}
      .now=${now}
    ></mm-session-roster>`,
  );
  if (!extra.teacher) el.removeAttribute('teacher');
  return el;
}

const rosterShown = (el: MmSessionRoster) =>
  until(
    () => $(el, '.clients') && $(el, '.layout')?.getAttribute('aria-busy') === 'false',
    'the roster',
  );

const sessionTexts = (el: Element) => $$(el, '[part~="session"]').map((s) => textOf(s));
const clientNames = (el: Element) => $$(el, '[part~="client-button"]').map((b) => textOf(b));

/** A mentor in Berlin with three classes this week (and one next week). */
async function berlinWeek() {
  const user = await platform.user('Mira Mentor');
  const crmId = await platform.crm('mentor', user.id, 'Mira Yoga', 'EUR', 'Europe/Berlin');
  const book = (startsAt: string, name: string, sessionId: string, title = 'Vinyasa Flow') =>
    platform.booking(crmId, user.id, {
      email: email(),
      name,
      sessionId,
      startsAt,
      classTitle: title,
      status: 'booked',
    });
  // 18:45 in Berlin today (16:45 UTC), 07:00 tomorrow, 09:30 in three days, next week.
  await book(at(0, 4.75), 'Ana Alves', 'today-evening', 'Evening Flow');
  await book(at(0, 4.75), 'Bea Brandt', 'today-evening', 'Evening Flow');
  await book(at(0, 17), 'Cem Castro', 'tomorrow-morning', 'Sunrise Flow');
  await book(at(3, -4.5), 'Dora Diaz', 'later', 'Yin');
  await book(at(9), 'Eli Evans', 'next-week');
  return { user, crmId };
}

// ---- tests -------------------------------------------------------------------------------

describe('<mm-session-roster>', () => {
  it('lists the next 7 days by day in the CRM’s time zone and shows the next class’s roster', async () => {
    const { user, crmId } = await berlinWeek();
    const el = await roster(user.token, crmId);
    await rosterShown(el);
    const days = $$(el, '[part~="day"]').map((d) => textOf(d));
    expect(days).to.have.length(3);
    expect(days[0]).to.match(/^Today · Monday(,)? 15 June$|^Today · Monday, June 15$/);
    expect(days[1]).to.match(/^Tomorrow · /);
    const sessions = sessionTexts(el);
    expect(sessions).to.have.length(3);
    expect(sessions[0]).to.contain('Evening Flow').and.contain('2 booked');
    expect(sessions[1]).to.contain('Sunrise Flow');
    expect(sessions.join(' ')).not.to.contain('next-week');
    // The next class is chosen: its roster, by name.
    expect($(el, '[part~="session"][aria-selected="true"]')?.dataset.sessionId).to.equal(
      'today-evening',
    );
    expect(textOf($(el, '#roster-heading'))).to.equal('Evening Flow');
    expect(clientNames(el)).to.deep.equal(['Ana Alves', 'Bea Brandt']);
    await expect(el).to.be.accessible();
  });

  it('shows badges, alerts (not by colour alone) and the start of the notes', async () => {
    const user = await platform.user('Noa Mentor');
    const crmId = await platform.crm('mentor', user.id, 'Noa Pilates');
    const sessionId = unique('cls');
    const upcoming = at(1);
    const join = (who: string, name: string) =>
      platform.booking(crmId, user.id, {
        email: who,
        name,
        sessionId,
        startsAt: upcoming,
        status: 'booked',
        classTitle: 'Mat Pilates',
      });
    const first = await join(email(), 'Fay First');
    const tenth = email();
    await platform.client(crmId, user.id, {
      email: tenth,
      name: 'Tia Tenth',
      bookings: 9,
      lastDaysAgo: 2,
    });
    await join(tenth, 'Tia Tenth');
    const back = email();
    await platform.booking(crmId, user.id, {
      email: back,
      name: 'Bo Back',
      startsAt: daysAgo(62),
      status: 'completed',
    });
    await join(back, 'Bo Back');
    const api = (path: string, method: string, body: unknown, headers = {}) =>
      fetch(`${apiBase}/v1/crms/${crmId}/clients/${first.clientId}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${user.token}`,
          'content-type': 'application/json',
          ...headers,
        },
        body: JSON.stringify(body),
      });
    await api('/alerts', 'POST', {
      text: 'Low-back issue: no deep forward folds',
      until: '2026-07-31',
    });
    const note = 'Nervous in groups; prefers the corner spot. '.repeat(10);
    await api('/note', 'PUT', { text: note }, { 'if-match': '"0"' });

    const el = await roster(user.token, crmId);
    await rosterShown(el);
    const row = (name: string) =>
      $$(el, '[part~="client"]').find((r) => textOf(r.querySelector('.name')) === name)!;
    const badges = (name: string) =>
      [...row(name).querySelectorAll('[part~="badge"]')].map((b) => textOf(b));
    expect(badges('Fay First')).to.deep.equal(['✦First class']);
    expect(badges('Tia Tenth')).to.deep.equal(['★10th class']);
    expect(badges('Bo Back')).to.deep.equal(['↩Back after 9 weeks']);
    const alert = row('Fay First').querySelector<HTMLElement>('[part~="alert"]')!;
    // Read as an alert (a hidden "Alert:" and an icon, not a colour alone), with its end date.
    expect(textOf(alert)).to.match(
      /^⚠ Alert: Low-back issue: no deep forward folds until Jul 31, 2026$/,
    );
    const excerpt = textOf(row('Fay First').querySelector('[part~="note"]'));
    expect(excerpt).to.equal(
      `${Array.from(note).slice(0, 280).join('').replace(/\s+/g, ' ').trim()}…`,
    );
    expect(textOf(row('Tia Tenth').querySelector('.note'))).to.equal('No notes yet.');
    expect(row('Fay First').querySelector('[part~="open-notes"]')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('choosing a client fires mm-client-select and a card with for= follows', async () => {
    const { user, crmId } = await berlinWeek();
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <mm-session-roster
          id="prep"
          api-base=${apiBase}
          crm=${crmId}
          .token=${user.token}
          .now=${now}
        ></mm-session-roster>
        <mm-client-card for="prep"></mm-client-card>
      </div>`,
    );
    const el = wrapper.querySelector('mm-session-roster')!;
    await rosterShown(el);
    const selected = new Promise<string>((resolve) =>
      el.addEventListener('mm-client-select', (e) => resolve(e.detail.clientId), { once: true }),
    );
    const opened = new Promise<string>((resolve) =>
      el.addEventListener('mm-open-notes', (e) => resolve(e.detail.clientId), { once: true }),
    );
    $$(el, '[part~="open-notes"]')[1]!.click();
    const clientId = await selected;
    expect(await opened).to.equal(clientId);
    expect(el.selectedClientId).to.equal(clientId);
    const card = wrapper.querySelector('mm-client-card')!;
    await until(
      () => textOf(card.shadowRoot?.querySelector('[part~="name"]')) === 'Bea Brandt',
      'the card to follow',
    );
    expect(card.clientId).to.equal(clientId);
  });

  it('arrow keys move through the classes (the roster follows) and through the clients', async () => {
    const { user, crmId } = await berlinWeek();
    const el = await roster(user.token, crmId);
    await rosterShown(el);
    $(el, '[part~="session"][aria-selected="true"]')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await until(() => textOf($(el, '#roster-heading')) === 'Sunrise Flow', 'the second class');
    expect(el.shadowRoot!.activeElement?.getAttribute('data-session-id')).to.equal(
      'tomorrow-morning',
    );
    await sendKeys({ press: 'End' });
    await until(() => textOf($(el, '#roster-heading')) === 'Yin', 'the last class');
    await sendKeys({ press: 'Home' });
    await until(() => textOf($(el, '#roster-heading')) === 'Evening Flow', 'the first class');
    await rosterShown(el);

    $$(el, '[part~="client-button"]')[0]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await until(() => textOf(el.shadowRoot!.activeElement) === 'Bea Brandt', 'the second client');
    const selected = new Promise<string>((resolve) =>
      el.addEventListener('mm-client-select', (e) => resolve(e.detail.clientId), { once: true }),
    );
    await sendKeys({ press: 'Enter' });
    expect(await selected).to.equal(el.selectedClientId);
    await sendKeys({ press: 'ArrowUp' });
    await until(() => textOf(el.shadowRoot!.activeElement) === 'Ana Alves', 'the first client');
  });

  it('in a studio, shows the signed-in teacher’s classes first, and every teacher’s on request', async () => {
    const s = await platform.studio(2);
    const [t1, t2] = s.teachers as [(typeof s.teachers)[0], (typeof s.teachers)[0]];
    await platform.booking(s.crmId, t1.id, {
      email: email(),
      status: 'booked',
      startsAt: at(1),
      classTitle: 'Mine',
    });
    await platform.booking(s.crmId, t2.id, {
      email: email(),
      status: 'booked',
      startsAt: at(2),
      classTitle: 'Theirs',
    });
    const el = await roster(t1.token, s.crmId);
    await rosterShown(el);
    const filter = $<HTMLSelectElement>(el, '[part~="teacher-filter"]')!;
    expect(filter.value).to.equal(t1.id);
    expect(sessionTexts(el)).to.have.length(1);
    expect(sessionTexts(el)[0]).to.contain('Mine');
    filter.value = 'all';
    filter.dispatchEvent(new Event('change'));
    await until(() => sessionTexts(el).length === 2, 'every teacher’s classes');
    expect(sessionTexts(el)[1]).to.contain('Theirs').and.contain('Teacher 2');
    // The owner does not teach: every teacher's classes.
    const owner = await roster(s.owner.token, s.crmId);
    await rosterShown(owner);
    expect($<HTMLSelectElement>(owner, '[part~="teacher-filter"]')!.value).to.equal('all');
    await expect(el).to.be.accessible();
  });

  it('says when there are no classes, and offers Retry after an error', async () => {
    const { user, crmId } = await platform.mentor();
    const el = await roster(user.token, crmId);
    await until(() => $(el, '.empty'), 'the empty state');
    expect(textOf($(el, '.empty'))).to.equal('No classes in the next 7 days');
    await expect(el).to.be.accessible();

    const other = await platform.mentor();
    const failing = await roster(user.token, other.crmId);
    const error = await until(() => $(failing, '[part~="error"][role="alert"]'), 'the error');
    expect(textOf(error)).to.contain('Not found');
    expect(error.querySelector('button')?.textContent?.trim()).to.equal('Retry');
    await expect(failing).to.be.accessible();
  });

  it('is accessible in dark mode', async () => {
    const { user, crmId } = await berlinWeek();
    const el = await roster(user.token, crmId);
    el.style.colorScheme = 'dark';
    await rosterShown(el);
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(22, 24, 29)');
    await expect(el).to.be.accessible();
  });

  describe('print', () => {
    afterEach(() => emulateMedia({ media: 'screen' }));

    it('prints the roster of a 30-person class alone, on one Letter page, in black and white', async () => {
      const user = await platform.user('Paz Mentor');
      const crmId = await platform.crm('mentor', user.id, 'Paz Flow');
      const sessionId = unique('cls');
      const note =
        'Recovering from a knee operation: no kneeling without padding, check in before class. '.repeat(
          4,
        );
      for (let i = 0; i < 30; i++) {
        const { clientId } = await platform.booking(crmId, user.id, {
          email: email(),
          name: `Client ${String(i + 1).padStart(2, '0')} Longername-Withsurname`,
          sessionId,
          startsAt: at(1),
          status: 'booked',
          classTitle: 'Power Vinyasa',
        });
        const base = `${apiBase}/v1/crms/${crmId}/clients/${clientId}`;
        const headers = {
          authorization: `Bearer ${user.token}`,
          'content-type': 'application/json',
        };
        await fetch(`${base}/note`, {
          method: 'PUT',
          headers: { ...headers, 'if-match': '"0"' },
          body: JSON.stringify({ text: note }),
        });
        if (i % 3 === 0) {
          await fetch(`${base}/alerts`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ text: 'Shoulder injury: no weight on the left arm' }),
          });
        }
      }
      const el = await roster(user.token, crmId);
      // The printable width of a Letter page with half-inch margins (A4's is wider).
      el.style.width = '720px';
      await rosterShown(el);
      await emulateMedia({ media: 'print' });
      expect(getComputedStyle($(el, '[part~="sessions"]')!).display).to.equal('none');
      expect(getComputedStyle($(el, '[part~="print-button"]')!).display).to.equal('none');
      expect($$(el, '[part~="client"]')).to.have.length(30);
      // Letter: 11 in less two half-inch margins = 10 in = 960 CSS px (A4's page is taller).
      const height = el.getBoundingClientRect().height;
      expect(height, `roster height ${height}px`).to.be.at.most(960);
      // Black on white: text, borders and the alert's colour.
      const alert = $(el, '[part~="alert"]')!;
      expect(getComputedStyle(alert).color).to.equal('rgb(0, 0, 0)');
      expect(getComputedStyle(alert).borderLeftColor).to.equal('rgb(0, 0, 0)');
      expect(getComputedStyle(el).backgroundColor).to.equal('rgb(255, 255, 255)');
      expect(getComputedStyle($(el, '[part~="pill"]')!).color).to.equal('rgb(0, 0, 0)');
    });
  });
});
