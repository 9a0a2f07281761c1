/**
 * The alerts of `<mm-client-card>` (SPEC section 7): the client's live alerts under the
 * header ("Low-back issue: no deep forward folds"), each with its end date and a remove
 * button, and a small form to pin one more (text, optional last day). Read as alerts by an
 * icon and a hidden "Alert:" as well as by colour. A refusal (the sixth alert, a past date)
 * keeps the user's text and says why.
 *
 * Loaded by the card after its first client (in the standalone bundle, a chunk of its own
 * beside `mm-crm.js`, which is at its size budget): its styles come with it, adopted into the
 * card's shadow root.
 */
import { TaskStatus, type Task } from '@lit/task';
import { css, html, nothing, type ReactiveController } from 'lit';
import { live } from 'lit/directives/live.js';
import { addAlert, deleteAlert } from '../../api/alerts.js';
import { LIMITS, type ClientAlert, type ClientDetail } from '../../api/schemas.js';
import { action } from '../../shared/action.js';
import { formatDate } from '../../shared/format.js';
import { actionError, charCount, type CardHost, type CardScope } from './card-shared.js';

const styles = css`
  /* Alerts: an icon and a bar as well as the colour */
  .alerts {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .alert-list {
    display: flex;
    flex-direction: column;
    gap: 4px;
    padding: 0;
    list-style: none;
  }
  .alert {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: 2px 2px 2px var(--_space);
    border-inline-start: 4px solid var(--_warning);
    background: color-mix(in srgb, var(--_warning) 12%, transparent);
    font-weight: 600;
  }
  .alert .text {
    flex: 1;
    overflow-wrap: anywhere;
  }
  .alert-add form {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--_space);
    padding-top: var(--_space);
  }
  .alert-add .field:first-child {
    flex: 1 1 14em;
  }
  .alert-add .error {
    flex-basis: 100%;
  }
`;

type Change = [scope: CardScope, add: { text: string; until: string | null } | ClientAlert];

export class AlertsEditor implements ReactiveController {
  alerts: ClientAlert[] = [];
  text = '';
  until = '';
  error = '';
  status = '';
  #clientId?: string;
  readonly #change: Task<Change, ClientAlert | null>;

  constructor(readonly host: CardHost) {
    host.addController(this);
    const root = host.shadowRoot;
    if (root && styles.styleSheet) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet];
    }
    this.#change = action(
      host,
      async ([{ client, crm, clientId }, what], signal) => {
        if ('id' in what) {
          await deleteAlert(client, crm, clientId, what.id, { signal });
          return null;
        }
        return addAlert(client, crm, clientId, what, { signal });
      },
      {
        done: (added, [, what]) => {
          if (added) {
            this.alerts = [...this.alerts, added];
            this.text = this.until = '';
            this.status = `Alert added: ${added.text}`;
          } else {
            this.alerts = this.alerts.filter((a) => a.id !== (what as ClientAlert).id);
            this.status = `Alert removed: ${(what as ClientAlert).text}`;
          }
        },
        failed: (error) => {
          this.status = '';
          this.error = `Alert not saved. ${actionError(error, 'alerts')}`;
        },
      },
    );
  }

  hostDisconnected(): void {
    this.#change.abort();
  }

  /** Takes the alerts of a freshly loaded client; another client starts a clean form. */
  sync(detail: ClientDetail): void {
    if (detail.id !== this.#clientId) {
      this.#change.abort();
      this.#clientId = detail.id;
      this.text = this.until = this.error = this.status = '';
    }
    this.alerts = [...detail.alerts];
  }

  #run(change: Change) {
    this.error = '';
    void this.#change.run(change);
  }

  /** Adds an alert (the form's submit). */
  add(scope: CardScope, text: string, until: string): void {
    this.#run([scope, { text, until: until || null }]);
  }

  get busy(): boolean {
    return this.#change.status === TaskStatus.PENDING;
  }

  render(scope: CardScope | undefined, locale: string | undefined, erased: boolean) {
    const full = this.alerts.length >= LIMITS.alertsMaxLive;
    return html`<section class="alerts" part="alerts" aria-label="Alerts">
      ${
        this.alerts.length
          ? html`<ul class="alert-list">
              ${this.alerts.map(
                (a) =>
                  html`<li class="alert" part="alert">
                    <span aria-hidden="true">⚠</span>
                    <span class="text"
                      ><span class="visually-hidden">Alert: </span>${a.text}${
                        a.until
                          ? html` <span class="muted small"
                              >until ${formatDate(`${a.until}T12:00:00Z`, locale, 'UTC')}</span
                            >`
                          : nothing
                      }</span
                    >
                    <button
                      type="button"
                      aria-label=${`Remove alert: ${a.text}`}
                      ?disabled=${this.busy || !scope}
                      @click=${() => scope && this.#run([scope, a])}
                    >
                      <span aria-hidden="true">×</span>
                    </button>
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      ${
        erased
          ? nothing
          : full
            ? html`<p class="muted small">
                ${LIMITS.alertsMaxLive} alerts, the most a client can have: remove one to add
                another.
              </p>`
            : html`<details class="alert-add">
                <summary>Add an alert</summary>
                ${alertForm(this, scope)}
              </details>`
      }
      <p class="visually-hidden" role="status">${this.status}</p>
    </section>`;
  }
}

/** The "Add an alert" form; its state lives in the editor. */
function alertForm(editor: AlertsEditor, scope: CardScope | undefined) {
  const n = charCount(editor.text);
  const long = n > LIMITS.alertMaxChars;
  const input = (key: 'text' | 'until') => (e: Event) => {
    editor[key] = (e.target as HTMLInputElement).value;
    editor.error = '';
    editor.host.requestUpdate();
  };
  return html`<form
    @submit=${(e: Event) => {
      e.preventDefault();
      if (scope && editor.text.trim() && !long) editor.add(scope, editor.text.trim(), editor.until);
    }}
  >
    <label class="field"
      >Alert
      <input
        name="alert-text"
        .value=${live(editor.text)}
        placeholder="Low-back issue: no deep forward folds"
        aria-invalid=${long || editor.error ? 'true' : 'false'}
        aria-describedby="alert-message"
        @input=${input('text')}
    /></label>
    <label class="field"
      >Until (optional)<input
        type="date"
        name="alert-until"
        .value=${live(editor.until)}
        @input=${input('until')}
    /></label>
    <button type="submit" ?disabled=${editor.busy || !scope || !editor.text.trim() || long}>
      Add alert
    </button>
    <p id="alert-message" class="error small" role="alert">
      ${long ? `An alert is at most ${LIMITS.alertMaxChars} characters (${n} now).` : editor.error}
    </p>
  </form>`;
}
