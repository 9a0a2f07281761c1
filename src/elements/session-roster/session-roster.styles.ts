import { css } from 'lit';

export const styles = css`
  :host {
    --_padding: var(--mm-session-roster-padding, 16px);
    --_selected: var(--mm-session-roster-selected-bg, var(--_surface));
    --_alert-fg: var(--mm-session-roster-alert-fg, var(--_warning));
    --_alert-bg: var(
      --mm-session-roster-alert-bg,
      color-mix(in srgb, var(--_alert-fg) 12%, transparent)
    );
    --mm-avatar-size: var(--mm-session-roster-avatar-size, 40px);
    background: var(--mm-session-roster-bg, var(--_bg));
    border: var(--mm-session-roster-border, 1px solid var(--_border));
  }
  .layout {
    container-type: inline-size;
    display: grid;
    grid-template-columns: minmax(0, var(--mm-session-roster-sessions-width, 18rem)) minmax(0, 1fr);
    gap: var(--_padding);
    padding: var(--_padding);
    align-items: start;
  }
  @container (max-width: 40rem) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  h2,
  p,
  ul {
    margin: 0;
  }
  h2 {
    font-size: 1.1em;
  }
  ul {
    padding: 0;
    list-style: none;
  }
  .message,
  .empty {
    padding: calc(var(--_space) * 2) 0;
  }
  .layout > .message,
  .layout > [part='error'] {
    grid-column: 1 / -1;
  }

  /* The list of classes */
  .sessions {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    min-width: 0;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
  }
  .filter {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  .session-list {
    display: flex;
    flex-direction: column;
    gap: 2px;
    max-height: var(--mm-session-roster-list-height, 70vh);
    overflow-y: auto;
  }
  .day {
    font-weight: 600;
    font-size: 0.85em;
    color: var(--_muted);
    padding: var(--_space) 4px 2px;
    position: sticky;
    top: 0;
    background: inherit;
  }
  .session {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    gap: 2px calc(var(--_space) * 1.5);
    padding: 6px var(--_space);
    border-radius: calc(var(--_radius) - 2px);
    border: 1px solid transparent;
    cursor: pointer;
  }
  .session[aria-selected='true'] {
    background: var(--_selected);
    border-color: var(--_accent);
  }
  .session:hover {
    background: var(--_selected);
  }
  .time {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
    white-space: nowrap;
  }
  .what {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .title,
  .where {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .counts {
    grid-column: 2;
    display: flex;
    flex-wrap: wrap;
    gap: 2px var(--_space);
    color: var(--_muted);
  }
  .counts .alerting {
    color: var(--_alert-fg);
  }
  .skeleton-row {
    padding: var(--_space);
  }
  .skeleton-row .skeleton {
    height: 2.2em;
  }

  /* The roster */
  .roster {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    min-width: 0;
  }
  .roster-header {
    display: flex;
    justify-content: space-between;
    align-items: flex-start;
    gap: var(--_space);
    border-bottom: 1px solid var(--_border);
    padding-bottom: var(--_space);
  }
  .clients {
    display: flex;
    flex-direction: column;
  }
  .client {
    display: flex;
    gap: calc(var(--_space) * 1.5);
    padding: var(--_space) 4px;
    border-bottom: 1px solid var(--_border);
    break-inside: avoid;
  }
  .client[data-chosen] {
    background: var(--_selected);
  }
  .main {
    flex: 1;
    min-width: 0;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .line {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px var(--_space);
  }
  button.name {
    border: none;
    background: none;
    padding: 0;
    min-height: 0;
    font-weight: 600;
    text-align: start;
    text-decoration: underline;
    text-decoration-color: var(--_border);
    text-underline-offset: 3px;
  }
  .badge {
    display: inline-flex;
    gap: 4px;
    align-items: center;
    padding: 1px 8px;
    border-radius: 999px;
    font-size: 0.8em;
    background: var(--mm-session-roster-badge-bg, var(--_surface));
    border: 1px solid var(--_border);
    white-space: nowrap;
  }
  .alerts {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .alert {
    display: flex;
    flex-wrap: wrap;
    gap: 4px var(--_space);
    align-items: baseline;
    padding: 2px var(--_space);
    border-inline-start: 4px solid var(--_alert-fg);
    background: var(--_alert-bg);
    font-weight: 600;
  }
  .alert .icon {
    color: var(--_alert-fg);
  }
  .alert .until {
    font-weight: normal;
    color: var(--_muted);
  }
  .notes {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 4px var(--_space);
  }
  .note {
    flex: 1 1 16em;
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  .open-notes {
    min-height: 28px;
    font-size: 0.85em;
  }

  /* Print: the chosen class's roster alone, black on white, on one page. */
  @media print {
    :host {
      border: none;
      background: #fff;
      color: #000;
      --_fg: #000;
      --_muted: #000;
      --_border: #000;
      --_surface: #fff;
      --_bg: #fff;
      --_alert-fg: #000;
      --_alert-bg: #fff;
      --_selected: #fff;
      --_status-regular: #000;
      --_status-active: #000;
      --_status-lapsed: #000;
      font-size: 8pt;
      line-height: 1.25;
    }
    .layout {
      display: block;
      padding: 0;
    }
    .sessions,
    button.print,
    .open-notes,
    .avatar,
    .note.none {
      display: none !important;
    }
    .roster-header {
      padding-bottom: 4px;
    }
    h2 {
      font-size: 12pt;
    }
    .clients {
      display: block;
      columns: 2;
      column-gap: 16px;
    }
    .client {
      padding: 3px 0;
      gap: 0;
    }
    .main {
      gap: 1px;
    }
    button.name {
      text-decoration: none;
      color: #000;
    }
    .badge,
    .pill {
      border: 1px solid #000;
      background: #fff;
      color: #000;
      padding: 0 4px;
    }
    .alert {
      border: 1px solid #000;
      border-inline-start-width: 3px;
      padding: 0 4px;
    }
    .note {
      display: -webkit-box;
      -webkit-line-clamp: 2;
      -webkit-box-orient: vertical;
      overflow: hidden;
      white-space: normal;
    }
  }
`;
