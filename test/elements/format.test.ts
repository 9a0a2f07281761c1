import { expect } from '@open-wc/testing';
import {
  differsFromViewer,
  formatClassTime,
  formatDuration,
  formatMoney,
  formatRelative,
  formatTime,
  initials,
  safeImageUrl,
  viewerTimeZone,
} from '../../src/shared/format.js';

describe('formatting', () => {
  it('formats money in the CRM currency from minor units', () => {
    expect(formatMoney({ amountMinor: 12500, currency: 'USD' }, 'en-US')).to.equal('$125.00');
    expect(formatMoney({ amountMinor: 1250, currency: 'JPY' }, 'en-US')).to.equal('¥1,250');
    expect(formatMoney({ amountMinor: 9900, currency: 'EUR' }, 'de-DE')).to.match(/99,00\s€/);
  });

  it('formats relative times against a given now', () => {
    const now = Date.parse('2026-06-15T12:00:00Z');
    expect(formatRelative('2026-06-01T12:00:00Z', now, 'en')).to.equal('2 weeks ago');
    expect(formatRelative('2026-06-15T08:00:00Z', now, 'en')).to.equal('today');
  });

  it('counts calendar days, not elapsed hours: Nov 30 late is 2 days ago on Dec 2 morning', () => {
    const utc = { timeZone: 'UTC' };
    const now = Date.parse('2026-12-02T09:00:00Z');
    // 33.5 hours earlier, but two calendar days
    expect(formatRelative('2026-11-30T23:30:00Z', now, 'en', utc)).to.equal('2 days ago');
    // 9 hours earlier, but yesterday
    expect(formatRelative('2026-12-01T23:59:00Z', now, 'en', utc)).to.equal('yesterday');
    expect(formatRelative('2026-12-02T00:01:00Z', now, 'en', utc)).to.equal('today');
    expect(formatRelative('2026-12-03T23:00:00Z', now, 'en', utc)).to.equal('tomorrow');
    expect(formatRelative('2026-12-04T00:30:00Z', now, 'en', utc)).to.equal('in 2 days');
  });

  it("counts the days in the given zone (the viewer's by default)", () => {
    const now = Date.parse('2026-12-02T08:00:00Z');
    const late = '2026-12-01T23:30:00Z';
    expect(formatRelative(late, now, 'en', { timeZone: 'America/New_York' })).to.equal('yesterday');
    expect(formatRelative(late, now, 'en', { timeZone: 'Asia/Tokyo' })).to.equal('today');
    expect(formatRelative(late, now, 'en')).to.equal(
      formatRelative(late, now, 'en', { timeZone: viewerTimeZone() }),
    );
  });

  it('says weeks, then whole calendar months, then years; short for narrow columns', () => {
    const utc = { timeZone: 'UTC' };
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(formatRelative('2026-11-18T12:00:00Z', now, 'en', utc)).to.equal('2 weeks ago');
    // Nov 3 to Dec 2: 29 days, still weeks
    expect(formatRelative('2026-11-03T12:00:00Z', now, 'en', utc)).to.equal('4 weeks ago');
    expect(formatRelative('2026-11-01T12:00:00Z', now, 'en', utc)).to.equal('last month');
    expect(formatRelative('2026-10-02T12:00:00Z', now, 'en', utc)).to.equal('2 months ago');
    expect(formatRelative('2026-09-20T12:00:00Z', now, 'en', utc)).to.equal('2 months ago');
    expect(formatRelative('2026-09-20T12:00:00Z', now, 'en', { ...utc, short: true })).to.equal(
      '2 mo. ago',
    );
    expect(formatRelative('2024-11-20T12:00:00Z', now, 'en', utc)).to.equal('2 years ago');
    expect(formatDuration('2026-09-20T12:00:00Z', now, 'en')).to.equal('2 months');
  });

  it("shows class times in the CRM's zone, naming it when asked", () => {
    const at = new Date('2026-12-18T08:00:00Z');
    expect(formatTime(at, 'en-US', 'Europe/Madrid')).to.equal('9:00 AM');
    expect(formatTime(at, 'en-US', 'Europe/Madrid', true)).to.match(/^9:00\sAM GMT\+1$/);
    expect(formatClassTime(at.toISOString(), 'en-GB', 'Europe/Madrid')).to.equal(
      'Fri 18 Dec, 9:00',
    );
    expect(differsFromViewer(viewerTimeZone())).to.equal(false);
    expect(differsFromViewer(undefined)).to.equal(false);
    const elsewhere = viewerTimeZone() === 'Pacific/Kiritimati' ? 'UTC' : 'Pacific/Kiritimati';
    expect(differsFromViewer(elsewhere)).to.equal(true);
  });

  it('takes initials from the first and last names', () => {
    expect(initials('Maya  Rivera Lopez')).to.equal('ML');
    expect(initials('  ')).to.equal('?');
  });

  it('refuses javascript: and data: image URLs', () => {
    expect(safeImageUrl('javascript:alert(1)')).to.equal(undefined);
    expect(safeImageUrl('data:image/svg+xml,<svg onload=alert(1)>')).to.equal(undefined);
    expect(safeImageUrl('https://cdn.example.com/a.jpg')).to.equal('https://cdn.example.com/a.jpg');
  });
});
