import { Task, TaskStatus, initialState } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CrmApiError } from '../../api/errors.js';
import type { BookingPage, ClientDetail, ClientSummary, CrmSummary } from '../../api/schemas.js';
import { CrmClientElement } from '../../shared/client-element.js';
import { signOutButton } from '../../auth/sign-in.js';
import { crmInfo } from '../../shared/crm-element.js';
import { emit } from '../../shared/emit.js';
import {
  differsFromViewer,
  formatClassTime,
  formatDate,
  formatDuration,
  formatMoney,
  formatRelative,
} from '../../shared/format.js';
import { hostStyles } from '../../shared/host-styles.js';
import { reportError } from '../../shared/report-error.js';
import { avatar, errorMessage, errorView, statusPill } from '../../shared/ui.js';
import type { AlertsEditor } from './alerts-editor.js';
import { BookingHistory, bookingsQuery } from './booking-history.js';
import type { CardScope } from './card-shared.js';
import { styles } from './client-card.styles.js';
import type { ClientInsight } from './client-insight.js';
import type { ComposeDialog } from './compose-dialog.js';
import type { MergeDialog } from './merge-dialog.js';
import type { TagsEditor } from './tags-editor.js';

interface CardData {
  detail: ClientDetail;
  crm: CrmSummary;
  bookings: BookingPage;
}

const ERASED_NAME = 'Deleted client';
const ERASED_REASON =
  "This client's personal data was erased at their request: messages, tags and merge requests are no longer possible. Their bookings stay for your records.";

/**
 * One client's full profile, in the order a teacher reads it before a class: header (avatar,
 * name, email, phone, status), the client's alerts (add with an optional last day, remove),
 * quick stats (last attended, next class, totals), the rhythm in words ("Usually every
 * week · last attended 19 days ago", "Slipping" when overdue) over a strip of the last 12
 * months' attendance, the notes when
 * slotted, a Message button with a compose dialog and Request merge, the tags editor, then
 * the booking history:
 * its most recent page, oldest to newest, with "Show earlier bookings" above it. Class times
 * are in the CRM's time zone, named when it is not the viewer's. An erased client shows as
 * "Deleted client" with the personal actions disabled.
 *
 * Configure with `api-base`, `crm` and a token (or a surrounding `<mm-crm-provider>`), then
 * give `client-id`, or `for="list-id"` to follow the selection of a `<mm-client-list>`.
 *
 * @summary A client's profile, booking history, tags, messages and merge requests.
 *
 * @fires mm-tags-changed - The client's tags were saved: `{clientId, tags}`.
 * @fires mm-message-sent - The server accepted a message to the client: `{clientId}`.
 * @fires mm-error - A request the user sees failed: `{code, status, detail, error}`.
 * @fires mm-auth-required - The token was refused even after asking `getToken` again.
 * @fires mm-signed-in - `{userId}`: signed in with "Sign in with MoveMentors" (`api-base` without a token).
 * @fires mm-signed-out - Signed out (from any element of the page), or the sign-in ended.
 *
 * @slot notes - Shown after the quick stats once a client is loaded, before the actions, tags
 * and booking history: put the client's `<mm-client-notes>` here (`slot="notes"`) so that a
 * teacher reads them with the client's header before a class.
 *
 * @csspart header - The header: avatar, name, contact details, status.
 * @csspart sign-in - The "Sign in with MoveMentors" button (`api-base` without a token).
 * @csspart sign-out - The "Sign out" button while signed in that way.
 * @csspart avatar - The photo or initials.
 * @csspart name - The client's name (a heading).
 * @csspart pill - The status pill.
 * @csspart stats - The quick stats list.
 * @csspart stat - One quick stat.
 * @csspart actions - The Message and Request merge buttons.
 * @csspart alerts - The client's alerts and the form to add one.
 * @csspart alert - One alert.
 * @csspart tags - The tags editor.
 * @csspart tag - One tag chip.
 * @csspart insight - The attendance section: the rhythm, the strip and its sentence.
 * @csspart rhythm - The rhythm in words ("Usually every week · last attended 19 days ago").
 * @csspart strip - The attendance strip: one column per month (hidden from screen readers).
 * @csspart strip-summary - The strip in one sentence ("12 classes in the last 3 months, ...").
 * @csspart bookings - The booking history.
 * @csspart dialog - The compose and merge dialogs.
 * @csspart status - The line that reports what an action did ("Message sent.").
 * @csspart error - An error message with its Retry button.
 *
 * @cssprop --mm-client-card-padding - Space inside the card (default `16px`).
 * @cssprop --mm-client-card-gap - Space between the card's sections (default `16px`).
 * @cssprop --mm-client-card-bg - Card background (default `--mm-color-bg`).
 * @cssprop --mm-client-card-border - Card border (default `1px solid --mm-color-border`).
 * @cssprop --mm-client-card-avatar-size - Avatar size (default `64px`).
 * @cssprop --mm-client-card-name-size - Font size of the name (default `1.4em`).
 * @cssprop --mm-client-card-stat-bg - Background of a quick stat (default `--mm-color-surface`).
 * @cssprop --mm-client-card-tag-bg - Background of a tag chip (default `--mm-color-surface`).
 * @cssprop --mm-client-card-tag-fg - Text colour of a tag chip (default `--mm-color-fg`).
 * @cssprop --mm-client-card-dialog-width - Width of the dialogs (default `min(36rem, 100vw - 2rem)`).
 */
