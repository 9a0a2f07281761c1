import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { daysAgo, platform, textOf, until } from '../helpers/browser.js';
import type { MmClientList } from '../../src/mm-client-list.js';
import { count, frames, mountList, rows, shadow } from './client-list-helpers.js';

/** `n` clients named `Client 0001`... with one booking each, seeded 50 requests at a time. */
async function seedMany(n: number) {
  const { user, crmId } = await platform.mentor('Busy Mentor');
  const tag = Math.random().toString(36).slice(2, 8);
  const pad = (i: number) => String(i).padStart(4, '0');
  for (let start = 1; start <= n; start += 50) {
    const batch = [];
    for (let i = start; i < Math.min(start + 50, n + 1); i++) {
      batch.push(
        platform.booking(crmId, user.id, {
          email: `client-${pad(i)}-${tag}@example.test`,
          name: `Client ${pad(i)}`,
          startsAt: daysAgo(1 + (i % 300)),
        }),
      );
    }
    await Promise.all(batch);
  }
  return { user, crmId, name: (i: number) => `Client ${pad(i)}` };
}

const body = (el: HTMLElement) => el.shadowRoot!.querySelector<HTMLElement>('.body')!;
/**
 * Waits until the body holds `n` rows of `rowHeight` px: the first page of a query is 30 rows,
 * the next (page-size) is asked for right after it, and a scroll past the loaded rows stops at
 * their end until it comes.
 */
const loaded = (el: HTMLElement, n: number, rowHeight = 56) =>
  until(() => body(el).scrollHeight >= n * rowHeight, `${n} rows loaded`);
