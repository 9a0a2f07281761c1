import type { MmEventDetail, MmEventName } from '../events.js';

/** Dispatches a typed `mm-*` event that bubbles and crosses shadow roots. */
export function emit<K extends MmEventName>(
  host: EventTarget,
  name: K,
  detail: MmEventDetail<K>,
  options: { cancelable?: boolean } = {},
): boolean {
  return host.dispatchEvent(
    new CustomEvent(name, {
      detail,
      bubbles: true,
      composed: true,
      cancelable: !!options.cancelable,
    }),
  );
}
