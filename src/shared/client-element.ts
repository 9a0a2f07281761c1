/**
 * A CRM element about one client: `client-id`, or `for="some-id"` to follow the selection
 * of the element with that id in the same document (or shadow root) without any JavaScript:
 * a `<mm-client-list>` or a `<mm-session-roster>` (any element with a `selectedClientId`
 * that fires `mm-client-select`). A follower without its own configuration uses theirs.
 */
import { property, state } from 'lit/decorators.js';
import type { CrmContextValue } from '../elements/provider/context.js';
import { CrmElement } from './crm-element.js';

/** What a follower needs of the element it follows. */
interface SelectionSource extends Element {
  selectedClientId?: string | null;
  crmConfig?: CrmContextValue;
}

export class CrmClientElement extends CrmElement {
  /** The client to show. */
  @property({ attribute: 'client-id' }) clientId?: string;

  /** The id of a `<mm-client-list>` or `<mm-session-roster>` whose selection this element follows. */
  @property({ attribute: 'for' }) for?: string;

  @state() private followed?: SelectionSource | null;

  #root?: Document | ShadowRoot;
  #onSelect = (event: Event) => {
    const source = event.target as SelectionSource | null;
    if (!this.for || source?.id !== this.for) return;
    this.followed = source;
    this.clientId = (event as CustomEvent<{ clientId: string }>).detail.clientId;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    const root = this.getRootNode();
    if (root instanceof Document || root instanceof ShadowRoot) {
      this.#root = root;
      root.addEventListener('mm-client-select', this.#onSelect);
    }
    this.#adoptCurrentSelection();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#root?.removeEventListener('mm-client-select', this.#onSelect);
    this.#root = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed as never);
    if (changed.has('for')) this.#adoptCurrentSelection();
  }

  /** A follower that connects after the list's selection still shows it. */
  #adoptCurrentSelection() {
    if (!this.for || !this.#root) return;
    const source = this.#root.getElementById(this.for) as SelectionSource | null;
    this.followed = source;
    if (source?.selectedClientId && !this.clientId) this.clientId = source.selectedClientId;
  }

  override get crmConfig(): CrmContextValue | undefined {
    const own = super.crmConfig;
    if (own?.client) return own;
    const theirs = this.followed?.crmConfig;
    return theirs?.client ? { ...theirs, locale: this.locale ?? theirs.locale } : own;
  }
}
