/**
 * Small UI pieces the elements share. Every value from data goes through Lit's text
 * bindings (escaped); URLs through `safeImageUrl`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ClientStatus } from '../api/schemas.js';
import type { CrmApiError } from '../api/errors.js';
import { initials, safeImageUrl } from './format.js';

export const STATUS_LABEL: Record<ClientStatus, string> = {
  regular: 'Regular',
  active: 'Active',
  lapsed: 'Lapsed',
};

const STATUS_ICON: Record<ClientStatus, string> = { regular: '★', active: '●', lapsed: '○' };

/** Status pill: text and an icon, never colour alone. */
export function statusPill(status: ClientStatus): TemplateResult {
  return html`<span class="pill" part="pill" data-status=${status}
    ><span aria-hidden="true">${STATUS_ICON[status]}</span>${STATUS_LABEL[status]}</span
  >`;
}

/** Photo when the URL is safe, otherwise initials. Decorative: the name is next to it. */
export function avatar(
  name: string,
  url: string | null | undefined,
  part = 'avatar',
): TemplateResult {
  const src = safeImageUrl(url);
  return src
    ? html`<img
        class="avatar"
        part=${part}
        src=${src}
        alt=""
        loading="lazy"
        referrerpolicy="no-referrer"
      />`
    : html`<span class="avatar" part=${part} aria-hidden="true">${initials(name)}</span>`;
}

/** What the user reads for an error, by code. */
export function errorMessage(error: unknown): string {
  const e = error as Partial<CrmApiError> | undefined;
  switch (e?.code) {
    case 'no_token':
      return 'Not signed in: this element has no token yet.';
    case 'unauthenticated':
      return 'Your session has expired. Sign in again to continue.';
    case 'insufficient_scope':
      return 'You do not have permission to do this.';
    case 'not_found':
      return 'Not found: it may have been removed, or it belongs to another CRM.';
    case 'network_error':
      return 'Could not reach the CRM. Check your connection.';
    case 'timeout':
      return 'The CRM took too long to answer.';
    case 'origin_refused':
      return e.detail ?? "The CRM does not accept requests from this page's origin.";
    case 'invalid_request':
      return e.detail ?? 'The request was refused as invalid.';
    default:
      return e?.detail ?? (error instanceof Error ? error.message : 'Something went wrong.');
  }
}

/** Error state with a retry button. */
export function errorView(error: unknown, retry?: () => void): TemplateResult {
  return html`<div class="message" part="error" role="alert">
    <p class="error">${errorMessage(error)}</p>
    ${retry ? html`<button type="button" @click=${retry}>Retry</button>` : nothing}
  </div>`;
}
