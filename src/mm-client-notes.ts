import { MmClientNotes } from './elements/client-notes/client-notes.js';

export { MmClientNotes };

if (!customElements.get('mm-client-notes')) customElements.define('mm-client-notes', MmClientNotes);

declare global {
  interface HTMLElementTagNameMap {
    'mm-client-notes': MmClientNotes;
  }
}
