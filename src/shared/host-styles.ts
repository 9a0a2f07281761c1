/**
 * Styles every element shares: the global `--mm-*` design tokens with light and dark values,
 * the host font (inherited), focus rings and a few small pieces (pill, button, visually
 * hidden text, skeleton). An element's own `--mm-<element>-*` properties fall back to these.
 *
 * Light and dark follow the page's `color-scheme` (or the user's preference): set
 * `color-scheme: dark` on the element or the page to force dark.
 */
import { css } from 'lit';

export const hostStyles = css`
  :host {
    color-scheme: inherit;
    --_bg: var(--mm-color-bg, light-dark(#ffffff, #16181d));
    --_surface: var(--mm-color-surface, light-dark(#f6f7f9, #1f2229));
    --_fg: var(--mm-color-fg, light-dark(#1b1e24, #e8eaee));
    --_muted: var(--mm-color-muted, light-dark(#5b6270, #a3a9b6));
    --_border: var(--mm-color-border, light-dark(#dde1e7, #343946));
    --_accent: var(--mm-color-accent, light-dark(#3b5bdb, #8ea6ff));
    --_accent-fg: var(--mm-color-accent-fg, light-dark(#ffffff, #0d1020));
    --_danger: var(--mm-color-danger, light-dark(#c92a2a, #ff8787));
    --_warning: var(--mm-color-warning, light-dark(#8a5a00, #ffd43b));
    --_success: var(--mm-color-success, light-dark(#1f7a33, #8ce99a));
    --_radius: var(--mm-radius, 8px);
    --_space: var(--mm-space, 8px);
    --_focus: var(--mm-focus-ring, 2px solid var(--_accent));
    --_status-regular: var(--mm-status-regular, light-dark(#1f7a33, #8ce99a));
    --_status-active: var(--mm-status-active, light-dark(#1864ab, #74c0fc));
    --_status-lapsed: var(--mm-status-lapsed, light-dark(#5f6670, #adb5bd));

    display: block;
    box-sizing: border-box;
    font: inherit;
    font-family: var(--mm-font-family, inherit);
    color: var(--_fg);
    background: var(--_bg);
    border-radius: var(--_radius);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--_border);
    background: var(--_surface);
    border-radius: calc(var(--_radius) - 2px);
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 1.5);
    min-height: 32px;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  input,
  select,
  textarea {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    padding: calc(var(--_space) * 0.5) var(--_space);
    min-height: 32px;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .pill {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 1px 8px;
    border-radius: 999px;
    font-size: 0.8em;
    font-weight: 600;
    border: 1px solid currentColor;
    white-space: nowrap;
  }
  .pill[data-status='regular'] {
    color: var(--_status-regular);
  }
  .pill[data-status='active'] {
    color: var(--_status-active);
  }
  .pill[data-status='lapsed'] {
    color: var(--_status-lapsed);
  }
  .muted {
    color: var(--_muted);
  }
  .error {
    color: var(--_danger);
  }
  .message {
    padding: calc(var(--_space) * 2);
    text-align: center;
  }
  .small {
    font-size: 0.85em;
  }
  .warning {
    color: var(--_warning);
  }
  .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  fieldset {
    margin: 0;
    min-width: 0;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .skeleton {
    background: linear-gradient(90deg, var(--_surface), var(--_border), var(--_surface));
    background-size: 200% 100%;
    animation: mm-shimmer 1.2s ease-in-out infinite;
    border-radius: 4px;
    min-height: 1em;
  }
  @keyframes mm-shimmer {
    from {
      background-position: 200% 0;
    }
    to {
      background-position: -200% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
  .avatar {
    flex: none;
    width: var(--mm-avatar-size, 36px);
    height: var(--mm-avatar-size, 36px);
    border-radius: 50%;
    object-fit: cover;
    display: inline-grid;
    place-items: center;
    background: var(--_surface);
    color: var(--_muted);
    font-weight: 600;
    font-size: 0.85em;
    border: 1px solid var(--_border);
  }
`;
