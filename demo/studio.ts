// The studio's shared-CRM admin page: the signed-in member can be switched to show that
// notes are shared and record who edited them last.
import '../src/mm-crm-provider.js';
import '../src/mm-client-list.js';
import '../src/mm-client-card.js';
import '../src/mm-client-notes.js';
import { devToken, keepSelectionInUrl, logEvents } from './dev-token.js';

const provider = document.querySelector('mm-crm-provider')!;
const user = document.querySelector<HTMLSelectElement>('#user')!;
const signIn = () => {
  provider.getToken = devToken(user.value);
};
user.addEventListener('change', signIn);
signIn();
logEvents(provider, document.querySelector<HTMLElement>('#log')!);
keepSelectionInUrl(document.querySelector('mm-client-list')!);
