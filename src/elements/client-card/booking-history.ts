/**
 * The booking history of `<mm-client-card>`: a table, oldest to newest, with a "Show more"
 * button that loads the next page of the cursor-paginated history.
 */
import { html, nothing } from 'lit';
import type { Booking, BookingPage, BookingStatus, PaymentStatus } from '../../api/schemas.js';
import { CursorPager } from '../../shared/cursor-pager.js';
import { formatDate, formatMoney, formatTime } from '../../shared/format.js';
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
}

export class BookingHistory {
  #scope?: CardScope;
  readonly #pages: CursorPager<Booking>;

  constructor(
    private readonly host: CardHost,
    pageSize: () => number,
  ) {
    this.#pages = new CursorPager(host, (cursor, signal) => {
      const { client, crm, clientId } = this.#scope!;
      return client.listBookings(crm, clientId, { limit: pageSize(), cursor }, { signal });
    });
  }

  /** Takes the first page, loaded with the client; none: forgets the bookings shown. */
  start(first?: BookingPage): void {
    this.#pages.start(first);
  }

  async loadMore(scope: CardScope): Promise<void> {
    this.#scope = scope;
    const firstNew = this.#pages.items.length;
    if (await this.#pages.loadMore()) {
      await this.host.updateComplete;
      // Focus the first new row, so that keyboard and screen reader users read on from there.
      this.host.shadowRoot?.querySelector<HTMLElement>(`tr[data-index="${firstNew}"]`)?.focus();
    }
  }

  render(view: HistoryView, scope: CardScope | undefined) {
    const { studio, locale, now } = view;
    const { items, next, error, loading } = this.#pages;
    return html`<section class="bookings" part="bookings">
      ${
        items.length
          ? html`<div
              class="table-scroll"
              tabindex="0"
              role="region"
              aria-labelledby="bookings-title"
            >
              <table>
                <caption>
                  <h3 id="bookings-title">Booking history</h3>
                  <span class="muted caption-note"
                    >Oldest first · ${items.length === 1 ? '1 booking' : `${items.length} bookings`}
                    shown</span
                  >
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col">Date</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="wide">Payment</th>
                    <th scope="col" class="num">Amount</th>
                    <th scope="col" class="wide">Location</th>
                    ${studio ? html`<th scope="col" class="wide">Teacher</th>` : nothing}
                  </tr>
                </thead>
                <tbody>
                  ${items.map((b, i) => this.#row(b, i, studio, locale, now))}
                </tbody>
              </table>
            </div>`
          : html`<h3 id="bookings-title">Booking history</h3>
              <p class="muted">No bookings yet.</p>`
      }
      ${
        error
          ? html`<p class="error" role="alert">
              Could not load more bookings. ${errorMessage(error)}
            </p>`
          : nothing
      }
      ${
        next
          ? html`<button
              type="button"
              class="more"
              ?disabled=${loading || !scope}
              aria-describedby="bookings-title"
              @click=${() => scope && void this.loadMore(scope)}
            >
              ${loading ? 'Loading…' : error ? 'Try again' : 'Show more bookings'}
            </button>`
          : nothing
      }
    </section>`;
  }

  #row(b: Booking, index: number, studio: boolean, locale: string | undefined, now: number) {
    const upcoming = b.status === 'booked' && Date.parse(b.startsAt) > now;
    return html`<tr data-index=${index} tabindex="-1" data-status=${b.status}>
      <th scope="row">
        <span class="class-title">${b.classTitle}</span>
        <span class="narrow muted"
          >${studio ? `${b.location} · ${b.teacher.name}` : b.location}</span
        >
      </th>
      <td>
        <time datetime=${b.startsAt}
          ><span class="nowrap">${formatDate(b.startsAt, locale)}</span>
          <span class="nowrap muted">${formatTime(new Date(b.startsAt), locale)}</span></time
        >
      </td>
      <td>
        <span class="booking-status" data-status=${b.status}
          >${BOOKING_STATUS_LABEL[b.status]}${upcoming ? ' (upcoming)' : ''}</span
        >
        <span class="narrow">${PAYMENT_STATUS_LABEL[b.payment.status]}</span>
      </td>
      <td class="wide">${PAYMENT_STATUS_LABEL[b.payment.status]}</td>
      <td class="num">
        ${formatMoney(b.payment.amount, locale)}
        ${
          b.payment.refunded.amountMinor > 0
            ? html`<span class="refunded"
                >Refunded ${formatMoney(b.payment.refunded, locale)}</span
              >`
            : nothing
        }
      </td>
      <td class="wide">${b.location}</td>
      ${studio ? html`<td class="wide">${b.teacher.name}</td>` : nothing}
    </tr>`;
  }
}
