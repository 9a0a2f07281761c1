import { MmClientCard } from './elements/client-card/client-card.js';

export { MmClientCard };

if (!customElements.get('mm-client-card')) customElements.define('mm-client-card', MmClientCard);

declare global {
  interface HTMLElementTagNameMap {
    'mm-client-card': MmClientCard;
  }
}
