/**
 * The classes and types of the package, without side effects: importing this module defines
 * no element. Import `@movementors/crm-elements/mm-client-list.js` (and the others) to define
 * the tags, or define the classes under names of your own.
 */
export * from './core.js';
export { MmSessionRoster } from './elements/session-roster/session-roster.js';
export { getSession, listSessions } from './api/sessions.js';
export { addAlert, deleteAlert } from './api/alerts.js';
export { getAttendance } from './api/attendance.js';
export { getNoteVersion, listNoteVersions } from './api/note-versions.js';
