/**
 * What the client-list tests share: mounting the list against the real server and reading
 * its rows the way a user sees them.
 */
import { fixture, html } from '@open-wc/testing';
import '../../src/mm-client-list.js';
import type { MmClientList } from '../../src/mm-client-list.js';
import { apiBase, textOf, until } from '../helpers/browser.js';

export async function mountList(
  token: string,
  crmId: string,
  options: { sort?: string; height?: string } = {},
): Promise<MmClientList> {
  const el = await fixture<MmClientList>(
    html`<mm-client-list
      id="clients"
      api-base=${apiBase}
      crm=${crmId}
      locale="en-US"
      sort=${options.sort ?? 'recent'}
      style="--mm-client-list-height: ${options.height ?? '520px'}; width: 1100px"
      .token=${token}
    ></mm-client-list>`,
  );
  await settled(el);
  return el;
}

export const shadow = (el: MmClientList) => el.shadowRoot!;

/** Client rows in the DOM (the rendered window), in index order. */
export const rows = (el: MmClientList) =>
  [...shadow(el).querySelectorAll<HTMLElement>('[role="row"][data-index]')].sort(
    (a, b) => Number(a.dataset.index) - Number(b.dataset.index),
  );

export const names = (el: MmClientList) => rows(el).map((r) => textOf(r.querySelector('.name')));

export const rowNamed = (el: MmClientList, name: string) =>
  rows(el).find((r) => textOf(r.querySelector('.name')) === name);

/** The filter checkbox labelled `label` (Regular, Active, Lapsed, Growing, Slipping). */
export const checkbox = (el: MmClientList, label: string) =>
  [...shadow(el).querySelectorAll('label.check')]
    .find((l) => textOf(l).replace(/^[↗↘] /, '') === label)!
    .querySelector('input')!;

export const count = (el: MmClientList) => textOf(shadow(el).querySelector('[part="count"]'));

/** The list finished loading its first page (or failed). */
export async function settled(el: MmClientList) {
  await until(
    () =>
      /^\d[\d,]*\+? clients?\b/.test(count(el)) ||
      shadow(el).querySelector('[part="error"], [part="empty"]'),
    'the list to load',
  );
  await el.updateComplete;
  // The rows window renders after measuring the scroller.
  if (shadow(el).querySelector('[role="grid"]')) await until(() => rows(el).length > 0, 'rows');
  await frames();
}

/** Waits until the visible names are exactly `expected` (in order). */
export async function namesBecome(el: MmClientList, expected: string[]) {
  await until(
    () => JSON.stringify(names(el)) === JSON.stringify(expected) && !/Loading/.test(count(el)),
    `names to be ${expected.join(', ')} (are ${names(el).join(', ')})`,
  );
}

export const frames = (n = 2) =>
  new Array(n)
    .fill(0)
    .reduce<Promise<void>>(
      (p) => p.then(() => new Promise<void>((r) => requestAnimationFrame(() => r()))),
      Promise.resolve(),
    );
