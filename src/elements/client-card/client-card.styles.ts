import { css } from 'lit';

export const styles = css`
  :host {
    --_card-padding: var(--mm-client-card-padding, 16px);
    --_card-gap: var(--mm-client-card-gap, 16px);
    --mm-avatar-size: var(--mm-client-card-avatar-size, 64px);
    background: var(--mm-client-card-bg, var(--_bg));
    border: var(--mm-client-card-border, 1px solid var(--_border));
  }
  .card {
    container-type: inline-size;
    display: flex;
    flex-direction: column;
    gap: var(--_card-gap);
    padding: var(--_card-padding);
  }
  h2,
  h3,
  p,
  dl,
  dd,
  ul {
    margin: 0;
  }
  h3 {
    font-size: 1em;
  }
  .error:empty,
  .notice:empty {
    display: none;
  }

  /* Header */
  .header {
    display: flex;
    align-items: center;
    gap: calc(var(--_space) * 2);
    flex-wrap: wrap;
  }
  .header .avatar {
    font-size: calc(var(--mm-avatar-size) * 0.36);
  }
  .who {
    flex: 1 1 12em;
    min-width: 0;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .name {
    font-size: var(--mm-client-card-name-size, 1.4em);
    line-height: 1.2;
    overflow-wrap: anywhere;
  }
  .contact {
    display: flex;
    flex-wrap: wrap;
    gap: 4px calc(var(--_space) * 2);
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .status {
    display: flex;
    gap: var(--_space);
    align-items: center;
  }
  .pill.growing {
    color: var(--_accent);
  }

  /* Quick stats */
  .stats {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 7.5em), 1fr));
    gap: var(--_space);
  }
  .stat {
    background: var(--mm-client-card-stat-bg, var(--_surface));
    border-radius: calc(var(--_radius) - 2px);
    padding: var(--_space) calc(var(--_space) * 1.5);
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .stat dt {
    font-size: 0.8em;
    color: var(--_muted);
  }
  .stat dd {
    display: flex;
    flex-direction: column;
  }
  .stat .value {
    font-size: 1.15em;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  /* The next class, the first thing to read before one, gets the room for its date and time. */
  .stat.wide-stat {
    grid-column: 1 / -1;
  }
  .stat.wide-stat dd {
    flex-flow: row wrap;
    align-items: baseline;
    column-gap: 0.75em;
  }
  .stat .value.none {
    font-size: 1em;
    font-weight: 400;
    color: var(--_muted);
  }
  .stat .sub {
    font-size: 0.8em;
  }
  /* The notes slotted above the history: the card's padding is theirs. */
  ::slotted([slot='notes']) {
    --mm-client-notes-padding: 0;
  }

  /* Actions */
  .actions p {
    flex-basis: 100%;
  }
  .notice {
    color: var(--_success);
    font-weight: 600;
  }

  /* Tags (the editor's own styles come with its chunk) and booking history */
  .tags,
  .bookings {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
  }
  .warning {
    font-weight: 600;
  }

  /* Booking history */
  .bookings-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 2px var(--_space);
  }
  .caption-note {
    font-size: 0.85em;
  }
  .bookings .more {
    align-self: flex-start;
  }
  .zone {
    white-space: nowrap;
  }
  .nowrap {
    white-space: nowrap;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    text-align: start;
    padding: 6px var(--_space);
    border-bottom: 1px solid var(--_border);
    vertical-align: top;
    overflow-wrap: anywhere;
  }
  thead th {
    font-size: 0.8em;
    color: var(--_muted);
    font-weight: 600;
    white-space: nowrap;
  }
  tbody th {
    font-weight: 500;
  }
  .refunded {
    display: block;
    font-size: 0.85em;
    color: var(--_warning);
  }
  tr:focus-visible {
    outline-offset: -2px;
  }
  /*
   * In a narrow card each booking is two lines: the class (location and teacher under it) and
   * its date and time; then its status and payment, and the amount. The headers stay for
   * screen readers; the roles on the table's elements keep it a table.
   */
  .narrow {
    display: none;
  }
  @container (max-width: 44rem) {
    table,
    tbody {
      display: block;
    }
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    tbody tr {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 2px calc(var(--_space) * 1.5);
      padding: var(--_space) 0;
      border-bottom: 1px solid var(--_border);
    }
    tbody th,
    tbody td {
      display: block;
      padding: 0;
      border: 0;
      min-width: 0;
    }
    .wide {
      display: none;
    }
    .narrow {
      display: block;
      font-weight: 400;
    }
    .where {
      font-size: 0.85em;
    }
    .when,
    .num {
      text-align: end;
    }
    .when time {
      display: flex;
      flex-direction: column;
      align-items: flex-end;
    }
    .state .payment {
      display: inline;
    }
    .state .payment::before {
      content: ' · ';
      color: var(--_muted);
    }
  }
  tr[data-status='cancelled'] .class-title {
    text-decoration: line-through;
    text-decoration-color: var(--_muted);
  }
  .booking-status[data-status='no_show'],
  .booking-status[data-status='cancelled'] {
    color: var(--_muted);
  }
  /* Dialogs (what only one of them uses comes with its lazy chunk) */
  dialog {
    width: var(--mm-client-card-dialog-width, min(36rem, 100vw - 2rem));
    max-height: calc(100vh - 2rem);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
    padding: calc(var(--_space) * 2.5);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
  dialog form {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_space) * 1.5);
  }
  dialog h2 {
    font-size: 1.2em;
  }
  .field input,
  .field textarea {
    width: 100%;
  }
  .field textarea {
    resize: vertical;
  }
  .counter {
    align-self: flex-end;
  }
  /*
   * A radio or checkbox beside its label: the control is centred on the label's first line
   * (a box one line high), not set on the text's baseline, where it sits too high.
   */
  .check {
    display: inline-flex;
    align-items: flex-start;
    gap: 6px;
  }
  .check .control {
    flex: none;
    display: inline-flex;
    align-items: center;
    height: 1lh;
  }
  .check input {
    margin: 0;
  }
  .check .choice {
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .dialog-buttons {
    display: flex;
    justify-content: flex-end;
    gap: var(--_space);
  }

  /* Loading */
  .skeleton-card {
    display: flex;
    flex-direction: column;
    gap: var(--_card-gap);
  }
`;
