// The theming page: the same composition as the dashboard; the look is all in theming.css.
import '../src/mm-crm-provider.js';
import '../src/mm-client-list.js';
import '../src/mm-client-card.js';
import '../src/mm-client-notes.js';
import { devToken, keepSelectionInUrl } from './dev-token.js';

document.querySelector('mm-crm-provider')!.getToken = devToken('maya');
keepSelectionInUrl(document.querySelector('mm-client-list')!);
