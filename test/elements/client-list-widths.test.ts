/**
 * `<mm-client-list>` at the widths admin pages give it (1280, 1024, 860, 700 and 380 px), with
 * a studio's and a mentor's data: nothing scrolls sideways, the columns a user needs are there
 * from 800 px up and a two-line row below, and every text is whole or has its full text on
 * hover (a title) and for assistive tech; axe is clean at each width.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { MmClientList } from '../../src/mm-client-list.js';
import { formatRelative } from '../../src/shared/format.js';
import { daysAgo, now, platform, textOf, unique, until } from '../helpers/browser.js';
import { frames, mountList, rowNamed, rows, settled, shadow } from './client-list-helpers.js';

const WIDTHS = [1280, 1024, 860, 700, 380];
const LONG_NAME = 'Alexandria Montgomery-Featherstonehaugh';
const LONG_TAGS = ['injury: lower back', 'teacher training', 'evening', 'VIP', 'corporate'];
const inDays = (days: number) => daysAgo(-days);

/**
 * A CRM with a long name and email, many tags and (studio) eight teachers; a growing client
 * with a class booked in two weeks; a slipping one; a lapsed one.
 */
async function seed(kind: 'studio' | 'mentor') {
  const suffix = unique('w');
  const email = (name: string) =>
    `${name.toLowerCase().replace(/\W+/g, '.')}.${suffix}@very-long-domain-name.example.test`;
  let crmId: string, token: string, teacherIds: string[];
  if (kind === 'studio') {
    const studio = await platform.studio(8);
    crmId = studio.crmId;
    token = studio.owner.token;
    teacherIds = studio.teachers.map((t) => t.id);
  } else {
    const mentor = await platform.mentor();
    crmId = mentor.crmId;
    token = mentor.user.token;
    teacherIds = [mentor.user.id];
  }
  // Eight bookings, a week apart, with each teacher in turn.
  let long = '';
  for (let i = 0; i < 8; i++) {
    const res = await platform.booking(crmId, teacherIds[i % teacherIds.length]!, {
      email: email(LONG_NAME),
      name: LONG_NAME,
      startsAt: daysAgo(4 + 7 * i),
    });
    long = res.clientId;
  }
  const t = teacherIds[0]!;
  const samEmail = email('Sam Lee');
  await Promise.all([
    platform.client(crmId, t, { email: samEmail, name: 'Sam Lee', bookings: 3 }),
    // Every week, then not for 30 days and nothing booked: slipping.
    platform.client(crmId, t, {
      email: email('Sia Slip'),
      name: 'Sia Slip',
      bookings: 6,
      lastDaysAgo: 30,
    }),
    platform.client(crmId, t, { email: email('Lou'), name: 'Lou Away', lastDaysAgo: 200 }),
  ]);
  await platform.booking(crmId, t, {
    email: samEmail,
    name: 'Sam Lee',
    startsAt: inDays(14),
    status: 'booked',
    paymentStatus: 'unpaid',
  });
  await platform.request(
    'PUT',
    `/v1/crms/${crmId}/clients/${long}/tags`,
    { tags: LONG_TAGS },
    token,
  );
  return { crmId, token };
}

/** The element's box, and whether `el` lies inside it horizontally. */
const inside = (el: Element, box: DOMRect) => {
  const r = el.getBoundingClientRect();
  return r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
};

/** The text of `el` is somewhere the user can get it whole: a title on it or a parent in the row. */
function fullTextAvailable(el: HTMLElement, row: HTMLElement) {
  const text = textOf(el);
  for (let e: HTMLElement | null = el; e && e !== row.parentElement; e = e.parentElement) {
    if (e.title && e.title.includes(text)) return true;
  }
  return false;
}

/** Whether `el` shows all its text (no ellipsis, nothing outside its cell). */
function whole(el: HTMLElement) {
  const cell = el.closest<HTMLElement>('[role="gridcell"]')!;
  const own = getComputedStyle(el).display === 'inline' || el.scrollWidth <= el.clientWidth + 0.5;
  return own && inside(el, cell.getBoundingClientRect());
}

/**
 * Whether a sort arrow stands after its label on the label's last line, inside the header
 * cell `h` (not wrapped onto a line of its own, nor cut off).
 */
