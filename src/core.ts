/**
 * What the standalone bundle exports: the package's classes and types (`index.ts`) except
 * those of the elements the bundle loads on first use (`<mm-session-roster>`), whose code
 * must stay out of `mm-crm.js`. No side effects.
 */
export { CrmClient, toSearchParams } from './api/client.js';
export type { CallOptions, CrmClientOptions, TokenSource } from './api/client.js';
export { CrmApiError, isCrmApiError, isAbortError } from './api/errors.js';
export type * from './api/schemas.js';
export type * from './events.js';
export { MmCrmProvider } from './elements/provider/crm-provider.js';
export { MmClientList } from './elements/client-list/client-list.js';
export type { ClientListFilters } from './elements/client-list/client-list.js';
export { MmClientCard } from './elements/client-card/client-card.js';
export { MmClientNotes } from './elements/client-notes/client-notes.js';
export type { NoteSaveState } from './elements/client-notes/note-saver.js';
export { crmContext } from './elements/provider/context.js';
export type { CrmContextValue } from './elements/provider/context.js';
export type { SignIn, SignInPhase } from './auth/sign-in.js';
