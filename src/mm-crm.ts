/**
 * The standalone bundle (`dist/mm-crm.js`): every element defined, dependencies inside, for a
 * `<script type="module">` tag on a page without a build step. `<mm-session-roster>` is
 * defined too, but its code is a chunk beside the bundle (`mm-crm.session-roster.js`) that
 * loads when the first roster appears in the document (see shared/lazy-define.ts), so that
 * pages without one do not pay for it.
 */
import './mm-crm-provider.js';
import './mm-client-list.js';
import './mm-client-card.js';
import './mm-client-notes.js';
import { defineOnFirstUse } from './shared/lazy-define.js';

/** Loads and defines `<mm-session-roster>` now (for one inside a shadow root). */
export const loadSessionRoster = () => import('./mm-session-roster.js');
defineOnFirstUse('mm-session-roster', loadSessionRoster);

export * from './core.js';
export type { MmSessionRoster } from './elements/session-roster/session-roster.js';
