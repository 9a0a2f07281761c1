import { MmClientList } from './elements/client-list/client-list.js';

export { MmClientList };
export type { ClientListFilters } from './elements/client-list/client-list.js';

if (!customElements.get('mm-client-list')) customElements.define('mm-client-list', MmClientList);

declare global {
  interface HTMLElementTagNameMap {
    'mm-client-list': MmClientList;
  }
}
