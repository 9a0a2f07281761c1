/**
 * The attendance section of `<mm-client-card>` (SPEC section 8): the client's rhythm in words
 * ("Usually every week · last attended 19 days ago", and "Slipping" when they are overdue
 * for it) and the last 12 months as a strip (attendance-strip.ts), loaded on its own so that
 * a slow or failed request shows in this section only, with a Retry.
 *
 * Loaded by the card after its first client (in the standalone bundle, a chunk of its own
 * beside `mm-crm.js`): its styles come with it, adopted into the card's shadow root.
 */
import { initialState, Task } from '@lit/task';
import { css, html, nothing } from 'lit';
import { getAttendance } from '../../api/attendance.js';
import type { CrmClient } from '../../api/client.js';
import type { Attendance, ClientDetail } from '../../api/schemas.js';
import { formatCount } from '../../shared/format.js';
import { reportError } from '../../shared/report-error.js';
import { errorMessage } from '../../shared/ui.js';
import { attendanceStrip, stripStyles } from './attendance-strip.js';
import type { CardHost, CardScope } from './card-shared.js';

/** Months the strip shows. */
export const STRIP_MONTHS = 12;

const styles = css`
  .insight {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
  }
  .insight-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 4px var(--_space);
  }
  .pill.slipping {
    color: var(--_warning);
  }
  .strip-skeleton {
    height: calc(56px + 1.2em);
  }
  .insight .message {
    padding: 0;
    text-align: start;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
`;

const days = (n: number, locale?: string) =>
  n === 0 ? 'today' : n === 1 ? 'yesterday' : `${formatCount(n, locale)} days ago`;

/**
 * The usual gap as a person says it: the server's median can be a half day (an even number
 * of gaps), so it is rounded to whole days, and said in weeks when within a day of 1 to 4
 * weeks ("week", "2 weeks"; 14.5 -> "2 weeks", 15.5 -> "16 days", 5.5 -> "6 days").
 */
export function gapText(gap: number, locale?: string): string {
  const weeks = Math.round(gap / 7);
  if (weeks >= 1 && weeks <= 4 && Math.abs(gap - 7 * weeks) <= 1) {
    return weeks === 1 ? 'week' : `${formatCount(weeks, locale)} weeks`;
  }
  const d = Math.max(1, Math.round(gap));
  return d === 1 ? 'day' : `${formatCount(d, locale)} days`;
}

/**
 * The rhythm in words: "Usually every week · last attended 19 days ago"; without a rhythm
 * (fewer than 4 attended sessions in the last 365 days) or without any attended session, says
 * so.
 */
export function rhythmText(
  { typicalGapDays: gap, daysSinceAttended: since }: ClientDetail,
  locale?: string,
): string {
  if (since === null) return 'Has not attended a class yet.';
  const last = `attended ${days(since, locale)}`;
  if (gap === null) return `Last ${last} · too few classes in the last year for a usual rhythm`;
  return `Usually every ${gapText(gap, locale)} · last ${last}`;
}

/**
 * SPEC section 8's segment, from the detail: not lapsed, a rhythm, more than twice the usual
 * gap (at least 14 days) since the last class, and nothing booked.
 */
export const isSlipping = (d: ClientDetail) =>
  d.status !== 'lapsed' &&
  d.typicalGapDays !== null &&
  d.daysSinceAttended !== null &&
  d.daysSinceAttended > Math.max(2 * d.typicalGapDays, 14) &&
  !d.nextBookingAt;

type Args = readonly [CrmClient | undefined, string | undefined, string | undefined];

export class ClientInsight {
  readonly #attendance: Task<Args, Attendance | typeof initialState>;

  constructor(host: CardHost, scope: () => CardScope | undefined) {
    const root = host.shadowRoot;
    for (const sheet of [styles.styleSheet, stripStyles.styleSheet]) {
      if (root && sheet) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    }
    this.#attendance = new Task(host, {
      task: async ([client, crm, clientId], { signal }) =>
        client && crm && clientId
          ? getAttendance(client, crm, clientId, STRIP_MONTHS, { signal })
          : initialState,
      args: (): Args => {
        const s = scope();
        return [s?.client, s?.crm, s?.clientId];
      },
      onError: (error) => reportError(host, error),
    });
  }

  render(detail: ClientDetail, locale: string | undefined) {
    const slipping = isSlipping(detail);
    return html`<section class="insight" part="insight" aria-labelledby="insight-title">
      <div class="insight-head">
        <h3 id="insight-title">Attendance</h3>
        ${
          slipping
            ? html`<span
                class="pill slipping"
                title="More than twice their usual gap since the last class, and nothing booked"
                ><span aria-hidden="true">↘</span>Slipping</span
              >`
            : nothing
        }
      </div>
      <p
        class="rhythm"
        part="rhythm"
        title=${
          detail.typicalGapDays === null
            ? nothing
            : `Median gap between classes: ${formatCount(detail.typicalGapDays, locale)} days`
        }
      >
        ${rhythmText(detail, locale)}
      </p>
      ${this.#attendance.render({
        initial: () => this.#skeleton(),
        pending: () => this.#skeleton(),
        complete: (value) =>
          value === initialState ? nothing : attendanceStrip(value.months, locale),
        error: (error) =>
          html`<div class="message" part="error" role="alert">
            <p class="error small">Could not load the attendance: ${errorMessage(error)}</p>
            <button type="button" @click=${() => void this.#attendance.run()}>Retry</button>
          </div>`,
      })}
    </section>`;
  }

  #skeleton() {
    return html`<div class="strip-skeleton skeleton" aria-busy="true">
      <span class="visually-hidden">Loading the attendance…</span>
    </div>`;
  }
}
