import { provide } from '@lit/context';
import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { TokenSource } from '../../api/client.js';
import { clientFor, takeTokenAttribute } from '../../shared/crm-element.js';
import { crmContext, type CrmContextValue } from './context.js';

/**
 * Configures every CRM element inside it: set the API base, the CRM and the token once for a
 * whole dashboard.
 *
 * @summary Shares `api-base`, `crm`, `locale` and the token with the CRM elements inside it.
 * @slot - The CRM elements (and anything else).
 * @fires mm-auth-required - A request was refused with 401 even after asking `getToken` again.
 * @fires mm-signed-in - `{userId}`: signed in through the elements inside it (no token given).
 * @fires mm-signed-out - Signed out (or the sign-in ended).
 */
export class MmCrmProvider extends LitElement {
  /** Base URL of the CRM API. */
  @property({ attribute: 'api-base' }) apiBase = '';
  /** The CRM id. */
  @property() crm = '';
  /** BCP 47 locale for numbers, money and dates. */
  @property() locale?: string;
  /** Bearer token (may be given once as a `token` attribute, then removed from the DOM). */
  @property({ attribute: false }) token?: string | null;
  /** Async token source, called when a token is needed and once more after a 401. */
  @property({ attribute: false }) getToken?: TokenSource | null;

  @provide({ context: crmContext })
  protected value?: CrmContextValue;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'token'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (!takeTokenAttribute(this, name, value)) super.attributeChangedCallback(name, old, value);
  }

  protected override willUpdate(): void {
    this.value = {
      apiBase: this.apiBase,
      crm: this.crm,
      locale: this.locale ?? (document.documentElement.lang || undefined),
      // Null without a token: the elements inside then share one sign-in to apiBase (SPEC 6).
      client: clientFor(this.apiBase, this.token, this.getToken, this),
    };
  }

  override render() {
    return html`<slot></slot>`;
  }

  static override styles = css`
    :host {
      display: contents;
    }
  `;
}
