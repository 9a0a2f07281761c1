import { expect } from '@open-wc/testing';
import { formatMoney, formatRelative, initials, safeImageUrl } from '../../src/shared/format.js';

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
