import { MmCrmProvider } from './elements/provider/crm-provider.js';

export { MmCrmProvider };

if (!customElements.get('mm-crm-provider')) customElements.define('mm-crm-provider', MmCrmProvider);

declare global {
  interface HTMLElementTagNameMap {
    'mm-crm-provider': MmCrmProvider;
  }
}
