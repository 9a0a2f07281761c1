import { css } from 'lit';

export const styles = css`
  :host {
    --_notes-padding: var(--mm-client-notes-padding, calc(var(--_space) * 2));
    --_notes-gap: var(--mm-client-notes-gap, var(--_space));
    --_notes-min-height: var(--mm-client-notes-min-height, 12em);
    --_notes-notice-bg: var(--mm-client-notes-notice-bg, var(--_surface));
    --_notes-notice-fg: var(--mm-client-notes-notice-fg, var(--_muted));
    --_notes-conflict-border: var(--mm-client-notes-conflict-border, var(--_warning));
    padding: var(--_notes-padding);
  }

  .notes {
    display: grid;
    gap: var(--_notes-gap);
  }

  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--_notes-gap);
  }

  label {
    font-weight: 600;
  }

  [part~='notice'] {
    margin: 0;
    padding: calc(var(--_space) * 0.5) var(--_space);
    border-radius: calc(var(--_radius) - 2px);
    background: var(--_notes-notice-bg);
    color: var(--_notes-notice-fg);
    font-size: 0.875em;
  }
  [part~='notice'] .last-edited {
    display: block;
  }

  .columns {
    display: grid;
    gap: var(--_notes-gap);
  }
  .columns.conflicted {
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 16em), 1fr));
  }
  .column {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    align-content: start;
  }

  textarea {
    display: block;
    width: 100%;
    min-height: var(--_notes-min-height);
    resize: vertical;
    line-height: 1.5;
    padding: var(--_space);
  }
  textarea[readonly] {
    background: var(--_surface);
  }

  .skeleton.area {
    min-height: var(--_notes-min-height);
  }
  .skeleton.line {
    width: 40%;
  }

  .foot {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_notes-gap);
    min-height: 32px;
    font-size: 0.875em;
  }
  [part~='status'] {
    color: var(--_muted);
  }
  [part~='status'][data-state='offline'],
  [part~='status'][data-state='too-long'],
  [part~='status'][data-state='conflict'] {
    color: var(--_warning);
  }
  [part~='status'][data-state='error'] {
    color: var(--_danger);
  }
  [part~='status'][data-state='saved'] {
    color: var(--_fg);
  }
  .history-button {
    margin-inline-start: auto;
  }
  [part~='counter'] {
    margin-inline-start: auto;
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  [part~='counter'].over {
    color: var(--_danger);
    font-weight: 600;
  }

  [part~='conflict'] {
    display: grid;
    gap: var(--_notes-gap);
    padding: var(--_space);
    border: 2px solid var(--_notes-conflict-border);
    border-radius: var(--_radius);
  }
  [part~='conflict'] p {
    margin: 0;
  }

  .warning {
    margin: 0;
    font-size: 0.875em;
  }
`;
