/**
 * The standalone bundle (`dist/mm-crm.js`): every element defined, dependencies inside, for a
 * `<script type="module">` tag on a page without a build step.
 */
import './mm-crm-provider.js';
import './mm-client-list.js';
import './mm-client-card.js';
import './mm-client-notes.js';

export * from './index.js';
