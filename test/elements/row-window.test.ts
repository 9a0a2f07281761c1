/**
 * RowWindow on its own: a small host element with rows of 20 px in a body 200 px tall (ten
 * rows on screen), no server. What a user of any list built on it would notice: the rows on
 * screen follow the scroll, the keys move the focused row, and the place is kept.
 */
import { expect, fixture, html as fixtureHtml } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { css, html, LitElement } from 'lit';
import { RowWindow } from '../../src/elements/client-list/row-window.js';
import { textOf, until } from '../helpers/browser.js';

class TestRows extends LitElement {
  static override styles = css`
    :host {
      display: block;
      width: 300px;
      --row-height: 20px;
    }
    .grid {
      display: flex;
      flex-direction: column;
      height: 230px;
    }
    .body {
      flex: 1 1 0;
      min-height: 0;
      overflow: auto;
    }
    .probe {
      position: absolute;
      width: 0;
      height: var(--row-height);
      visibility: hidden;
    }
    .row {
      height: var(--row-height);
      overflow: hidden;
    }
    .head {
      height: 30px;
    }
  `;

  ids: string[] = [];
  more = false;
  /** The rows chosen (Enter, Space, click), in order. */
  chosen: number[] = [];
  nearEnd = 0;

  readonly window = new RowWindow(this, {
    count: () => this.ids.length,
    more: () => this.more,
    idAt: (i) => this.ids[i],
    activate: (i) => this.chosen.push(i),
    nearEnd: () => this.nearEnd++,
  });

  override render() {
    return this.window.render({
      label: 'Things',
      rowCount: this.ids.length + 1,
      busy: false,
      header: html`<div class="head" role="rowgroup">
        <div role="row" aria-rowindex="1"><span role="columnheader">Name</span></div>
      </div>`,
      row: (i, active) =>
        html`<div
          class="row"
          role="row"
          aria-rowindex=${i + 2}
          tabindex=${active ? 0 : -1}
          data-index=${i}
        >
          <span role="gridcell">${this.ids[i]}</span>
        </div>`,
      placeholder: () => html`<div class="row loading" aria-hidden="true">…</div>`,
    });
  }
}
customElements.define('test-row-window', TestRows);

const names = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `Row ${from + i}`);

async function mount(n: number, more = false): Promise<TestRows> {
  const el = await fixture<TestRows>(fixtureHtml`<test-row-window></test-row-window>`);
  el.ids = names(n);
  el.more = more;
  el.requestUpdate();
  await until(() => rows(el).length > 0, 'rows');
  return el;
}

const root = (el: TestRows) => el.shadowRoot!;
const body = (el: TestRows) => root(el).querySelector<HTMLElement>('.body')!;
const grid = (el: TestRows) => root(el).querySelector<HTMLElement>('[role="grid"]')!;
const rows = (el: TestRows) => [...root(el).querySelectorAll<HTMLElement>('.body [data-index]')];
const focused = () => {
  const el = document.querySelector<TestRows>('test-row-window')!;
  return textOf(root(el).activeElement as HTMLElement | null);
};

/** The row at the top of the viewport, and how many rows are in the DOM. */
function view(el: TestRows) {
  const box = body(el).getBoundingClientRect();
  const top = rows(el).find((r) => r.getBoundingClientRect().bottom > box.top + 1);
  return { top: textOf(top), rendered: rows(el).length };
}

async function scrollTo(el: TestRows, top: number) {
  body(el).scrollTop = top;
  await until(() => {
    const { top: shown } = view(el);
    return shown === `Row ${Math.floor(top / 20)}` && shown;
  }, `the row at ${top}px`);
}

async function press(key: string) {
  await sendKeys({ press: key });
}

