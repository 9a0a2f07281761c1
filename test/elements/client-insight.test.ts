/**
 * The attendance section of <mm-client-card> (SPEC section 8): the rhythm in words and the
 * strip of the last 12 months, against the real reference server (fixed clock 2026-06-15).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/mm-client-card.js';
import type { MmClientCard } from '../../src/elements/client-card/client-card.js';
import { gapText } from '../../src/elements/client-card/client-insight.js';
import {
  apiBase,
  daysAgo,
  failRequests,
  now,
  platform,
  realFetch,
  textOf,
  unique,
  until,
  type BookingSpec,
} from '../helpers/browser.js';

afterEach(() => {
  window.fetch = realFetch;
});

/** A mentor CRM (in `timeZone`) and one client with sessions `days` days before the clock. */
async function clientWith(
  /** Days before the clock, or an ISO time; with the booking's status and so on. */
  sessions: (
    number | string | [days: number | string, spec: Omit<BookingSpec, 'email' | 'startsAt'>]
  )[],
  timeZone?: string,
) {
  const user = await platform.user('Maya Mentor');
  const crmId = await platform.crm('mentor', user.id, 'Maya’s clients', 'USD', timeZone);
  const email = `${unique('client')}@example.test`;
  let clientId = '';
  for (const s of sessions) {
    const [days, spec] = Array.isArray(s) ? s : [s, {}];
    const startsAt = typeof days === 'number' ? daysAgo(days) : days;
    clientId = (await platform.booking(crmId, user.id, { ...spec, email, startsAt })).clientId;
  }
  return { token: user.token, crmId, clientId };
}

async function card({
  token,
  crmId,
  clientId,
}: {
  token: string;
  crmId: string;
  clientId: string;
}) {
  const el = await fixture<MmClientCard>(
    html`<mm-client-card
      api-base=${apiBase}
      crm=${crmId}
      client-id=${clientId}
      locale="en-US"
      .token=${token}
      .now=${now}
    ></mm-client-card>`,
  );
  await until(() => $(el, '[part~="rhythm"]'), 'the attendance section');
  return el;
}