const activeIndex = (el: HTMLElement) =>
  (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset.index;

describe('<mm-client-list> at scale', () => {
  it('pages through 2,000 clients while scrolling, with a screenful of rows (and a few) in the DOM', async function () {
    this.timeout(300_000);
    const { user, crmId, name } = await seedMany(2000);
    const el = await mountList(user.token, crmId, { sort: 'name' });
    expect(count(el)).to.equal('2,000 clients');
    expect(shadow(el).querySelector('[role="grid"]')!.getAttribute('aria-rowcount')).to.equal(
      '2001',
    );
    expect(textOf(rows(el)[0]!.querySelector('.name'))).to.equal(name(1));

    let most = 0;
    const lastName = () => textOf(rows(el).at(-1)?.querySelector('.name'));
    for (let i = 0; i < 400 && lastName() !== name(2000); i++) {
      const scroller = body(el);
      scroller.scrollTop = scroller.scrollHeight;
      await frames(2);
      most = Math.max(most, rows(el).length);
    }
    await until(() => lastName() === name(2000), 'the last client');
    most = Math.max(most, rows(el).length);
    const screenful = Math.ceil(body(el).clientHeight / 56) + 1;
    expect(most).to.be.at.most(screenful + 10);
    expect(shadow(el).querySelectorAll('.row').length).to.be.at.most(screenful + 12);

    // The last row knows its place among all rows, and no placeholder is left.
    expect(rows(el).at(-1)!.getAttribute('aria-rowindex')).to.equal('2001');
    expect(shadow(el).querySelector('.loading-row')).to.equal(null);

    // Wherever the user drops the scrollbar, the rows fill the viewport, in order, no gap.
    for (const top of [1234 * 56 + 17, 40 * 56 + 3, 0]) {
      body(el).scrollTop = top;
      await frames(1);
      const view = body(el).getBoundingClientRect();
      const shown = rows(el);
      expect(shown[0]!.getBoundingClientRect().top).to.be.at.most(view.top);
      expect(shown.at(-1)!.getBoundingClientRect().bottom).to.be.at.least(view.bottom);
      const first = Math.floor(top / 56);
      const atTop = shown.find((r) => r.getBoundingClientRect().bottom > view.top)!;
      expect(textOf(atTop.querySelector('.name'))).to.equal(name(first + 1));
    }

    // A search that matches them all stops counting at 1,000 (totalCapped): "1,000+".
    const input = shadow(el).querySelector<HTMLInputElement>('input[type="search"]')!;
    input.value = 'client';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await until(() => count(el) === '1,000+ clients match', '"1,000+ clients match"');
  });

  it('keeps keyboard focus while the focused row scrolls out of view, and gives it back to the next row', async function () {
    this.timeout(60_000);
    const { user, crmId, name } = await seedMany(300);
    const el = await mountList(user.token, crmId, { sort: 'name' });
    rows(el)[0]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    expect(activeIndex(el)).to.equal('2');

    // The user scrolls far away with the wheel: row 2 leaves the DOM, focus stays in the grid.
    body(el).scrollTop = 150 * 56;
    await until(() => !rows(el).some((r) => r.dataset.index === '2'), 'row 2 to be recycled');
    const grid = shadow(el).querySelector<HTMLElement>('[role="grid"]')!;
    expect(shadow(el).activeElement).to.equal(grid);
    expect(document.activeElement).to.equal(el);
    expect(grid.tabIndex).to.equal(0);

    // The next arrow key continues from row 2: row 3 comes back into view with focus.
    await sendKeys({ press: 'ArrowDown' });
    await until(() => activeIndex(el) === '3', 'row 3 to be focused');
    const row3 = shadow(el).activeElement as HTMLElement;
    expect(textOf(row3.querySelector('.name'))).to.equal(name(4));
    const a = row3.getBoundingClientRect();
    const b = body(el).getBoundingClientRect();
    expect(a.top).to.be.at.least(b.top - 1);
    expect(a.bottom).to.be.at.most(b.bottom + 1);
    expect(row3.tabIndex).to.equal(0);

    // Page Down moves by a screenful; End goes to the last loaded row.
    await sendKeys({ press: 'PageDown' });
    await until(() => Number(activeIndex(el)) > 6, 'Page Down');
    await sendKeys({ press: 'End' });
    await until(() => Number(activeIndex(el)) >= 99, 'End');
  });

  it('follows a themed row height, fractional pixels included', async function () {
    this.timeout(60_000);
    const { user, crmId, name } = await seedMany(120);
    const el = await mountList(user.token, crmId, { sort: 'name' });
    el.style.setProperty('--mm-client-list-row-height', '3.3rem'); // 52.8px
    const height = () => rows(el)[0]!.getBoundingClientRect().height;
    await until(() => Math.abs(height() - 52.8) < 0.02, 'the new height');
    await loaded(el, 100, height());
    body(el).scrollTop = 90 * height() + 5;
    await frames(2);
    const view = body(el).getBoundingClientRect();
    const atTop = rows(el).find((r) => r.getBoundingClientRect().bottom > view.top)!;
    expect(textOf(atTop.querySelector('.name'))).to.equal(name(91));
    expect(atTop.getBoundingClientRect().top).to.be.closeTo(view.top - 5, 1);
    // Scrolled to the end, the last client sits at the bottom: the body is as tall as all rows.
    // (The second page may still be on its way: scroll down again until it is in.)
    await until(() => {
      body(el).scrollTop = body(el).scrollHeight;
      return rows(el).at(-1)?.dataset.index === '119';
    }, 'the last row');
    await frames(2);
    const last = rows(el).at(-1)!.getBoundingClientRect();
    expect(last.bottom).to.be.closeTo(body(el).getBoundingClientRect().bottom, 1);
    expect(textOf(rows(el).at(-1)!.querySelector('.name'))).to.equal(name(120));
  });
});

describe('<mm-client-list> window of rows, wherever it is put', () => {
  /** The client row at the top of the list's viewport, and how much of the viewport is blank. */
  const view = (el: MmClientList) => {
    const box = body(el).getBoundingClientRect();
    const shown = rows(el);
    const top = shown.find((r) => r.getBoundingClientRect().bottom > box.top + 1);
    const bottom = shown.at(-1)!.getBoundingClientRect().bottom;
    return {
      top: textOf(top?.querySelector('.name')),
      blank: Math.max(0, Math.round(box.bottom - Math.max(box.top, bottom))),
    };
  };

  it('keeps its place and fills its viewport when re-inserted, moved, zoomed or given a new row height', async function () {
    this.timeout(90_000);
    const { user, crmId, name } = await seedMany(300);
    const el = await mountList(user.token, crmId, { sort: 'name' });
    await loaded(el, 100);
    body(el).scrollTop = 80 * 56 + 10;
    await until(() => view(el).top === name(81), 'row 81 at the top');

    // Taken out and put back (a framework re-rendering, a tab panel): same place, no gap.
    const parent = el.parentElement!;
    el.remove();
    parent.append(el);
    await until(() => view(el).top === name(81) && view(el).blank === 0, 'the same place');

    // Moved into a taller container: the rows fill it.
    const tall = document.createElement('div');
    tall.style.height = '1200px';
    document.body.append(tall);
    try {
      el.style.setProperty('--mm-client-list-height', '100%');
      tall.append(el);
      await until(() => view(el).blank === 0 && rows(el).length > 0, 'rows filling 1,200 px');

      // A new row height from the page, without a scroll: no blank band, the right height.
      el.style.setProperty('--mm-client-list-row-height', '32px');
      await until(
        () => view(el).blank === 0 && rows(el)[0]!.getBoundingClientRect().height === 32,
        'rows of 32 px, no blank band',
      );
      expect(view(el).top).to.equal(name(Math.floor(body(el).scrollTop / 32) + 1));

      // Zoomed: the rows still follow the scroll position.
      el.style.removeProperty('--mm-client-list-row-height');
      tall.style.zoom = '2';
      body(el).scrollTop = 30 * 56;
      await until(() => view(el).top === name(31), 'row 31 at the top, zoomed');
      expect(view(el).blank).to.equal(0);
    } finally {
      parent.append(el);
      tall.remove();
    }
  });

  it('a click leaves the scroll alone; keyboard moves scroll the page to the row; Enter brings a parked row back', async function () {
    this.timeout(90_000);
    const { user, crmId, name } = await seedMany(300);
    // The list starts 250 px above the bottom of the window: its rows go below the fold.
    const spacer = document.createElement('div');
    spacer.style.height = `${innerHeight - 250}px`;
    document.body.prepend(spacer);
    try {
      const el = await mountList(user.token, crmId, { sort: 'name', height: '600px' });
      scrollTo(0, 0);
      const grid = shadow(el).querySelector<HTMLElement>('[role="grid"]')!;

      // Scrolled with the wheel, then a click on a header's text: the list stays put.
      await loaded(el, 100);
      body(el).scrollTop = 60 * 56;
      await until(() => view(el).top === name(61), 'row 61 at the top');
      const header = [...shadow(el).querySelectorAll<HTMLElement>('[role="columnheader"]')].find(
        (h) => textOf(h) === 'Status',
      )!;
      const box = header.getBoundingClientRect();
      await sendMouse({ type: 'click', position: [Math.round(box.x + 5), Math.round(box.y + 5)] });
      await frames(2);
      expect(shadow(el).activeElement).to.equal(grid);
      expect(view(el).top).to.equal(name(61));

      // Arrow keys go on from the active row (the first); the page follows the focused row.
      for (let i = 0; i < 6; i++) await sendKeys({ press: 'ArrowDown' });
      await until(() => activeIndex(el) === '6', 'row 6 focused');
      await frames(1);
      const row6 = shadow(el).activeElement as HTMLElement;
      expect(row6.getBoundingClientRect().bottom).to.be.at.most(innerHeight + 1);
      expect(scrollY).to.be.above(0);

      // The wheel takes row 6 away (focus parks on the grid); Enter brings it back, chosen.
      body(el).scrollTop = 60 * 56;
      await until(() => shadow(el).activeElement === grid, 'focus parked on the grid');
      const chosen = oneEvent(el, 'mm-client-select');
      await sendKeys({ press: 'Enter' });
      expect((await chosen).detail.clientId).to.equal(el.selectedClientId);
      await until(() => activeIndex(el) === '6', 'row 6 focused again');
      expect(textOf((shadow(el).activeElement as HTMLElement).querySelector('.name'))).to.equal(
        name(7),
      );
      expect(view(el).top).not.to.equal(name(61));
    } finally {
      spacer.remove();
    }
  });
});
