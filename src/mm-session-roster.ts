import { MmSessionRoster } from './elements/session-roster/session-roster.js';

export { MmSessionRoster };

if (!customElements.get('mm-session-roster')) {
  customElements.define('mm-session-roster', MmSessionRoster);
}

declare global {
  interface HTMLElementTagNameMap {
    'mm-session-roster': MmSessionRoster;
  }
}