export class MmClientCard extends CrmClientElement {
  static override styles = [hostStyles, styles];

  /** Bookings per page of the history: the most recent ones show; "Show earlier bookings" adds more. */
  @property({ type: Number, attribute: 'bookings-page-size' }) bookingsPageSize = 20;

  /** The clock for "time since" (ms since the epoch); the current time when unset. */
  @property({ attribute: false }) now?: number;

  /** The client as re-read after a message (fresh message stats). */
  @state() private refreshed?: ClientDetail;

  /** What the last action did, for the status line. */
  @state() private notice = '';

  #synced?: ClientDetail;
  #loaded?: CardData;

  #data = new Task(this, {
    task: async (
      [client, crm, clientId, limit],
      { signal },
    ): Promise<CardData | typeof initialState> => {
      if (!client || !crm || !clientId) return initialState;
      const [info, detail, bookings] = await Promise.all([
        crmInfo(client, crm, signal),
        client.getClient(crm, clientId, { signal }),
        client.listBookings(crm, clientId, bookingsQuery(pageSize(limit)), { signal }),
      ]);
      return { crm: info, detail, bookings };
    },
    args: () =>
      [this.crmConfig?.client, this.crmConfig?.crm, this.clientId, this.bookingsPageSize] as const,
    onError: (error) => reportError(this, error),
  });

  #history = new BookingHistory(this, () => pageSize(this.bookingsPageSize));
  /**
   * The alerts editor, the rhythm and attendance strip, and the tags editor: their code loads
   * with the first client, beside its data (lazy chunks in the standalone bundle). Until then
   * the tags section says it is loading; a failed download says so. (No Retry: the browser
   * keeps a module that failed to load as failed until the page is reloaded.)
   */
  #alerts?: AlertsEditor;
  #insight?: ClientInsight;
  #tags?: TagsEditor;
  #partsLoading = false;
  @state() private partsError: unknown;

  #loadParts() {
    this.#partsLoading = true;
    Promise.all([
      import('./alerts-editor.js'),
      import('./client-insight.js'),
      import('./tags-editor.js'),
    ]).then(
      ([alerts, insight, tags]) => {
        this.#alerts = new alerts.AlertsEditor(this);
        this.#insight = new insight.ClientInsight(this, () => this.#scope);
        this.#tags = new tags.TagsEditor(this);
        // The next update gives them the client.
        this.#synced = undefined;
        this.requestUpdate();
      },
      (error: unknown) => {
        this.partsError = error;
        reportError(this, error);
      },
    );
  }

  /**
   * The compose and merge dialogs: few users open them, so their code loads on the first
   * click (a lazy chunk beside the standalone bundle), and the dialog opens when it is in.
   */
  #compose?: ComposeDialog;
  #merge?: MergeDialog;

  async #openCompose() {
    const module = await this.#load(() => import('./compose-dialog.js'));
    if (!module) return;
    this.#compose ??= new module.ComposeDialog(this, {
      detail: () => this.#detail,
      opener: () => this.renderRoot.querySelector<HTMLElement>('#message-button'),
      onSent: (scope) => {
        this.notice = `Message sent to ${this.#detail?.name ?? 'the client'}.`;
        emit(this, 'mm-message-sent', { clientId: scope.clientId });
        void this.#refresh(scope);
      },
    });
    this.#compose.open();
  }

  /**
   * A dialog's code; a failed download (offline) is reported. The browser keeps a module that
   * failed to load as failed until the page is reloaded, so the message says to reload.
   */
  async #load<T>(load: () => Promise<T>): Promise<T | undefined> {
    try {
      return await load();
    } catch (error) {
      reportError(this, error);
      this.notice = 'Could not load this form. Check your connection and reload the page.';
      return undefined;
    }
  }

  async #openMerge(scope: CardScope) {
    const module = await this.#load(() => import('./merge-dialog.js'));
    if (!module) return;
    this.#merge ??= new module.MergeDialog(this, {
      detail: () => this.#detail,
      opener: () => this.renderRoot.querySelector<HTMLElement>('#merge-button'),
      onRequested: (other: ClientSummary) => {
        this.notice = `Merge requested for ${this.#detail?.name ?? 'this client'} and ${other.name}: support will review it.`;
      },
    });
    this.#merge.open(scope);
  }

  /** The loaded data when it is about the current client. */
  get #current(): CardData | undefined {
    const value = this.#data.value;
    return value && value.detail.id === this.clientId ? value : undefined;
  }

  /** The client's details: re-read after a message, else as loaded. */
  get #detail(): ClientDetail | undefined {
    const loaded = this.#current?.detail;
    if (!loaded) return undefined;
    return this.refreshed?.id === loaded.id ? this.refreshed : loaded;
  }

  get #scope(): CardScope | undefined {
    const config = this.crmConfig;
    if (!config?.client || !this.clientId) return undefined;
    return { client: config.client, crm: config.crm, clientId: this.clientId };
  }

  /** Re-reads the client after a message, for fresh "last message" stats. */
  async #refresh(scope: CardScope) {
    try {
      const detail = await scope.client.getClient(scope.crm, scope.clientId);
      if (detail.id === this.clientId) this.refreshed = detail;
    } catch {
      // The message was sent; stale stats are not worth an error.
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('clientId') && changed.get('clientId') !== undefined) {
      this.#history.start();
      this.#compose?.reset();
      this.#merge?.reset();
      this.#loaded = undefined;
      this.refreshed = undefined;
      this.notice = '';
    }
    const loaded = this.#current;
    if (loaded && loaded !== this.#loaded) {
      // A (re)load: the first page of bookings is new, later ones and re-read stats are stale.
      this.#history.start(loaded.bookings);
      this.#loaded = loaded;
      this.refreshed = undefined;
    }
    if (!this.#partsLoading && this.#scope) this.#loadParts();
    const detail = this.#detail;
    if (detail && detail !== this.#synced && this.#tags) {
      this.#synced = detail;
      this.#tags.sync(detail);
      this.#alerts!.sync(detail);
    }
  }

  override render() {
    const pending = this.#data.status === TaskStatus.PENDING;
    return html`<div class="card" aria-busy=${pending ? 'true' : 'false'}>${this.#body()}</div>`;
  }

  #body() {
    // Nothing to ask for: say why, whatever the task is doing (it makes no request).
    const gate = this.signInGate();
    if (gate) return gate;
    const config = this.crmConfig;
    if (!this.clientId) return this.#message('Select a client to see their profile.');
    if (!config) {
      return this.#message(
        'Not configured: set api-base and crm, or place this element in an <mm-crm-provider>.',
      );
    }
    if (!config.client) return this.#message(errorMessage({ code: 'no_token' }));
    switch (this.#data.status) {
      case TaskStatus.ERROR:
        return this.#error(this.#data.error);
      case TaskStatus.INITIAL:
      case TaskStatus.PENDING:
      case TaskStatus.COMPLETE:
        return this.#current ? this.#card(this.#current) : this.#skeleton();
    }
  }

  #message(text: string) {
    return html`<p class="message muted">${text}</p>`;
  }

  #error(error: unknown) {
    const code = error instanceof CrmApiError ? error.code : undefined;
    if (code === 'not_found') {
      return html`<div class="message" part="error" role="alert">
        <p class="error">
          Client not found: they may have been removed, or they belong to another CRM.
        </p>
      </div>`;
    }
    if (code === 'unauthenticated' || code === 'no_token' || code === 'insufficient_scope') {
      return errorView(error);
    }
    return errorView(error, () => void this.#data.run());
  }

  #skeleton() {
    return html`<div class="skeleton-card">
      <span class="visually-hidden">Loading the client…</span>
      <div class="header" part="header" aria-hidden="true">
        <span class="avatar skeleton"></span>
        <div class="who">
          <div class="skeleton" style="width: 12em; height: 1.4em"></div>
          <div class="skeleton" style="width: 16em"></div>
        </div>
      </div>
      <div class="stats" aria-hidden="true">
        ${[1, 2, 3, 4].map(() => html`<div class="stat skeleton" style="height: 3.5em"></div>`)}
      </div>
      <div class="skeleton" aria-hidden="true" style="height: 8em"></div>
    </div>`;
  }

  #card({ crm }: CardData) {
    const detail = this.#detail!;
    const locale = this.crmConfig?.locale;
    const now = this.now ?? Date.now();
    const erased = detail.erased;
    const name = erased ? ERASED_NAME : detail.name;
    const scope = this.#scope;
    return html`
      <header class="header" part="header">
        ${
          erased
            ? html`<span class="avatar" part="avatar" aria-hidden="true">–</span>`
            : avatar(detail.name, detail.avatarUrl)
        }
        <div class="who">
          <h2 class="name" part="name">${name}</h2>
          ${
            erased
              ? html`<p class="muted">Personal data erased at the client's request.</p>`
              : html`<p class="contact">
                  ${
                    detail.email
                      ? html`<span class="email"
                          ><span class="visually-hidden">Email: </span>${
                            // a line break after "@" or a dot rather than mid-word
                            detail.email.split(/(?<=[@.])/).map((p) => html`${p}<wbr />`)
                          }</span
                        >`
                      : nothing
                  }
                  ${
                    detail.phone
                      ? html`<span class="phone"
                          ><span class="visually-hidden">Phone: </span>${detail.phone}</span
                        >`
                      : nothing
                  }
                </p>`
          }
        </div>
        <div class="status">
          <span class="visually-hidden">Status: </span>${statusPill(detail.status)}
          ${
            detail.growing
              ? html`<span class="pill growing" title="3 to 5 bookings: close to becoming a regular"
                  >Growing</span
                >`
              : nothing
          }
        </div>
      </header>
      ${
        this.partsError
          ? html`<div class="message" part="error" role="alert">
              <p class="error">
                Could not load the alerts, attendance and tags of this card. Check your connection
                and reload the page.
              </p>
            </div>`
          : this.#alerts?.render(scope, locale, erased)
      }
      ${this.#stats(detail, locale, now, crm.timeZone)} ${this.#insight?.render(detail, locale)}
      <slot name="notes"></slot>
      <div class="actions" part="actions">
        <button
          id="message-button"
          type="button"
          class="primary"
          aria-haspopup="dialog"
          ?disabled=${erased || !scope}
          aria-describedby=${erased ? 'erased-reason' : nothing}
          @click=${() => this.#openCompose()}
        >
          Message
        </button>
        <button
          id="merge-button"
          type="button"
          aria-haspopup="dialog"
          ?disabled=${erased || !scope}
          aria-describedby=${erased ? 'erased-reason' : nothing}
          @click=${() => scope && this.#openMerge(scope)}
        >
          Request merge
        </button>
        ${signOutButton(this.signIn)}
        ${erased ? html`<p id="erased-reason" class="muted small">${ERASED_REASON}</p>` : nothing}
      </div>
      <p class="notice" part="status" role="status">${this.notice}</p>
      ${
        this.#tags
          ? this.#tags.render(
              scope,
              erased ? 'Tags are removed with the personal data.' : undefined,
            )
          : html`<section
              class="tags"
              part="tags"
              aria-labelledby="tags-title"
              aria-busy=${this.partsError ? 'false' : 'true'}
            >
              <h3 id="tags-title">Tags</h3>
              <p class="muted">${this.partsError ? 'Not loaded.' : 'Loading…'}</p>
            </section>`
      }
      ${this.#history.render(
        { studio: crm.kind === 'studio', locale, now, timeZone: crm.timeZone },
        scope,
      )}
      ${erased ? nothing : this.#compose?.render(scope, locale)}
      ${erased ? nothing : this.#merge?.render(scope)}
    `;
  }

  #stats(detail: ClientDetail, locale: string | undefined, now: number, timeZone: string) {
    /**
     * `none`: the value says there is nothing (Never, None booked), in a lighter type. `wide`:
     * a row of its own, for a value that is a date and a time.
     */
    const stat = (
      label: string,
      value: unknown,
      { sub, none = false, wide = false }: { sub?: unknown; none?: boolean; wide?: boolean } = {},
    ) =>
      html`<div class="stat ${wide ? 'wide-stat' : ''}" part="stat">
        <dt>${label}</dt>
        <dd>
          <span class="value ${none ? 'none' : ''}">${value}</span>
          ${sub ? html`<span class="sub muted">${sub}</span>` : nothing}
        </dd>
      </div>`;
    const date = (iso: string) =>
      html`<time datetime=${iso}>${formatDate(iso, locale, timeZone)}</time>`;
    const ago = (iso: string) => formatRelative(iso, now, locale, { timeZone });
    const since = (iso: string | null, value: (iso: string) => unknown, empty: string) =>
      iso ? { value: value(iso), sub: date(iso) } : { value: empty, none: true };
    const { firstBookingAt: first, lastAttendedAt: attended, messages } = detail;
    const next = detail.nextBookingAt;
    const zone = differsFromViewer(timeZone, now) ? ` · ${timeZone}` : '';
    const attendedStat = since(attended, ago, 'Never');
    const firstStat = since(first, (iso) => formatDuration(iso, now, locale), 'No bookings');
    const messageStat = since(messages.lastSentAt, ago, 'Never');
    // What a teacher reads before a class comes first: when they come next, when they last came.
    return html`<section aria-labelledby="stats-title">
      <h3 id="stats-title" class="visually-hidden">Quick stats</h3>
      <dl class="stats" part="stats">
        ${
          next
            ? stat(
                'Next class',
                html`<time datetime=${next}>${formatClassTime(next, locale, timeZone)}</time>`,
                { sub: `${ago(next)}${zone}`, wide: true },
              )
            : stat('Next class', 'None booked', { none: true })
        }
        ${stat('Last attended', attendedStat.value, attendedStat)}
        ${stat('Total bookings', detail.totalBookings)}
        ${stat('Total spend', formatMoney(detail.lifetimeSpend, locale))}
        ${stat('Average per booking', formatMoney(detail.averageSpend, locale))}
        ${stat('Since first booking', firstStat.value, firstStat)}
        ${stat('Last message', messageStat.value, messageStat)}
        ${stat('Messages in the last 90 days', messages.sentLast90Days)}
      </dl>
    </section>`;
  }
}

const pageSize = (n: number) => (Number.isInteger(n) && n >= 1 && n <= 200 ? n : 20);
