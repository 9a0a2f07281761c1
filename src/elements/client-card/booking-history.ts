/**
 * The booking history of `<mm-client-card>`: a table that opens on the most recent page of
 * the history (asked for newest first, shown oldest to newest), with "Show earlier bookings"
 * above it that adds the page before. Class times are in the CRM's time zone, named once
 * when it is not the viewer's. In a narrow card each booking is two lines (class and time,
 * then status, payment and amount): nothing scrolls sideways.
 */
import { html, nothing } from 'lit';
import type { Booking, BookingPage, BookingStatus, PaymentStatus } from '../../api/schemas.js';
import { CursorPager } from '../../shared/cursor-pager.js';
import { differsFromViewer, formatDate, formatMoney, formatTime } from '../../shared/format.js';
import { errorMessage } from '../../shared/ui.js';
import type { CardHost, CardScope } from './card-shared.js';

export const BOOKING_STATUS_LABEL: Record<BookingStatus, string> = {
  booked: 'Booked',
  completed: 'Completed',
  no_show: 'No-show',
  cancelled: 'Cancelled',
};

export const PAYMENT_STATUS_LABEL: Record<PaymentStatus, string> = {
  unpaid: 'Unpaid',
  paid: 'Paid',
  refunded: 'Refunded',
  partially_refunded: 'Partially refunded',
};

export interface HistoryView {
  /** Studio CRM: a Teacher column. */
  studio: boolean;
  locale: string | undefined;
  now: number;
  /** The CRM's IANA time zone: class times are shown in it. */
  timeZone: string | undefined;
}

/** The history's page request: newest first, so that the first page is the most recent. */
export const bookingsQuery = (limit: number, cursor?: string) =>
  ({ order: 'desc', limit, ...(cursor ? { cursor } : {}) }) as const;

export class BookingHistory {
  #scope?: CardScope;
  /** The bookings loaded, newest first (as the API pages them); shown reversed. */
  readonly #pages: CursorPager<Booking>;

  constructor(
    private readonly host: CardHost,
    pageSize: () => number,
  ) {
    this.#pages = new CursorPager(host, (cursor, signal) => {
      const { client, crm, clientId } = this.#scope!;
      return client.listBookings(crm, clientId, bookingsQuery(pageSize(), cursor), { signal });
    });
  }

  /** Takes the most recent page, loaded with the client; none: forgets the bookings shown. */
  start(newest?: BookingPage): void {
    this.#pages.start(newest);
  }

  /** Adds the page before the earliest booking shown, and moves focus to its first row. */
  async loadEarlier(scope: CardScope): Promise<void> {
    this.#scope = scope;
    const shown = this.#pages.items.length;
    if (await this.#pages.loadMore()) {
      // The earliest booking of the new page is the first row now: reading goes on from it,
      // down through the new rows into the ones already read.
      const first = this.#pages.items.at(-1);
      if (this.#pages.items.length === shown || !first) return;
      await this.host.updateComplete;
      this.host.shadowRoot
        ?.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(first.id)}"]`)
        ?.focus();
    }
  }

  render(view: HistoryView, scope: CardScope | undefined) {
    const { studio, locale, now, timeZone } = view;
    const { next, error, loading } = this.#pages;
    const items = [...this.#pages.items].reverse();
    const count = items.length === 1 ? '1 booking' : `${items.length} bookings`;
    const zone = timeZone && differsFromViewer(timeZone, now) ? timeZone : undefined;
    return html`<section class="bookings" part="bookings" aria-labelledby="bookings-title">
      <div class="bookings-head">
        <h3 id="bookings-title">Booking history</h3>
        ${
          items.length
            ? html`<span class="muted caption-note" id="bookings-note"
                >${next ? `The ${items.length} most recent, oldest first` : `${count}, oldest first`}${
                  zone ? html` · <span class="zone">Times in ${zone}</span>` : nothing
                }</span
              >`
            : nothing
        }
      </div>
      ${
        next
          ? html`<button
              type="button"
              class="more"
              ?disabled=${loading || !scope}
              aria-describedby="bookings-title"
              @click=${() => scope && void this.loadEarlier(scope)}
            >
              ${loading ? 'Loading…' : error ? 'Try again' : 'Show earlier bookings'}
            </button>`
          : nothing
      }
      ${
        error
          ? html`<p class="error" role="alert">
              Could not load earlier bookings. ${errorMessage(error)}
            </p>`
          : nothing
      }
      ${
        items.length
          ? html`<table
              role="table"
              aria-labelledby="bookings-title"
              aria-describedby="bookings-note"
            >
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader">Class</th>
                  <th scope="col" role="columnheader">Date</th>
                  <th scope="col" role="columnheader">Status</th>
                  <th scope="col" role="columnheader" class="wide">Payment</th>
                  <th scope="col" role="columnheader" class="num">Amount</th>
                  <th scope="col" role="columnheader" class="wide">Location</th>
                  ${
                    studio
                      ? html`<th scope="col" role="columnheader" class="wide">Teacher</th>`
                      : nothing
                  }
                </tr>
              </thead>
              <tbody role="rowgroup">
                ${items.map((b) => this.#row(b, studio, locale, now, timeZone))}
              </tbody>
            </table>`
          : html`<p class="muted">No bookings yet.</p>`
      }
    </section>`;
  }

  #row(
    b: Booking,
    studio: boolean,
    locale: string | undefined,
    now: number,
    timeZone: string | undefined,
  ) {
    const upcoming = b.status === 'booked' && Date.parse(b.startsAt) > now;
    const payment = PAYMENT_STATUS_LABEL[b.payment.status];
    // Explicit roles: the narrow layout changes how the cells display, not what they are.
    return html`<tr role="row" data-id=${b.id} tabindex="-1" data-status=${b.status}>
      <th scope="row" role="rowheader" class="class">
        <span class="class-title">${b.classTitle}</span>
        <span class="narrow muted where"
          >${studio ? `${b.location} · ${b.teacher.name}` : b.location}</span
        >
      </th>
      <td role="cell" class="when">
        <time datetime=${b.startsAt}
          ><span class="nowrap">${formatDate(b.startsAt, locale, timeZone)}</span>
          <span class="nowrap muted"
            >${formatTime(new Date(b.startsAt), locale, timeZone)}</span
          ></time
        >
      </td>
      <td role="cell" class="state">
        <span class="booking-status" data-status=${b.status}
          >${BOOKING_STATUS_LABEL[b.status]}${upcoming ? ' (upcoming)' : ''}</span
        >
        <span class="narrow payment">${payment}</span>
      </td>
      <td role="cell" class="wide">${payment}</td>
      <td role="cell" class="num">
        <span class="nowrap">${formatMoney(b.payment.amount, locale)}</span>
        ${
          b.payment.refunded.amountMinor > 0
            ? html`<span class="refunded nowrap"
                >Refunded ${formatMoney(b.payment.refunded, locale)}</span
              >`
            : nothing
        }
      </td>
      <td role="cell" class="wide">${b.location}</td>
      ${studio ? html`<td role="cell" class="wide">${b.teacher.name}</td>` : nothing}
    </tr>`;
  }
}
