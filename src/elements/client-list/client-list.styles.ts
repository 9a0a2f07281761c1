import { css } from 'lit';

export const styles = css`
  :host {
    --_row-height: var(--mm-client-list-row-height, 56px);
    --_list-bg: var(--mm-client-list-bg, var(--_bg));
    --_list-border: var(--mm-client-list-border-color, var(--_border));
    --_header-bg: var(--mm-client-list-header-bg, var(--_surface));
    --_row-hover-bg: var(--mm-client-list-row-hover-bg, var(--_surface));
    --_row-selected-bg: var(
      --mm-client-list-row-selected-bg,
      color-mix(in srgb, var(--_accent) 14%, var(--_list-bg))
    );
    --_tag-bg: var(--mm-client-list-tag-bg, var(--_surface));
    /* A sortable column is at least as wide as its longest word and the arrow: 'Bookings ↕'
       (a mentor's Bookings and Last attended: in letter-spaced capitals too, as themed). */
    --_columns: var(
      --mm-client-list-columns,
      minmax(11rem, 2fr) minmax(7.25rem, 0.4fr) minmax(6rem, 0.6fr) minmax(7.25rem, 0.7fr)
        minmax(8.25rem, 1fr) minmax(6rem, 1.4fr)
    );
    --_studio-columns: var(
      --mm-client-list-studio-columns,
      minmax(9.5rem, 1.75fr) minmax(6.25rem, 0.4fr) minmax(6rem, 0.5fr) minmax(6.5rem, 0.6fr)
        minmax(7rem, 0.8fr) minmax(6.75rem, 1.2fr) minmax(5.5rem, 1.1fr)
    );

    /* As tall as its rows up to the maximum; a height (or --mm-client-list-height) fills it. */
    display: flex;
    flex-direction: column;
    height: var(--mm-client-list-height, auto);
    max-height: var(--mm-client-list-max-height, 600px);
    background: var(--_list-bg);
    border: 1px solid var(--_list-border);
    overflow: hidden;
  }

  .frame {
    container-type: inline-size;
    display: flex;
    flex-direction: column;
    flex: 1 1 auto;
    min-height: 0;
  }

  /* -- toolbar ---------------------------------------------------------------------------- */

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--_space) calc(var(--_space) * 1.5);
    padding: calc(var(--_space) * 1.5);
    border-bottom: 1px solid var(--_list-border);
  }
  .field {
    gap: 2px;
    font-size: 0.85em;
  }
  .field > span,
  .filters legend {
    color: var(--_muted);
    font-weight: 600;
  }
  .search-field {
    flex: 1 1 14rem;
    min-width: 10rem;
  }
  .search-field input {
    width: 100%;
  }
  .filters {
    display: contents;
  }
  fieldset {
    padding: 0;
    border: 0;
    font-size: 0.85em;
  }
  fieldset legend {
    padding: 0;
    margin-bottom: 2px;
  }
  .checks {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    min-height: 32px;
    padding: 0 8px;
    border: 1px solid var(--_list-border);
    border-radius: 999px;
    cursor: pointer;
    white-space: nowrap;
  }
  .check:has(input:checked) {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 12%, transparent);
  }
  .check input {
    margin: 0;
    min-height: 0;
    accent-color: var(--_accent);
  }
  .check:has(input:focus-visible) {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  .check input:focus-visible {
    outline: none;
  }
  .actions {
    margin-left: auto;
  }
  .fold {
    display: none;
  }

  .summary {
    /* its whole height, wrapped lines included: the rows take what the list's height leaves */
    flex: none;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
    min-height: 2em;
    padding: 0 calc(var(--_space) * 1.5);
    font-size: 0.85em;
    color: var(--_muted);
  }
  .summary button {
    min-height: 24px;
    padding: 0 8px;
  }

  .chosen-tags {
    flex: 1 0 100%;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px calc(var(--_space) * 0.75);
    font-size: 0.85em;
  }
  .chosen-tags > span {
    color: var(--_muted);
    font-weight: 600;
  }
  .chosen-tags ul {
    display: flex;
    flex-wrap: wrap;
    gap: 4px calc(var(--_space) * 0.75);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .chosen-tags button {
    min-height: 28px;
    padding: 0 4px 0 10px;
    border-radius: 999px;
    background: var(--_tag-bg);
  }
  .chosen-tags button span {
    display: inline-block;
    padding: 0 6px;
    margin-inline-start: 2px;
    color: var(--_muted);
  }

  /* -- grid ----------------------------------------------------------------------------- */

  .main {
    position: relative;
    flex: 1 1 auto;
    min-height: 0;
    display: flex;
    flex-direction: column;
  }
  .grid {
    flex: 1 1 auto;
    min-height: 0;
    display: flex;
    flex-direction: column;
  }
  .grid:focus {
    outline: none;
  }
  .grid:focus-visible {
    outline: var(--_focus);
    outline-offset: -2px;
  }
  .grid[aria-busy='true'] .body {
    opacity: 0.6;
  }
  .header {
    flex: none;
    overflow: hidden;
    scrollbar-gutter: stable;
    background: var(--_header-bg);
    border-bottom: 1px solid var(--_list-border);
    font-size: 0.85em;
  }
  .body {
    scrollbar-gutter: stable;
    flex: 1 1 auto;
    min-height: 0;
    overflow: auto;
    overscroll-behavior: contain;
    /* Rows are added and removed above the viewport as it scrolls: no anchoring needed. */
    overflow-anchor: none;
    contain: strict;
  }
  /* As tall as a row: the list measures it (a row's height is the property). */
  .probe {
    position: absolute;
    width: 0;
    height: var(--_row-height);
    visibility: hidden;
  }

  .row {
    display: grid;
    grid-template-columns: var(--_columns);
    align-items: center;
    width: 100%;
    height: var(--_row-height);
    border-bottom: 1px solid var(--_list-border);
  }
  .studio .row {
    grid-template-columns: var(--_studio-columns);
  }
  .header .row {
    height: auto;
    min-height: 40px;
    border-bottom: 0;
  }
  .body .row {
    cursor: pointer;
    background: var(--_list-bg);
  }
  /* A cell's background is its row's: a "+N" is covered by the next tag's. */
  .cell,
  .chips,
  .chip {
    background: inherit;
  }
  .body .row:hover {
    background: var(--_row-hover-bg);
  }
  .body .row[aria-selected='true'] {
    background: var(--_row-selected-bg);
    box-shadow: inset 3px 0 0 var(--_accent);
  }
  .body .row:focus {
    outline: none;
  }
  .body .row:focus-visible {
    outline: var(--_focus);
    outline-offset: -3px;
  }

  .cell {
    /* Also the box of the visually hidden tag separators: they must not stick out. */
    position: relative;
    min-width: 0;
    padding: 0 calc(var(--_space) * 0.75);
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  [role='columnheader'] {
    font-weight: 600;
    color: var(--_muted);
    white-space: normal;
    line-height: 1.2;
    padding-block: 4px;
    /* A word and its arrow wider than the column (a larger font) use the padding, not cut off. */
    overflow: visible;
  }
  .sort {
    display: inline;
    text-align: inherit;
    border: 0;
    background: none;
    padding: 4px;
    margin: 0 -4px;
    min-height: 0;
    font: inherit;
    font-weight: 600;
    color: inherit;
    /* A header theme (::part(header)) reaches the sort buttons' labels too. */
    text-transform: inherit;
    letter-spacing: inherit;
  }
  [aria-sort] .sort {
    color: var(--_fg);
  }
  .sort .end {
    white-space: nowrap;
  }
  .sort .arrow {
    display: inline-block;
    margin-inline-start: 4px;
    font-size: 0.8em;
    opacity: 0.45;
  }
  [aria-sort] .sort .arrow {
    opacity: 1;
  }

  .client {
    display: flex;
    align-items: center;
    gap: var(--_space);
  }
  .who {
    display: flex;
    flex-direction: column;
    min-width: 0;
    line-height: 1.25;
  }
  .name,
  .email,
  .first,
  .tag {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .name {
    font-weight: 600;
  }
  .name-line {
    display: flex;
    gap: 4px;
    min-width: 0;
  }
  /* The focused row shows its client's whole name and email, over the next cells. */
  .body .row:focus-visible .client {
    overflow: visible;
    z-index: 1;
  }
  .body .row:focus-visible .who {
    flex: none;
    width: max-content;
    padding-inline-end: var(--_space);
    background: inherit;
  }
  .alert-marker {
    flex: none;
    color: var(--_warning);
  }
  .email {
    font-size: 0.85em;
    color: var(--_muted);
  }
  /* Both pills on a line, or the marker on a second line under the status. */
  .status {
    display: flex;
    flex-wrap: wrap;
    gap: 2px 4px;
    align-items: center;
  }
  /* Pills keep the plain background, so their text contrast holds on a selected row. */
  .row .pill {
    background: var(--_list-bg);
  }
  /* Growing, Slipping: a compact marker, its word on hover and for assistive tech. */
  .seg {
    color: var(--_accent);
    border-style: dashed;
    padding: 1px 5px;
  }
  /* The first teacher, and under it how many more. */
  .first {
    display: block;
  }
  .more {
    flex: none;
    font-size: 0.8em;
    color: var(--_muted);
  }
  /* Whole tags on one line: one that does not fit wraps out of sight, with those after it. */
  .chips {
    display: flex;
    flex-wrap: wrap;
    height: 1.5em;
    overflow: hidden;
  }
  .chip {
    display: flex;
    align-items: center;
    height: 1.5em;
    min-width: 0;
  }
  /* Over the previous chip's "+N" (as wide as this one). */
  .chip + .chip {
    flex: none;
    margin-inline-start: -1.9rem;
  }
  .chip .more {
    width: 1.9rem;
    padding-inline-start: 4px;
  }
  .tag {
    padding: 0 6px;
    margin-inline-end: 4px;
    border-radius: 4px;
    background: var(--_tag-bg);
    border: 1px solid var(--_list-border);
    font-size: 0.8em;
    line-height: 1.4;
  }
  .next {
    display: block;
    font-size: 0.8em;
    color: var(--_muted);
  }
  .unit {
    display: none;
  }

  .row .skeleton {
    height: 0.9em;
    width: 70%;
  }
  .skeleton-grid {
    overflow: hidden;
  }

  .message {
    margin: auto;
    max-width: 32rem;
  }
  .message p {
    margin: 0 0 var(--_space);
  }
  .page-error {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: var(--_space);
    padding: var(--_space);
    border-top: 1px solid var(--_list-border);
  }
  .page-error p {
    margin: 0;
  }

  /* Narrower: two lines, the client and the status, then bookings, spend and last attended;
     the column headers are for assistive tech only (the sort is in the toolbar). */
  @container (max-width: 779px) {
    .row,
    .studio .row {
      grid-template-columns: auto auto minmax(0, 1fr) auto;
      align-content: center;
    }
    .row > :first-child {
      grid-column: span 3;
    }
    .status {
      grid-area: 1 / 4;
    }
    .last {
      grid-column: span 2;
    }
    .num,
    .last {
      padding-inline: 4px 0;
      font-size: 0.85em;
      color: var(--_muted);
      text-align: start;
    }
    /* Under the name, past the avatar. */
    .row > :nth-child(2) {
      padding-inline-start: calc(var(--_space) * 2 + 36px);
    }
    .body .num + *::before {
      content: '· ' / '';
    }
    .header {
      position: absolute;
      clip-path: inset(50%);
    }
    .wide,
    .email,
    .next {
      display: none;
    }
    .unit {
      display: inline;
    }
  }

  /* A phone: the filters fold behind a "Filters (n)" button. */
  @container (max-width: 599px) {
    .fold {
      display: block;
    }
    .toolbar:not(.open) > :is(.filters, .actions) {
      display: none;
    }
  }

  @media (forced-colors: active) {
    .body .row[aria-selected='true'] {
      outline: 2px solid Highlight;
      outline-offset: -2px;
    }
  }
`;