function arrowOnLabelLine(arrow: Element, h: HTMLElement) {
  const label = document.createRange();
  label.setStart(arrow.closest('button')!, 0);
  label.setEndBefore(arrow);
  const line = [...label.getClientRects()].filter((r) => r.width > 0).at(-1)!;
  const a = arrow.getBoundingClientRect();
  const middle = (a.top + a.bottom) / 2;
  return (
    middle > line.top &&
    middle < line.bottom &&
    a.left >= line.right - 0.5 &&
    inside(arrow, h.getBoundingClientRect())
  );
}

const displayed = (el: Element) => getComputedStyle(el).display !== 'none';

for (const kind of ['studio', 'mentor'] as const) {
  describe(`<mm-client-list> widths, ${kind} data`, function () {
    this.timeout(120_000);
    let data: { crmId: string; token: string };
    let el: MmClientList;

    before(async () => {
      data = await seed(kind);
    });
    // A fixture lasts one test.
    beforeEach(async () => {
      el = await mountList(data.token, data.crmId);
      el.now = now;
      await frames();
    });

    for (const width of WIDTHS) {
      it(`at ${width} px: no sideways scroll, the needed columns, whole texts or their full text, axe clean`, async () => {
        el.style.width = `${width}px`;
        await frames(3);
        const body = shadow(el).querySelector<HTMLElement>('.body')!;
        const frame = shadow(el).querySelector<HTMLElement>('.frame')!;
        expect(body.scrollWidth, 'rows').to.be.at.most(body.clientWidth);
        expect(frame.scrollWidth, 'toolbar').to.be.at.most(frame.clientWidth);

        const long = rowNamed(el, LONG_NAME)!;
        const cells = [...long.querySelectorAll<HTMLElement>('[role="gridcell"]')];
        const shown = cells.filter(displayed);
        const bodyBox = body.getBoundingClientRect();
        for (const cell of shown) expect(inside(cell, bodyBox), textOf(cell)).to.equal(true);
        const headers = [...shadow(el).querySelectorAll<HTMLElement>('[role="columnheader"]')];
        if (width >= 800) {
          // Every column, its header whole.
          expect(shown).to.have.length(kind === 'studio' ? 7 : 6);
          for (const h of headers) {
            expect(h.scrollWidth, textOf(h)).to.be.at.most(h.clientWidth);
            expect(h.scrollHeight, textOf(h)).to.be.at.most(h.clientHeight + 1);
            const arrow = h.querySelector('.arrow');
            if (arrow) expect(arrowOnLabelLine(arrow, h), textOf(h)).to.equal(true);
          }
        } else {
          // Two lines: the client and status; bookings, spend and last attended.
          expect(shown.map((c) => cells.indexOf(c))).to.deep.equal([0, 1, 2, 3, 4]);
          expect(textOf(cells[1])).to.equal('8 bookings');
          const top = (c: HTMLElement) => c.getBoundingClientRect().top;
          expect(top(cells[1]!)).to.be.greaterThan(top(cells[0]!));
          expect(top(cells[2]!)).to.equal(top(cells[1]!));
          expect(top(cells[3]!)).to.equal(top(cells[1]!));
        }

        // Every text shown is whole, or its full text is a title away (and in the DOM).
        for (const row of rows(el)) {
          const rowBox = row.getBoundingClientRect();
          if (rowBox.bottom > bodyBox.bottom) continue;
          const texts = row.querySelectorAll<HTMLElement>(
            '.name, .email, time, .first, .first ~ .more, [part="pill"], [role="gridcell"]:nth-child(-n+3)',
          );
          for (const t of texts) {
            if (!t.offsetParent || !displayed(t)) continue;
            expect(whole(t) || fullTextAvailable(t, row), `${textOf(t)} in ${width}`).to.equal(
              true,
            );
            // Nothing sticks out of the row at the bottom either (pills included).
            expect(
              t.getBoundingClientRect().bottom,
              `${textOf(t)} (${t.className}) bottom`,
            ).to.be.at.most(rowBox.bottom + 0.5);
          }
        }

        if (width >= 800) {
          // Tags: whole chips, then "+N" for those that did not fit.
          const tagsCell = cells.at(-1)!;
          // In the window (it may be narrower than the list), for elementFromPoint.
          tagsCell.scrollIntoView({ block: 'nearest', inline: 'nearest' });
          const chips = [...tagsCell.querySelectorAll<HTMLElement>('[part="tag"]')];
          const line = tagsCell.querySelector('.chips')!.getBoundingClientRect();
          const onLine = chips.filter((c) => c.getBoundingClientRect().bottom <= line.bottom + 0.5);
          expect(onLine.length, 'at least one tag').to.be.at.least(1);
          for (const c of onLine.slice(1)) expect(whole(c), textOf(c)).to.equal(true);
          if (!whole(onLine[0]!)) expect(fullTextAvailable(onLine[0]!, long)).to.equal(true);
          const more = [...tagsCell.querySelectorAll<HTMLElement>('.more')].filter((m) => {
            const r = m.getBoundingClientRect();
            if (r.bottom > line.bottom + 0.5) return false;
            return shadow(el).elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === m;
          });
          const hidden = LONG_TAGS.length - onLine.length;
          expect(more.map((m) => textOf(m))).to.deep.equal(hidden ? [`+${hidden}`] : []);
          expect(tagsCell.title).to.equal(LONG_TAGS.join(', '));
          if (kind === 'studio') {
            const teachers = cells[5]!;
            expect(textOf(teachers)).to.equal('Teacher 1 +7 more');
            expect(teachers.title.split(', ')).to.have.length(8);
          }
        }
        await expect(el).to.be.accessible();
      });
    }

    it("sort arrows stay on their labels' lines at every width that shows the columns", async () => {
      const bookings = () =>
        [...shadow(el).querySelectorAll<HTMLElement>('[role="columnheader"]')].find((h) =>
          textOf(h).startsWith('Bookings'),
        )!;
      // '↕' on Bookings, then '▼' and '▲' (the glyphs differ in width).
      for (const order of [undefined, 'descending', 'ascending']) {
        if (order) {
          bookings().querySelector('button')!.click();
          await until(() => bookings()?.getAttribute('aria-sort') === order, `Bookings ${order}`);
          await settled(el);
        }
        // From the narrowest frame with columns (780 px inside the border) to a wide screen.
        for (let width = 782; width <= 1400; width += 22) {
          el.style.width = `${width}px`;
          await frames(2);
          for (const h of shadow(el).querySelectorAll<HTMLElement>('[role="columnheader"]')) {
            const arrow = h.querySelector('.arrow');
            if (arrow)
              expect(arrowOnLabelLine(arrow, h), `${textOf(h)} at ${width}`).to.equal(true);
          }
        }
      }
    });

    it('shows the next booking under last attended, counted from `now`', async () => {
      el.style.width = '1280px';
      await frames(2);
      const next = () => rowNamed(el, 'Sam Lee')!.querySelector('.next')!;
      expect(textOf(next())).to.equal(
        `next: ${formatRelative(inDays(14), now, 'en-US', { short: true, timeZone: 'UTC' })}`,
      );
      el.now = Date.parse(inDays(12));
      await el.updateComplete;
      expect(textOf(next())).to.equal('next: in 2 days');
      el.now = now;
      await el.updateComplete;
    });

    it('markers: growing and slipping fit beside the status, their words read out', async () => {
      for (const width of [1280, 860, 380]) {
        el.style.width = `${width}px`;
        await frames(2);
        const status = rowNamed(el, 'Sia Slip')!.querySelector<HTMLElement>('.status')!;
        expect(textOf(status)).to.match(/Slipping$/);
        const marker = status.querySelector<HTMLElement>('.seg')!;
        expect(marker.title).to.contain('Slipping');
        expect(inside(marker, status.getBoundingClientRect())).to.equal(true);
        expect(textOf(rowNamed(el, 'Sam Lee')!.querySelector('.status'))).to.match(/Growing$/);
      }
    });

    it('the focused row shows the whole name and email', async () => {
      el.style.width = '860px';
      await frames(2);
      rows(el)[0]!.focus();
      await sendKeys({ press: 'Home' });
      const index = rows(el).indexOf(rowNamed(el, LONG_NAME)!);
      for (let i = 0; i < index; i++) await sendKeys({ press: 'ArrowDown' });
      const row = rowNamed(el, LONG_NAME)!;
      await until(() => shadow(el).activeElement === row, 'focus on the row');
      await frames(1);
      for (const t of row.querySelectorAll<HTMLElement>('.name, .email')) {
        expect(t.scrollWidth, textOf(t)).to.be.at.most(t.clientWidth);
        const r = t.getBoundingClientRect();
        const hit = shadow(el).elementFromPoint(r.right - 4, r.top + r.height / 2);
        expect(t.contains(hit), textOf(t)).to.equal(true);
      }
    });
  });
}
