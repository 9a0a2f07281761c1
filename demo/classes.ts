// Today's classes: the roster, and a card with notes that follow it (for="roster").
import '../src/mm-crm-provider.js';
import '../src/mm-session-roster.js';
import '../src/mm-client-card.js';
import '../src/mm-client-notes.js';
import { devToken, logEvents } from './dev-token.js';

const provider = document.querySelector('mm-crm-provider')!;
provider.getToken = devToken('jonas');
logEvents(provider, document.querySelector<HTMLElement>('#log')!);

// "Open notes": the notes follow the roster's selection; bring them into view.
provider.addEventListener('mm-open-notes', () => {
  document.querySelector('#notes')?.scrollIntoView({ behavior: 'smooth', block: 'center' });
});
