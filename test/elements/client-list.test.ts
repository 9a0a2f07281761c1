import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { CSV_COLUMNS } from '../../src/api/schemas.js';
import type { MmClientList } from '../../src/mm-client-list.js';
import { CrmClientElement } from '../../src/shared/client-element.js';
import { formatDate, formatRelative } from '../../src/shared/format.js';
import { apiBase, daysAgo, platform, textOf, unique, until } from '../helpers/browser.js';
import {
  checkbox,
  count,
  frames,
  mountList,
  names,
  namesBecome,
  rowNamed,
  rows,
  settled,
  shadow,
} from './client-list-helpers.js';

const email = (name: string) =>
  `${name.toLowerCase().replace(/\W+/g, '.')}.${unique('c')}@example.test`;

async function setTags(token: string, crmId: string, clientId: string, tags: string[]) {
  await platform.request('PUT', `/v1/crms/${crmId}/clients/${clientId}/tags`, { tags }, token);
}

/** A mentor CRM with a regular, a growing active client, a lapsed one and an erased one. */
async function seedMentor() {
  const { user, crmId } = await platform.mentor('Maya Mentor', 'USD');
  const t = user.id;
  const erasedEmail = email('Eve Erased');
  // Different clients seed in parallel; each client's bookings in order.
  const [maya, sam, lapsed] = await Promise.all([
    platform.client(crmId, t, {
      email: email('Maya Rivera'),
      name: 'Maya Rivera',
      bookings: 6,
      lastDaysAgo: 10,
      amountMinor: 2500,
      avatarUrl: 'https://cdn.example.com/maya.jpg',
    }),
    platform.client(crmId, t, {
      email: email('Sam Lee'),
      name: 'Sam Lee',
      bookings: 3,
      lastDaysAgo: 3,
      amountMinor: 1800,
    }),
    platform.client(crmId, t, {
      email: email('Lou Gone'),
      name: 'Lou Away',
      bookings: 1,
      lastDaysAgo: 200,
    }),
    platform.client(crmId, t, {
      email: erasedEmail,
      name: 'Eve Erased',
      bookings: 1,
      lastDaysAgo: 40,
      amountMinor: 1000,
    }),
  ]);
  await platform.erase(erasedEmail);
  await Promise.all([
    setTags(user.token, crmId, maya!, ['Beginner', 'Mornings']),
    setTags(user.token, crmId, sam!, ['Mornings']),
  ]);
  return { user, crmId, ids: { maya: maya!, sam: sam!, lapsed: lapsed! } };
}