describe('RowWindow', () => {
  it('renders the rows on screen and a few more, and follows the scroll', async () => {
    const el = await mount(1000);
    expect(view(el).top).to.equal('Row 0');
    // Ten rows on screen and four more on each side: 1,000 rows never reach the DOM.
    expect(view(el).rendered).to.be.within(10, 20);
    await scrollTo(el, 5000 + 7);
    expect(view(el).rendered).to.be.within(10, 20);
    // The body is as tall as every row: the scrollbar tells where the user is.
    expect(body(el).scrollHeight).to.equal(1000 * 20);
    await expect(el).to.be.accessible();
  });

  it('moves the focused row with the arrows, Page Up and Down, Home and End, and scrolls to it', async () => {
    const el = await mount(300);
    rows(el)[0]!.focus();
    await press('ArrowDown');
    await press('ArrowDown');
    expect(focused()).to.equal('Row 2');
    // One row is in the tab order: the focused one.
    expect(
      rows(el)
        .filter((r) => r.tabIndex === 0)
        .map((r) => textOf(r)),
    ).to.deep.equal(['Row 2']);
    await press('ArrowUp');
    expect(focused()).to.equal('Row 1');
    await press('PageDown');
    await until(() => focused() === 'Row 11', 'a screenful down');
    await press('End');
    await until(() => focused() === 'Row 299', 'the last row');
    expect(body(el).scrollTop).to.equal(300 * 20 - body(el).clientHeight);
    await press('ArrowDown');
    expect(focused()).to.equal('Row 299');
    await press('PageUp');
    await until(() => focused() === 'Row 289', 'a screenful up');
    await press('Home');
    await until(() => focused() === 'Row 0', 'the first row');
    expect(body(el).scrollTop).to.equal(0);
    await press('ArrowUp');
    expect(focused()).to.equal('Row 0');
  });

  it('chooses the row on Enter, Space and a click', async () => {
    const el = await mount(50);
    rows(el)[0]!.focus();
    await press('ArrowDown');
    await press('Enter');
    await press('ArrowDown');
    await press(' ');
    rows(el)[5]!.click();
    expect(el.chosen).to.deep.equal([1, 2, 5]);
    // The clicked row is the one the keys go on from.
    await el.updateComplete;
    expect(rows(el)[5]!.tabIndex).to.equal(0);
  });

  it('asks for more rows when the user nears the last loaded one, with a placeholder in their place', async () => {
    const el = await mount(100, true);
    await el.updateComplete;
    expect(el.nearEnd).to.equal(0);
    // The rows rendered reach row 64 of 100: not yet.
    await scrollTo(el, 50 * 20);
    await el.updateComplete;
    expect(el.nearEnd).to.equal(0);
    // They reach row 74: the last page's worth of rows is close.
    await scrollTo(el, 60 * 20);
    await until(() => el.nearEnd > 0, 'the call for more');
    await scrollTo(el, 100 * 20 + 20 - body(el).clientHeight);
    expect(root(el).querySelector('.loading')).not.to.equal(null);
    // The next page arrives: it joins the rows, and the placeholder goes with the last page.
    el.ids = names(120);
    el.more = false;
    el.requestUpdate();
    await until(() => {
      body(el).scrollTop = body(el).scrollHeight;
      return textOf(rows(el).at(-1)) === 'Row 119';
    }, 'the last row');
    expect(root(el).querySelector('.loading')).to.equal(null);
  });

  it('parks focus on the grid while the focused row is scrolled away, and goes on from it', async () => {
    const el = await mount(300);
    rows(el)[0]!.focus();
    await press('ArrowDown');
    await scrollTo(el, 150 * 20);
    expect(root(el).activeElement).to.equal(grid(el));
    // Tab still reaches the list while its active row is away.
    expect(grid(el).tabIndex).to.equal(0);
    await press('ArrowDown');
    await until(() => focused() === 'Row 2', 'row 2 back with focus');
    // Scrolled back just enough to show it.
    expect(view(el).top).to.equal('Row 2');
    expect(grid(el).tabIndex).to.equal(-1);
  });

  it('keeps its place when taken out of the page and put back', async () => {
    const el = await mount(500);
    await scrollTo(el, 123 * 20);
    const parent = el.parentElement!;
    el.remove();
    parent.append(el);
    await until(() => view(el).top === 'Row 123', 'the same place');
  });

  it('follows a row height set in CSS', async () => {
    const el = await mount(500);
    el.style.setProperty('--row-height', '2rem'); // 32 px
    await until(() => rows(el)[0]!.getBoundingClientRect().height === 32, 'rows of 32 px');
    body(el).scrollTop = 40 * 32 + 5;
    await until(() => view(el).top === 'Row 40', 'row 40 at the top');
    expect(body(el).scrollHeight).to.equal(500 * 32);
  });

  it('starts again at the top with the first row active after reset()', async () => {
    const el = await mount(300);
    rows(el)[0]!.focus();
    await press('End');
    await until(() => focused() === 'Row 299', 'the last row');
    el.window.reset();
    el.ids = names(300, 1000);
    el.requestUpdate();
    await until(() => focused() === 'Row 1000', 'the first new row focused');
    expect(body(el).scrollTop).to.equal(0);
    expect(el.window.activeIndex).to.equal(0);
  });
});