const $ = (el: MmClientCard, selector: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(selector);
const rhythm = (el: MmClientCard) => textOf($(el, '[part~="rhythm"]'));
const strip = (el: MmClientCard) =>
  until(() => $(el, '[part~="strip-summary"]') && el, 'the attendance strip');
/** One month's column: the height share of each kind of bar, and its marks. */
function month(el: MmClientCard, key: string) {
  const column = $(el, `[data-month="${key}"]`);
  expect(column, `column ${key}`).to.not.equal(null);
  const share = (cls: string) => {
    const bar = column!.querySelector<HTMLElement>(`.${cls}`);
    return bar ? Math.round(bar.getBoundingClientRect().height) : 0;
  };
  return {
    label: textOf(column!.querySelector('.label')),
    attended: share('attended'),
    noShow: share('no-show'),
    cancelled: share('cancelled'),
    marks: textOf(column!.querySelector('.bars')),
  };
}

describe('<mm-client-card> rhythm', () => {
  it('says the usual gap and the days since in words, and Slipping when overdue', async () => {
    // gaps of 7 days; 19 days since the last: more than max(2 × 7, 14), nothing booked
    const el = await card(await clientWith([40, 33, 26, 19]));
    expect(rhythm(el)).to.equal('Usually every week · last attended 19 days ago');
    expect(textOf($(el, '[part~="insight"] .pill'))).to.equal('↘Slipping');
  });

  it('a half-day median and a client on time: no Slipping', async () => {
    // gaps 3, 10, 4, 7 -> median 5.5, said in whole days; 6 days since the last
    const el = await card(await clientWith([30, 27, 17, 13, 6]));
    expect(rhythm(el)).to.equal('Usually every 6 days · last attended 6 days ago');
    expect($(el, '[part~="rhythm"]')!.title).to.equal('Median gap between classes: 5.5 days');
    expect($(el, '[part~="insight"] .pill')).to.equal(null);
  });

  it('an even number of gaps with a median of 14.5 days: every 2 weeks', async () => {
    // gaps 14, 15, 10, 20 -> median 14.5
    const el = await card(await clientWith([70, 56, 41, 31, 11]));
    expect(rhythm(el)).to.equal('Usually every 2 weeks · last attended 11 days ago');
    expect($(el, '[part~="rhythm"]')!.title).to.equal('Median gap between classes: 14.5 days');
  });

  it('a median of 15.5 days, too far from 2 weeks: every 16 days', async () => {
    // gaps 15, 16, 10, 20 -> median 15.5
    const el = await card(await clientWith([70, 55, 39, 29, 9]));
    expect(rhythm(el)).to.equal('Usually every 16 days · last attended 9 days ago');
  });

  it('the gap in words: whole days, weeks when within a day of 1 to 4 weeks', () => {
    const said = (gap: number) => gapText(gap, 'en-US');
    expect(
      [1, 2, 4.5, 5.5, 6, 7, 8, 8.5, 12.5, 13, 14.5, 15.5, 21, 27.5, 28, 29, 30, 120].map(said),
    ).to.deep.equal([
      'day',
      '2 days',
      '5 days',
      '6 days',
      'week',
      'week',
      'week',
      '9 days',
      '13 days',
      '2 weeks',
      '2 weeks',
      '16 days',
      '3 weeks',
      '4 weeks',
      '4 weeks',
      '4 weeks',
      '30 days',
      '120 days',
    ]);
  });

  it('an overdue client with a class booked is not slipping', async () => {
    const el = await card(await clientWith([40, 33, 26, 19, [-3, { status: 'booked' }]]));
    expect(rhythm(el)).to.equal('Usually every week · last attended 19 days ago');
    expect($(el, '[part~="insight"] .pill')).to.equal(null);
  });

  it('with fewer than 4 attended sessions, says there is no rhythm yet', async () => {
    // no-shows and cancellations do not count as attended
    const el = await card(
      await clientWith([
        30,
        [20, { status: 'no_show' }],
        [15, { status: 'cancelled' }],
        [12, { status: 'no_show' }],
        1,
      ]),
    );
    expect(rhythm(el)).to.equal(
      'Last attended yesterday · too few classes in the last year for a usual rhythm',
    );
  });

  it('a client who never attended', async () => {
    const el = await card(
      await clientWith([
        [5, { status: 'no_show' }],
        [-2, { status: 'booked' }],
      ]),
    );
    expect(rhythm(el)).to.equal('Has not attended a class yet.');
    await strip(el);
    expect(textOf($(el, '[part~="strip-summary"]'))).to.equal(
      'No classes attended in the last 12 months; 1 no-show.',
    );
  });
});

describe('<mm-client-card> attendance strip', () => {
  it('draws one column per month, the last 12 in the CRM’s months, and says it in a sentence', async () => {
    // The clock is 2026-06-15: Jun 13 and Jun 10, May 26 and May 19 attended, none in April,
    // a no-show on May 6, a cancellation on March 7, one class in October 2025.
    const el = await card(
      await clientWith([
        245,
        [100, { status: 'cancelled' }],
        [40, { status: 'no_show' }],
        27,
        20,
        5,
        2,
      ]),
    );
    await strip(el);
    const columns = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="strip"] > li')];
    expect(columns.map((c) => c.dataset.month)).to.deep.equal([
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ]);
    expect(textOf($(el, '[part~="strip-summary"]'))).to.equal(
      '4 classes in the last 3 months, none in April; 5 in the last 12 months; 1 no-show and 1 cancellation.',
    );
    const june = month(el, '2026-06');
    const may = month(el, '2026-05');
    const october = month(el, '2025-10');
    expect(june.label).to.equal('Jun');
    // May's 2 attended and 1 no-show are the tallest column: 3 parts of its height
    expect(may.attended).to.be.greaterThan(0);
    expect(june.attended).to.equal(may.attended);
    expect(Math.abs(may.attended - 2 * october.attended)).to.be.at.most(1);
    expect(Math.abs(may.attended - 2 * may.noShow)).to.be.at.most(2);
    // a no-show is marked ×, not only coloured; a cancellation is its own (outlined) bar
    expect(may.marks).to.equal('×');
    expect(month(el, '2026-03')).to.include({ attended: 0, noShow: 0, marks: '' });
    expect(month(el, '2026-03').cancelled).to.be.greaterThan(0);
    expect(month(el, '2026-04')).to.include({ attended: 0, noShow: 0, cancelled: 0 });
    // the picture is hidden from screen readers, the sentence is not; a legend names the bars
    expect($(el, '.strip-figure')!.getAttribute('aria-hidden')).to.equal('true');
    expect(textOf($(el, '.legend'))).to.equal('Attended No-show Cancelled');
    await expect(el).to.be.accessible();
  });

  it('counts a session in the month of the CRM’s time zone', async () => {
    // 2026-05-31 13:00 UTC is June 1, 01:00 in Auckland
    const el = await card(
      await clientWith(
        // June and May there, May and April in UTC
        ['2026-05-31T13:00:00.000Z', '2026-04-30T13:00:00.000Z'],
        'Pacific/Auckland',
      ),
    );
    await strip(el);
    expect(month(el, '2026-06').attended).to.be.greaterThan(0);
    expect(month(el, '2026-05').attended).to.equal(month(el, '2026-06').attended);
    expect(month(el, '2026-04').attended).to.equal(0);
    expect(textOf($(el, '[part~="strip-summary"]'))).to.equal(
      '2 classes in the last 3 months, none in April.',
    );
  });

  it('a failed attendance request shows an error in its section, the card stays, Retry loads it', async () => {
    let fail = true;
    // a failing server
    failRequests('/attendance', () => fail, 'Database down.');
    const el = await card(await clientWith([20, 10]));
    const error = await until(() => $(el, '[part~="insight"] [part~="error"]'), 'the error');
    expect(textOf(error)).to.contain('Could not load the attendance: Database down.');
    expect(textOf($(el, '[part~="name"]'))).to.not.equal('');
    expect(rhythm(el)).to.contain('Last attended 10 days ago');
    await expect(el).to.be.accessible();
    fail = false;
    error.querySelector('button')!.click();
    await strip(el);
    expect(textOf($(el, '[part~="strip-summary"]'))).to.equal(
      '2 classes in the last 3 months, none in April.',
    );
  });
});
