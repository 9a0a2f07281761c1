// The mentor dashboard: the npm package's define files, one provider, a token source.
import '../src/mm-crm-provider.js';
import '../src/mm-client-list.js';
import '../src/mm-client-card.js';
import '../src/mm-client-notes.js';
import { devToken, keepSelectionInUrl, logEvents } from './dev-token.js';

const provider = document.querySelector('mm-crm-provider')!;
provider.getToken = devToken('maya');
logEvents(provider, document.querySelector<HTMLElement>('#log')!);
keepSelectionInUrl(document.querySelector('mm-client-list')!);
