/** Client alerts in `<mm-client-card>` (under the header: add, remove) and `<mm-client-list>` (a marker). */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/mm-client-card.js';
import type { MmClientCard } from '../../src/elements/client-card/client-card.js';
import { apiBase, now, platform, textOf, unique, until } from '../helpers/browser.js';
import { mountList, rowNamed } from './client-list-helpers.js';

const email = () => `${unique('a')}@example.test`;

async function clientWithAlerts(texts: string[]) {
  const { user, crmId } = await platform.mentor();
  const clientId = await platform.client(crmId, user.id, { email: email(), name: 'Ada Alert' });
  for (const text of texts) {
    await fetch(`${apiBase}/v1/crms/${crmId}/clients/${clientId}/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
  }
  return { user, crmId, clientId };
}

async function card(token: string, crmId: string, clientId: string) {
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
  await until(() => el.shadowRoot?.querySelector('[part~="alerts"]'), 'the card and its alerts');
  return el;
}

const alertTexts = (el: Element) =>
  [...el.shadowRoot!.querySelectorAll('[part~="alert"] .text')].map((a) => textOf(a));

async function openForm(el: MmClientCard) {
  const details = el.shadowRoot!.querySelector<HTMLDetailsElement>('details.alert-add')!;
  details.open = true;
  return until(
    () => el.shadowRoot!.querySelector<HTMLInputElement>('input[name="alert-text"]'),
    'the alert form',
  );
}

describe('client alerts', () => {
  it('the card shows live alerts under its header, adds one with an end date and removes one', async () => {
    const { user, crmId, clientId } = await clientWithAlerts(['Asthma: inhaler in the bag']);
    const el = await card(user.token, crmId, clientId);
    const header = el.shadowRoot!.querySelector('[part~="header"]')!;
    const alerts = el.shadowRoot!.querySelector('[part~="alerts"]')!;
    expect(header.nextElementSibling).to.equal(alerts);
    expect(alertTexts(el)).to.deep.equal(['Alert: Asthma: inhaler in the bag']);

    const text = await openForm(el);
    text.value = 'Pregnant, 2nd trimester';
    text.dispatchEvent(new Event('input'));
    const until_ = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="alert-until"]')!;
    until_.value = '2026-09-30';
    until_.dispatchEvent(new Event('input'));
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('.alert-add button[type="submit"]')!.click();
    await until(() => alertTexts(el).length === 2, 'the new alert');
    expect(alertTexts(el)[1]).to.equal('Alert: Pregnant, 2nd trimester until Sep 30, 2026');
    expect(text.value).to.equal('');
    await expect(el).to.be.accessible();

    // On the server too.
    const res = await fetch(`${apiBase}/v1/crms/${crmId}/clients/${clientId}/alerts`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    const body = (await res.json()) as { items: { text: string; until: string | null }[] };
    expect(body.items.map((a) => [a.text, a.until])).to.deep.equal([
      ['Asthma: inhaler in the bag', null],
      ['Pregnant, 2nd trimester', '2026-09-30'],
    ]);

    el.shadowRoot!.querySelector<HTMLButtonElement>(
      'button[aria-label="Remove alert: Asthma: inhaler in the bag"]',
    )!.click();
    await until(() => alertTexts(el).length === 1, 'the alert removed');
    expect(alertTexts(el)[0]).to.contain('Pregnant');
  });

  it('explains the length limit while typing, keeps the text when the server refuses, and stops at 5', async () => {
    const { user, crmId, clientId } = await clientWithAlerts(['One', 'Two', 'Three']);
    const el = await card(user.token, crmId, clientId);
    const text = await openForm(el);
    text.value = 'x'.repeat(141);
    text.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(textOf(el.shadowRoot!.querySelector('#alert-message'))).to.equal(
      'An alert is at most 140 characters (141 now).',
    );
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('.alert-add button')!.disabled).to.equal(
      true,
    );

    // A date already past in the CRM's zone: refused, the text kept, the reason shown.
    text.value = 'Knee surgery';
    text.dispatchEvent(new Event('input'));
    const date = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="alert-until"]')!;
    date.value = '2026-06-01';
    date.dispatchEvent(new Event('input'));
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('.alert-add button')!.click();
    const message = await until(
      () => textOf(el.shadowRoot!.querySelector('#alert-message')),
      'the refusal',
    );
    expect(message).to.match(/^Alert not saved\. Must be today \(2026-06-15/);
    expect(text.value).to.equal('Knee surgery');

    date.value = '';
    date.dispatchEvent(new Event('input'));
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('.alert-add button')!.click();
    await until(() => alertTexts(el).length === 4, 'the fourth alert');
    const again = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="alert-text"]')!;
    again.value = 'Five';
    again.dispatchEvent(new Event('input'));
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('.alert-add button')!.click();
    await until(() => alertTexts(el).length === 5, 'the fifth alert');
    expect(el.shadowRoot!.querySelector('details.alert-add')).to.equal(null);
    expect(textOf(el.shadowRoot!.querySelector('[part~="alerts"]'))).to.contain(
      '5 alerts, the most a client can have',
    );
    await expect(el).to.be.accessible();
  });

  it('the list marks a client with alerts; the marker’s description is their text', async () => {
    const { user, crmId } = await clientWithAlerts(['Low-back issue', 'No hands-on adjustments']);
    await platform.client(crmId, user.id, { email: email(), name: 'Bo Plain' });
    const list = await mountList(user.token, crmId);
    const marker = rowNamed(list, 'Ada Alert')!.querySelector<HTMLElement>(
      '[part~="alert-marker"]',
    )!;
    expect(marker.getAttribute('role')).to.equal('img');
    expect(marker.getAttribute('aria-label')).to.equal('Alerts');
    expect(marker.title).to.equal('Low-back issue\nNo hands-on adjustments');
    expect(rowNamed(list, 'Bo Plain')!.querySelector('[part~="alert-marker"]')).to.equal(null);
    await expect(list).to.be.accessible();
  });
});