describe('<mm-client-list>', function () {
  // Seeding shares the one in-process server with the other test files running alongside.
  this.timeout(90_000);
  // The tests read request URLs from resource timing: room for all of them.
  before(() => performance.setResourceTimingBufferSize(100_000));

  describe('rows', () => {
    it('shows avatar, name, email, bookings, spend, last attended, status and tags', async () => {
      const { user, crmId, ids } = await seedMentor();
      const el = await mountList(user.token, crmId);
      // Default sort: most recent booking first.
      expect(names(el)).to.deep.equal(['Sam Lee', 'Maya Rivera', 'Deleted client', 'Lou Away']);
      expect(count(el)).to.equal('4 clients');

      const maya = rowNamed(el, 'Maya Rivera')!;
      expect(maya.dataset.clientId).to.equal(ids.maya);
      const cells = [...maya.querySelectorAll('[role="gridcell"]')].map((c) => textOf(c));
      expect(cells[0]).to.match(/^Maya Rivera maya\.rivera\..+@example\.test$/);
      expect(cells[1]).to.equal('6 bookings');
      expect(cells[2]).to.equal('$150.00');
      const last = daysAgo(10);
      const time = maya.querySelector('time')!;
      expect(time.getAttribute('datetime')).to.equal(last);
      // Short and in the CRM's calendar days (UTC here); the date itself on hover and to AT.
      expect(time.title).to.equal(formatDate(last, 'en-US', 'UTC'));
      expect(textOf(time)).to.equal(
        formatRelative(last, Date.now(), 'en-US', { short: true, timeZone: 'UTC' }),
      );
      expect(cells[3]).to.contain(`(${formatDate(last, 'en-US', 'UTC')})`);
      expect(cells[4]).to.equal('★Regular');
      expect([...maya.querySelectorAll('[part="tag"]')].map((t) => textOf(t))).to.deep.equal([
        'Beginner',
        'Mornings',
      ]);
      const photo = maya.querySelector<HTMLImageElement>('img[part="avatar"]')!;
      expect(photo.src).to.equal('https://cdn.example.com/maya.jpg');
      expect(photo.alt).to.equal('');

      const sam = rowNamed(el, 'Sam Lee')!;
      expect(textOf(sam.querySelector('[part="avatar"]'))).to.equal('SL');
      expect(sam.querySelector('img')).to.equal(null);
      expect(textOf(sam.querySelector('.status'))).to.equal('●Active↗Growing');

      const lou = rowNamed(el, 'Lou Away')!;
      expect(textOf(lou.querySelector('.status'))).to.equal('○Lapsed');

      const erased = rowNamed(el, 'Deleted client')!;
      expect(erased.querySelector('.email')).to.equal(null);
      expect(textOf(erased)).not.to.contain('Eve');
      expect(textOf(erased)).not.to.contain('@');
    });

    it('is an ARIA grid: row count is the total, each row has its index, the selected row is marked', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);
      const grid = shadow(el).querySelector('[role="grid"]')!;
      expect(grid.getAttribute('aria-rowcount')).to.equal('5');
      expect(rows(el).map((r) => r.getAttribute('aria-rowindex'))).to.deep.equal([
        '2',
        '3',
        '4',
        '5',
      ]);
      expect(rows(el).map((r) => r.tabIndex)).to.deep.equal([0, -1, -1, -1]);
      rowNamed(el, 'Lou Away')!.click();
      await el.updateComplete;
      expect(rowNamed(el, 'Lou Away')!.getAttribute('aria-selected')).to.equal('true');
      expect(rowNamed(el, 'Sam Lee')!.getAttribute('aria-selected')).to.equal('false');
    });

    it('renders a client named like markup as text, never as an element', async () => {
      const { user, crmId } = await platform.mentor();
      const evil = '<img src=x onerror=alert(1)>';
      await platform.client(crmId, user.id, {
        email: email('evil'),
        name: evil,
        avatarUrl: 'javascript:alert(1)',
      });
      const el = await mountList(user.token, crmId);
      const row = rows(el)[0]!;
      expect(textOf(row.querySelector('.name'))).to.equal(evil);
      expect(row.querySelector('img')).to.equal(null);
      expect(shadow(el).querySelectorAll('img')).to.have.length(0);
    });

    it('shows money in the currency of the CRM', async () => {
      const { user, crmId } = await platform.mentor('Euro Mentor', 'EUR');
      await platform.client(crmId, user.id, {
        email: email('Ana'),
        name: 'Ana',
        bookings: 2,
        amountMinor: 1250,
        currency: 'EUR',
      });
      const el = await mountList(user.token, crmId);
      expect(textOf(rows(el)[0]!.querySelectorAll('[role="gridcell"]')[2])).to.equal('€25.00');
    });
  });

  describe('filters, search and sort', () => {
    it('filters by status (several at once) and by the growing segment', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);

      checkbox(el, 'Lapsed').click();
      await namesBecome(el, ['Lou Away']);
      expect(count(el)).to.equal('1 client matches');
      checkbox(el, 'Active').click();
      // The erased client booked 40 days ago: still active.
      await namesBecome(el, ['Sam Lee', 'Deleted client', 'Lou Away']);
      checkbox(el, 'Active').click();
      checkbox(el, 'Lapsed').click();
      await namesBecome(el, ['Sam Lee', 'Maya Rivera', 'Deleted client', 'Lou Away']);

      checkbox(el, 'Growing').click();
      await namesBecome(el, ['Sam Lee']);
    });

    it('filters by tags (all must match), with the tags of the CRM and their counts as options', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);
      const select = shadow(el).querySelector<HTMLSelectElement>('select[name="tag"]')!;
      await until(() => select.options.length === 3, 'tag options');
      expect([...select.options].map((o) => textOf(o))).to.deep.equal([
        'Any tag',
        'Mornings (2)',
        'Beginner (1)',
      ]);
      const choose = (tag: string) => {
        select.value = tag;
        select.dispatchEvent(new Event('change'));
      };
      const chips = () => [
        ...shadow(el).querySelectorAll<HTMLButtonElement>('[part="chosen-tag"]'),
      ];

      choose('Mornings');
      await namesBecome(el, ['Sam Lee', 'Maya Rivera']);
      // The chosen tag leaves the options and shows as a chip that removes it.
      expect([...select.options].map((o) => textOf(o))).to.deep.equal([
        'Add a tag…',
        'Beginner (1)',
      ]);
      expect(select.value).to.equal('');
      expect(textOf(shadow(el).querySelector('[part="chosen-tags"]'))).to.equal(
        'Tagged with all of Mornings×',
      );

      // A second tag narrows: clients with both.
      choose('Beginner');
      await namesBecome(el, ['Maya Rivera']);
      expect(chips().map((c) => c.getAttribute('aria-label'))).to.deep.equal([
        'Remove the tag filter Mornings',
        'Remove the tag filter Beginner',
      ]);
      expect(el.currentFilters.tag).to.deep.equal(['Mornings', 'Beginner']);
      await expect(el).to.be.accessible();

      // Removing one by keyboard widens again; focus goes to the tag select.
      chips()[0]!.focus();
      await sendKeys({ press: 'Enter' });
      await namesBecome(el, ['Maya Rivera']);
      expect(chips().map((c) => textOf(c))).to.deep.equal(['Beginner×']);
      await until(() => shadow(el).activeElement === select, 'focus on the tag select');
      chips()[0]!.click();
      await namesBecome(el, ['Sam Lee', 'Maya Rivera', 'Deleted client', 'Lou Away']);
      expect(shadow(el).querySelector('[part="chosen-tags"]')).to.equal(null);
      expect(textOf(select.options[0])).to.equal('Any tag');
    });

    it('in a studio, shows the teachers of each client and filters by teacher', async () => {
      const { owner, teachers, crmId } = await platform.studio(2, 'EUR');
      const [t1, t2] = teachers as [(typeof teachers)[0], (typeof teachers)[0]];
      await platform.client(crmId, t1.id, {
        email: email('Ada'),
        name: 'Ada One',
        currency: 'EUR',
        lastDaysAgo: 5,
      });
      await platform.client(crmId, t2.id, {
        email: email('Bo'),
        name: 'Bo Two',
        currency: 'EUR',
        lastDaysAgo: 6,
      });
      const el = await mountList(owner.token, crmId);
      expect(names(el)).to.deep.equal(['Ada One', 'Bo Two']);
      const headers = [...shadow(el).querySelectorAll('[role="columnheader"]')].map((h) =>
        textOf(h),
      );
      expect(headers).to.include('Teachers');
      expect(textOf(rowNamed(el, 'Ada One')!.querySelectorAll('[role="gridcell"]')[5])).to.equal(
        'Teacher 1',
      );

      // The rows come before the CRM's teachers.
      await until(() => shadow(el).querySelector('select[name="teacher"]'), 'the teacher filter');
      const select = shadow(el).querySelector<HTMLSelectElement>('select[name="teacher"]')!;
      expect([...select.options].map((o) => textOf(o))).to.deep.equal([
        'Any teacher',
        'Teacher 1',
        'Teacher 2',
      ]);
      select.value = t2.id;
      select.dispatchEvent(new Event('change'));
      await namesBecome(el, ['Bo Two']);
      await expect(el).to.be.accessible();
    });

    it('"Slipping" beside "Growing": most overdue first, then any sort; one segment at a time', async () => {
      const { user, crmId } = await seedMentor();
      // Weekly, last seen 30 days ago (30/7 overdue); every 10 days, last seen 25 days ago
      // (25/10): both slipping, and by how overdue the one seen longer ago comes first.
      await Promise.all([
        platform.client(crmId, user.id, {
          email: email('Wes Weekly'),
          name: 'Wes Weekly',
          bookings: 6,
          lastDaysAgo: 30,
        }),
        platform.client(crmId, user.id, {
          email: email('Tia Ten'),
          name: 'Tia Ten',
          bookings: 6,
          spacingDays: 10,
          lastDaysAgo: 25,
        }),
      ]);
      const el = await mountList(user.token, crmId);
      const sort = shadow(el).querySelector<HTMLSelectElement>('select[name="sort"]')!;
      const sortOptions = () => [...sort.options].map((o) => o.value);
      expect(sortOptions()).not.to.include('overdue');

      checkbox(el, 'Slipping').click();
      await namesBecome(el, ['Wes Weekly', 'Tia Ten']);
      expect(count(el)).to.equal('2 clients match');
      expect(el.currentFilters).to.deep.equal({ segment: 'slipping' });
      expect(sort.value).to.equal('overdue');
      expect(textOf(sort.selectedOptions[0])).to.equal('Most overdue');
      expect(textOf(rowNamed(el, 'Tia Ten')!.querySelector('.status'))).to.match(/↘Slipping$/);
      expect(shadow(el).querySelector('[aria-sort]')).to.equal(null);

      // An explicit sort wins: last attended, most recent first.
      sort.value = 'recent';
      sort.dispatchEvent(new Event('change'));
      await namesBecome(el, ['Tia Ten', 'Wes Weekly']);
      expect(el.currentFilters).to.include({ segment: 'slipping', sort: 'recent' });

      // Growing replaces slipping (the API takes one segment).
      checkbox(el, 'Growing').click();
      await namesBecome(el, ['Sam Lee']);
      expect(checkbox(el, 'Slipping').checked).to.equal(false);
      expect(sortOptions()).not.to.include('overdue');
      await expect(el).to.be.accessible();
    });

    it('counts: "1 client matches", "N clients match"; never "Loading" while rows are shown', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);
      const region = shadow(el).querySelector('[part="count"]')!;
      expect(region.getAttribute('role')).to.equal('status');
      const said: string[] = [];
      const observer = new MutationObserver(() => said.push(textOf(region)));
      observer.observe(region, { subtree: true, childList: true, characterData: true });
      checkbox(el, 'Lapsed').click();
      await namesBecome(el, ['Lou Away']);
      expect(count(el)).to.equal('1 client matches');
      checkbox(el, 'Active').click();
      await namesBecome(el, ['Sam Lee', 'Deleted client', 'Lou Away']);
      expect(count(el)).to.equal('3 clients match');
      el.refresh();
      await until(() => said.length >= 3 && count(el) === '3 clients match', 'the reload');
      await frames();
      observer.disconnect();
      expect(said.filter((t) => /Loading/.test(t))).to.deep.equal([]);
    });

    it('folds the filters behind "Filters (n)" in a narrow element', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);
      const fold = shadow(el).querySelector<HTMLButtonElement>('button.fold')!;
      const filters = shadow(el).querySelector('[part="filters"]')!;
      const visible = (e: Element) => getComputedStyle(e).display !== 'none';
      expect(visible(fold)).to.equal(false);
      el.style.width = '380px';
      await frames(2);
      expect(visible(fold)).to.equal(true);
      expect(visible(filters)).to.equal(false);
      expect(shadow(el).querySelector<HTMLElement>('[part="export"]')!.checkVisibility()).to.equal(
        false,
      );
      expect(textOf(fold)).to.equal('Filters');
      expect(fold.getAttribute('aria-expanded')).to.equal('false');
      fold.click();
      await el.updateComplete;
      expect(fold.getAttribute('aria-expanded')).to.equal('true');
      expect(visible(filters)).to.equal(true);
      checkbox(el, 'Active').click();
      checkbox(el, 'Growing').click();
      await namesBecome(el, ['Sam Lee']);
      expect(textOf(fold)).to.equal('Filters (2)');
      await expect(el).to.be.accessible();
      fold.click();
      await el.updateComplete;
      expect(visible(filters)).to.equal(false);
      expect(textOf(fold)).to.equal('Filters (2)');
      // The rows a phone shows: two lines each, the header only for assistive tech.
      const top = (selector: string) =>
        shadow(el).querySelector(selector)!.getBoundingClientRect().top;
      expect(top('.body')).to.equal(top('[part="grid"]'));
      expect(getComputedStyle(shadow(el).querySelector('[part="header"]')!).clipPath).to.equal(
        'inset(50%)',
      );
    });

    it('is as tall as its rows up to --mm-client-list-max-height, and fills a height it is given', async () => {
      const { user, crmId } = await seedMentor();
      const el = await fixture<MmClientList>(
        html`<mm-client-list
          api-base=${apiBase}
          crm=${crmId}
          style="width: 1100px"
          .token=${user.token}
        ></mm-client-list>`,
      );
      await settled(el);
      const body = shadow(el).querySelector<HTMLElement>('.body')!;
      const rowHeight = rows(el)[0]!.getBoundingClientRect().height;
      // Four rows: no empty space under them.
      expect(body.clientHeight).to.be.closeTo(4 * rowHeight, 1);
      expect(el.getBoundingClientRect().height).to.be.below(600);
      const grown = el.getBoundingClientRect().height;
      el.style.setProperty('--mm-client-list-max-height', '300px');
      await frames(2);
      expect(el.getBoundingClientRect().height).to.equal(300);
      expect(body.scrollHeight).to.be.closeTo(4 * rowHeight, 1);
      el.style.removeProperty('--mm-client-list-max-height');
      el.style.height = '700px';
      el.style.setProperty('--mm-client-list-max-height', 'none');
      await frames(2);
      expect(el.getBoundingClientRect().height).to.equal(700);
      expect(body.getBoundingClientRect().bottom).to.be.closeTo(
        el.getBoundingClientRect().bottom - 1,
        1,
      );
      expect(grown).to.be.below(700);
    });

    it('a mentor CRM has no teacher column or filter', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);
      expect(shadow(el).querySelector('select[name="teacher"]')).to.equal(null);
      const headers = [...shadow(el).querySelectorAll('[role="columnheader"]')].map((h) =>
        textOf(h),
      );
      expect(headers).not.to.include('Teachers');
    });

    it('sorts by a column header and toggles the order, with aria-sort', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);
      const header = (label: string) =>
        [...shadow(el).querySelectorAll<HTMLElement>('[role="columnheader"]')].find((h) =>
          textOf(h).startsWith(label),
        )!;
      header('Client').querySelector('button')!.click();
      await namesBecome(el, ['Deleted client', 'Lou Away', 'Maya Rivera', 'Sam Lee']);
      expect(header('Client').getAttribute('aria-sort')).to.equal('ascending');
      header('Client').querySelector('button')!.click();
      await namesBecome(el, ['Sam Lee', 'Maya Rivera', 'Lou Away', 'Deleted client']);
      expect(header('Client').getAttribute('aria-sort')).to.equal('descending');

      header('Lifetime spend').querySelector('button')!.click();
      await namesBecome(el, ['Maya Rivera', 'Sam Lee', 'Lou Away', 'Deleted client']);
      expect(header('Lifetime spend').getAttribute('aria-sort')).to.equal('descending');
      expect(header('Client').hasAttribute('aria-sort')).to.equal(false);
    });

    it('searches as the user types: each keystroke supersedes the last search, the typed text kept', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);
      const input = shadow(el).querySelector<HTMLInputElement>('input[type="search"]')!;
      // Fake: slows searches down by 300 ms so that each is still in flight at the next
      // keystroke (the real server answers too fast to catch one). The requests themselves go
      // to the real server.
      const realFetch = window.fetch;
      const searches: { q: string | null; signal: AbortSignal }[] = [];
      window.fetch = async (info: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(info, init);
        const url = new URL(request.url);
        if (url.pathname.endsWith(`/crms/${crmId}/clients`) && url.searchParams.has('q')) {
          searches.push({ q: url.searchParams.get('q'), signal: request.signal });
          await new Promise((r) => setTimeout(r, 300));
        }
        return realFetch(request);
      };
      const type = async (value: string, composing = false) => {
        input.value = value;
        input.dispatchEvent(
          new InputEvent('input', { bubbles: true, composed: true, isComposing: composing }),
        );
        await el.updateComplete;
      };
      try {
        input.focus();
        for (const value of ['R', 'RI', 'RIV']) {
          await type(value);
          await until(() => searches.at(-1)?.q === value, `the search for ${value}`);
        }
        await namesBecome(el, ['Maya Rivera']);
        expect(input.value).to.equal('RIV');
        expect(count(el)).to.equal('1 client matches');
        // one request per keystroke, each aborted by the next: only the last one's rows show
        expect(searches.map((r) => r.q)).to.deep.equal(['R', 'RI', 'RIV']);
        expect(searches.map((r) => r.signal.aborted)).to.deep.equal([true, true, false]);
        // An input method composing a word: searched once the composition ends.
        await type('Lo', true);
        expect(searches).to.have.length(3);
        input.dispatchEvent(new CompositionEvent('compositionend', { data: 'Lo' }));
        await namesBecome(el, ['Lou Away']);
        expect(searches.map((r) => r.q)).to.deep.equal(['R', 'RI', 'RIV', 'Lo']);
      } finally {
        window.fetch = realFetch;
      }
      input.value = '';
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      await namesBecome(el, ['Sam Lee', 'Maya Rivera', 'Deleted client', 'Lou Away']);

      // Nothing matches: the empty state says why and clears the filters.
      await sendKeys({ type: 'zzz' });
      await until(() => shadow(el).querySelector('[part="empty"]'), 'the empty state');
      const empty = shadow(el).querySelector('[part="empty"]')!;
      expect(textOf(empty)).to.contain('No clients match these filters');
      empty.querySelector('button')!.click();
      await namesBecome(el, ['Sam Lee', 'Maya Rivera', 'Deleted client', 'Lou Away']);
      expect(input.value).to.equal('');
    });

    it('one or two letters find the start of words and say so; a third searches inside words', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);
      const input = shadow(el).querySelector<HTMLInputElement>('input[type="search"]')!;
      const hint = () => shadow(el).querySelector('[part="search-hint"]');
      expect(hint()).to.equal(null);
      input.focus();
      // "le" starts "Lee" (and "sam.lee…@"); inside "Deleted client" it is no word's start
      await sendKeys({ type: 'le' });
      await namesBecome(el, ['Sam Lee']);
      expect(textOf(hint())).to.equal(
        'Matching the start of words: type 3 or more letters to search anywhere.',
      );
      // In a phone-wide list, shorter than its rows, the hint wraps, and it and "Clear
      // filters" keep their place above the rows (the rows give up the height)
      el.style.width = '360px';
      el.style.setProperty('--mm-client-list-height', '150px');
      await frames(2);
      const clear = shadow(el).querySelector<HTMLElement>('.summary button')!;
      const firstRow = shadow(el).querySelector('[part~="row"]')!;
      expect(hint()!.getBoundingClientRect().height).to.be.above(20);
      expect(clear.getBoundingClientRect().bottom).to.be.at.most(
        firstRow.getBoundingClientRect().top,
      );
      el.style.width = '1100px';
      el.style.setProperty('--mm-client-list-height', '520px');
      await sendKeys({ type: 't' });
      await namesBecome(el, ['Deleted client']);
      expect(hint()).to.equal(null);
      expect(input.value).to.equal('let');
    });

    it('a filter change aborts the request in flight and shows only the new result', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);
      // Fake: slows list responses down by 300 ms so that a request is still in flight when
      // the filter changes (the real server answers too fast to catch one). The requests
      // themselves go to the real server.
      const realFetch = window.fetch;
      const signals: { url: string; signal: AbortSignal }[] = [];
      window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        if (request.url.includes(`/crms/${crmId}/clients?`)) {
          signals.push({ url: request.url, signal: request.signal });
          await new Promise((r) => setTimeout(r, 300));
        }
        return realFetch(request);
      };
      try {
        checkbox(el, 'Lapsed').click();
        await until(() => signals.length === 1, 'the first request');
        checkbox(el, 'Regular').click();
        await namesBecome(el, ['Maya Rivera', 'Lou Away']);
        expect(signals).to.have.length(2);
        expect(signals[0]!.signal.aborted).to.equal(true);
        expect(signals[1]!.signal.aborted).to.equal(false);
      } finally {
        window.fetch = realFetch;
      }
    });
  });

  describe('selection and keyboard', () => {
    it('arrows, Home and End move the focused row; Enter selects it and fires mm-client-select', async () => {
      const { user, crmId, ids } = await seedMentor();
      const el = await mountList(user.token, crmId);
      rows(el)[0]!.focus();
      const active = () => (shadow(el).activeElement as HTMLElement | null)?.dataset.index;
      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(active()).to.equal('1');
      expect(rows(el).map((r) => r.tabIndex)).to.deep.equal([-1, 0, -1, -1]);
      await sendKeys({ press: 'End' });
      await el.updateComplete;
      expect(active()).to.equal('3');
      await sendKeys({ press: 'Home' });
      await el.updateComplete;
      expect(active()).to.equal('0');
      await sendKeys({ press: 'ArrowUp' });
      expect(active()).to.equal('0');
      await sendKeys({ press: 'End' });
      const selected = oneEvent(el, 'mm-client-select');
      await sendKeys({ press: 'Enter' });
      const event = await selected;
      expect(event.detail).to.deep.equal({ clientId: ids.lapsed });
      expect(el.selectedClientId).to.equal(ids.lapsed);
      expect(event.bubbles && event.composed).to.equal(true);
    });

    it('refresh() reloads from the first page and keeps keyboard focus in the grid', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);
      rows(el)[0]!.focus();
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'ArrowDown' });
      // A new client books meanwhile: the reload shows them first.
      await platform.client(crmId, user.id, {
        email: email('New'),
        name: 'Nia New',
        lastDaysAgo: 1,
      });
      el.refresh();
      await namesBecome(el, ['Nia New', 'Sam Lee', 'Maya Rivera', 'Deleted client', 'Lou Away']);
      await until(
        () => (shadow(el).activeElement as HTMLElement | null)?.dataset.index === '0',
        'focus on the first row',
      );
      expect(document.activeElement).to.equal(el);
    });

    it('a click selects the row', async () => {
      const { user, crmId, ids } = await seedMentor();
      const el = await mountList(user.token, crmId);
      const selected = oneEvent(el, 'mm-client-select');
      rowNamed(el, 'Sam Lee')!
        .querySelector('.name')!
        .dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      expect((await selected).detail.clientId).to.equal(ids.sam);
      expect(el.selectedClientId).to.equal(ids.sam);
    });

    it('reflects the selection in selected-client-id, and a page can set it (a reload keeps it)', async () => {
      const { user, crmId, ids } = await seedMentor();
      class Follower extends CrmClientElement {}
      const tag = `test-follower-${unique('s').replace(/[^a-z0-9-]/g, '')}`;
      customElements.define(tag, Follower);
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      wrapper.innerHTML = `<mm-client-list id="picked" api-base="${apiBase}" crm="${crmId}" selected-client-id="${ids.sam}"></mm-client-list><${tag} for="picked"></${tag}>`;
      const el = wrapper.querySelector('mm-client-list')!;
      el.token = user.token;
      await settled(el);
      expect(el.selectedClientId).to.equal(ids.sam);
      expect(rowNamed(el, 'Sam Lee')!.getAttribute('aria-selected')).to.equal('true');
      expect((wrapper.querySelector(tag) as Follower).clientId).to.equal(ids.sam);
      rowNamed(el, 'Maya Rivera')!.click();
      await el.updateComplete;
      expect(el.getAttribute('selected-client-id')).to.equal(ids.maya);
      expect(rowNamed(el, 'Sam Lee')!.getAttribute('aria-selected')).to.equal('false');
    });

    it('an element with for="<list id>" follows the selection and uses the list configuration', async () => {
      const { user, crmId, ids } = await seedMentor();
      class ListFollower extends CrmClientElement {}
      const tag = `test-follower-${unique('f').replace(/[^a-z0-9-]/g, '')}`;
      customElements.define(tag, ListFollower);
      const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
      wrapper.innerHTML = `<mm-client-list id="the-list" api-base="${apiBase}" crm="${crmId}"></mm-client-list><${tag} for="the-list"></${tag}>`;
      const el = wrapper.querySelector('mm-client-list')!;
      el.token = user.token;
      await settled(el);
      const follower = wrapper.querySelector(tag) as ListFollower;
      rowNamed(el, 'Maya Rivera')!.click();
      expect(follower.clientId).to.equal(ids.maya);
      expect(follower.crmConfig?.client).to.equal(el.crmConfig?.client);
      expect(follower.crmConfig?.crm).to.equal(crmId);
    });
    it('shows tags a card changed (mm-tags-changed) in the row and the tag filter', async () => {
      const { user, crmId, ids } = await seedMentor();
      const el = await mountList(user.token, crmId);
      const card = document.createElement('span');
      el.after(card);
      // What <mm-client-card> does: save the tags, then announce them.
      await setTags(user.token, crmId, ids.sam, ['Mornings', 'Prenatal']);
      card.dispatchEvent(
        new CustomEvent('mm-tags-changed', {
          detail: { clientId: ids.sam, tags: ['Mornings', 'Prenatal'] },
          bubbles: true,
          composed: true,
        }),
      );
      const tagsOf = (name: string) =>
        [...(rowNamed(el, name)?.querySelectorAll('[part="tag"]') ?? [])].map((t) => textOf(t));
      await until(
        () => tagsOf('Sam Lee').join() === 'Mornings,Prenatal',
        'the new tags in the row',
      );
      const select = shadow(el).querySelector<HTMLSelectElement>('select[name="tag"]')!;
      await until(
        () => [...select.options].some((o) => o.value === 'Prenatal'),
        'the new tag option',
      );
    });
  });

  describe('export', () => {
    it('downloads the filtered list as CSV', async () => {
      const { user, crmId } = await seedMentor();
      const el = await mountList(user.token, crmId);
      checkbox(el, 'Regular').click();
      await namesBecome(el, ['Maya Rivera']);

      // The element clicks a real <a download> with an object URL; the test catches the
      // click, stops the browser's download and reads the file through the same URL.
      const clicked = new Promise<HTMLAnchorElement>((resolve) => {
        el.addEventListener('click', function onClick(e) {
          const target = e.composedPath()[0];
          if (target instanceof HTMLAnchorElement) {
            e.preventDefault();
            el.removeEventListener('click', onClick);
            resolve(target);
          }
        });
      });
      shadow(el).querySelector<HTMLButtonElement>('[part="export"]')!.click();
      const anchor = await clicked;
      expect(anchor.download).to.match(/^clients-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(anchor.href).to.match(/^blob:/);
      const csv = await (await fetch(anchor.href)).text();
      const lines = csv.trim().split(/\r?\n/);
      expect(lines[0]).to.equal(CSV_COLUMNS.join(','));
      expect(lines).to.have.length(2);
      expect(lines[1]).to.match(
        /^Maya Rivera,maya\.rivera\..+@example\.test,,6,150\.00,\d{4}-\d{2}-\d{2},\d{4}-\d{2}-\d{2},regular,Beginner; Mornings$/,
      );
      expect(anchor.isConnected).to.equal(false);
    });

    it('explains an export the token may not make', async () => {
      const { user, crmId } = await seedMentor();
      const token = await platform.token(user.id, ['crm:read']);
      const el = await mountList(token, crmId);
      const failed = oneEvent(el, 'mm-error');
      shadow(el).querySelector<HTMLButtonElement>('[part="export"]')!.click();
      expect((await failed).detail.code).to.equal('insufficient_scope');
      await el.updateComplete;
      expect(textOf(shadow(el))).to.contain(
        'Export failed: You do not have permission to do this.',
      );
    });
  });

  describe('states', () => {
    it('shows a skeleton while the first page loads', async () => {
      const { user, crmId } = await seedMentor();
      const el = await fixture<MmClientList>(
        html`<mm-client-list
          api-base=${apiBase}
          crm=${crmId}
          .token=${user.token}
        ></mm-client-list>`,
      );
      expect(shadow(el).querySelectorAll('.skeleton-row').length).to.be.greaterThan(0);
      expect(shadow(el).querySelector('.main')!.getAttribute('aria-busy')).to.equal('true');
      expect(count(el)).to.equal('Loading clients…');
      await settled(el);
      expect(shadow(el).querySelector('.skeleton-row')).to.equal(null);
      // The rows come first; busy until the CRM's tags are in too.
      await until(
        () => shadow(el).querySelector('.main')!.getAttribute('aria-busy') === 'false',
        'not busy',
      );
    });

    it('says there are no clients yet in an empty CRM', async () => {
      const { user, crmId } = await platform.mentor();
      const el = await mountList(user.token, crmId);
      expect(textOf(shadow(el).querySelector('[part="empty"]'))).to.equal(
        'No clients yet — clients appear here when someone books a class.',
      );
      await expect(el).to.be.accessible();
    });

    it('makes no request without a token, and offers to sign in', async () => {
      const { crmId } = await platform.mentor();
      performance.clearResourceTimings();
      const before = performance.getEntriesByType('resource').length;
      const el = await fixture<MmClientList>(
        html`<mm-client-list api-base=${apiBase} crm=${crmId}></mm-client-list>`,
      );
      await aTimeout(50);
      expect(textOf(shadow(el))).to.contain('Sign in with MoveMentors');
      expect(
        performance
          .getEntriesByType('resource')
          .slice(before)
          .filter((e) => e.name.includes(crmId)),
      ).to.have.length(0);
    });

    it('shows an error with Retry when the network fails, and recovers', async () => {
      const { user, crmId } = await seedMentor();
      // Fake: a dropped connection cannot be made for real against the in-process server,
      // so window.fetch rejects list requests while `offline` is true.
      const realFetch = window.fetch;
      let offline = true;
      window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
        const url = input instanceof Request ? input.url : String(input);
        if (offline && url.includes(`/crms/${crmId}/clients`))
          return Promise.reject(new TypeError('Failed to fetch'));
        return realFetch(input, init);
      };
      try {
        const el = await fixture<MmClientList>(
          html`<mm-client-list api-base=${apiBase} crm=${crmId}></mm-client-list>`,
        );
        const failed = oneEvent(el, 'mm-error');
        el.token = user.token;
        expect((await failed).detail.code).to.equal('network_error');
        await settled(el);
        const error = shadow(el).querySelector('[part="error"]')!;
        expect(textOf(error)).to.contain('Could not reach the CRM. Check your connection.');
        offline = false;
        error.querySelector('button')!.click();
        await namesBecome(el, ['Sam Lee', 'Maya Rivera', 'Deleted client', 'Lou Away']);
        expect(shadow(el).querySelector('[part="error"]')).to.equal(null);
      } finally {
        window.fetch = realFetch;
      }
    });

    it("says when the API answers but refuses this page's origin (CORS), naming both", async () => {
      const { user, crmId } = await seedMentor();
      // The same real server under another origin (localhost and 127.0.0.1 are two origins),
      // which its CORS allow-list does not name.
      const page = new URL(apiBase);
      const other = new URL(apiBase);
      other.hostname = page.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
      const el = await fixture<MmClientList>(
        html`<mm-client-list api-base=${other.origin} crm=${crmId}></mm-client-list>`,
      );
      const failed = oneEvent(el, 'mm-error');
      el.token = user.token;
      expect((await failed).detail.code).to.equal('origin_refused');
      await settled(el);
      const text = textOf(shadow(el).querySelector('[part="error"]'));
      expect(text).to.contain(`The CRM at ${other.origin} answered`);
      expect(text).to.contain(`(${page.origin})`);
      expect(text).to.contain('CRM_ALLOWED_ORIGINS');
    });

    it('keeps the connection message when nothing answers at all', async () => {
      const { user, crmId } = await seedMentor();
      // A real refused connection: nothing listens on port 9 of this machine.
      const el = await fixture<MmClientList>(
        html`<mm-client-list api-base="http://127.0.0.1:9" crm=${crmId}></mm-client-list>`,
      );
      const failed = oneEvent(el, 'mm-error');
      el.token = user.token;
      expect((await failed).detail.code).to.equal('network_error');
      await settled(el);
      expect(textOf(shadow(el).querySelector('[part="error"]'))).to.contain(
        'Could not reach the CRM. Check your connection.',
      );
    });

    it('a CRM the user cannot open is not found', async () => {
      const { user } = await platform.mentor();
      const other = await platform.mentor('Other Mentor');
      const el = await fixture<MmClientList>(
        html`<mm-client-list api-base=${apiBase} crm=${other.crmId}></mm-client-list>`,
      );
      const failed = oneEvent(el, 'mm-error');
      el.token = user.token;
      expect((await failed).detail).to.include({ code: 'not_found', status: 404 });
      await settled(el);
      expect(textOf(shadow(el).querySelector('[part="error"]'))).to.contain('Not found');
    });

    it('a refused token says the session expired and asks the page for authentication', async () => {
      const { crmId } = await platform.mentor();
      const el = await fixture<MmClientList>(
        html`<mm-client-list api-base=${apiBase} crm=${crmId}></mm-client-list>`,
      );
      const auth = oneEvent(el, 'mm-auth-required');
      el.token = 'not-a-real-token';
      expect((await auth).detail.apiBase).to.equal(apiBase);
      await settled(el);
      expect(textOf(shadow(el).querySelector('[part="error"]'))).to.contain(
        'Your session has expired. Sign in again to continue.',
      );
    });
  });

  it('is accessible with rows, filters and a selection', async () => {
    const { user, crmId } = await seedMentor();
    const el = await mountList(user.token, crmId);
    rowNamed(el, 'Maya Rivera')!.click();
    await el.updateComplete;
    await frames();
    await expect(el).to.be.accessible();
  });

  it('is accessible in dark mode', async () => {
    const { user, crmId } = await seedMentor();
    const el = await mountList(user.token, crmId);
    el.style.colorScheme = 'dark';
    await frames();
    await expect(el).to.be.accessible();
  });
});
