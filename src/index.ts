/**
 * The classes and types of the package, without side effects: importing this module defines
 * no element. Import `@movementors/crm-elements/mm-client-list.js` (and the others) to define
 * the tags, or define the classes under names of your own.
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
