import { Task, TaskStatus, initialState } from '@lit/task';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ClientAlert, CrmSummary, UserRef } from '../../api/schemas.js';
import {
  getSession,
  listSessions,
  type RosterEntry,
  type SessionDetail,
  type SessionSummary,
} from '../../api/sessions.js';
import { crmInfo, CrmElement, me } from '../../shared/crm-element.js';
import { emit } from '../../shared/emit.js';
import { differsFromViewer, formatDate, formatTime } from '../../shared/format.js';
import { hostStyles } from '../../shared/host-styles.js';
import { reportError } from '../../shared/report-error.js';
import { avatar, errorMessage, errorView, statusPill } from '../../shared/ui.js';
import { styles } from './session-roster.styles.js';

/** The teacher filter's value for every teacher's classes. */
const ALL = 'all';
/** Sessions per request; a week rarely has more, further pages follow. */
const PAGE = 200;
const ERASED_NAME = 'Deleted client';

interface SessionsData {
  crm: CrmSummary;
  /** The members who teach (studio), for the filter. */
  teachers: UserRef[];
  /** The filter in force: a teacher's id or `all`. */
  teacher: string;
  sessions: SessionSummary[];
}

/** One day of sessions, in the CRM's time zone. */
interface Day {
  key: string;
  label: string;
  sessions: SessionSummary[];
}

/**
 * Pre-class prep on one screen: the upcoming classes of the next 7 days grouped by day (in
 * the CRM's time zone), and the chosen class's roster with what to know about each client
 * beforehand: status, badges ("First class", "50th class", "Back after 9 weeks"), alerts and
 * the start of the notes. In a studio a teacher filter shows the signed-in teacher's classes
 * first, or "All teachers".
 *
 * Choosing a client fires `mm-client-select`, so a `<mm-client-card for="...">` and a
 * `<mm-client-notes for="...">` follow this element as they follow a list. The roster prints
 * on one page, in black and white (the Print button, or the browser's print).
 *
 * Keyboard: arrows move through the classes (the roster follows) and through the clients;
 * Enter or Space chooses a client.
 *
 * @summary Upcoming classes and each class's roster: badges, alerts and note excerpts.
 *
 * @fires mm-client-select - `{clientId}`: a client of the roster was chosen. `selectedClientId` is already set.
 * @fires mm-open-notes - `{clientId}`: "Open notes" was pressed (after `mm-client-select`), for a page to bring its notes into view.
 * @fires mm-error - `{code, status, detail}`: a request the user is waiting for failed.
 * @fires mm-auth-required - The token was refused even after asking `getToken` again.
 *
 * @csspart sessions - The list of upcoming classes.
 * @csspart teacher-filter - The teacher filter (studio).
 * @csspart day - A day's heading in the list of classes.
 * @csspart session - One class in the list (`aria-selected` on the chosen one).
 * @csspart roster - The chosen class's roster.
 * @csspart roster-header - The class's title, time, place and teacher, and the Print button.
 * @csspart print-button - The Print button.
 * @csspart client - One client of the roster.
 * @csspart avatar - A client's photo or initials.
 * @csspart client-button - A client's name, the button that chooses them.
 * @csspart pill - A client's status pill.
 * @csspart badge - A badge: "First class", "50th class", "Back after 9 weeks".
 * @csspart alert - One of a client's alerts.
 * @csspart note - The excerpt of a client's notes.
 * @csspart open-notes - The "Open notes" button.
 * @csspart error - An error message with its Retry button.
 *
 * @cssprop --mm-session-roster-bg - Background (default `--mm-color-bg`).
 * @cssprop --mm-session-roster-border - Border (default `1px solid --mm-color-border`).
 * @cssprop --mm-session-roster-padding - Space inside (default `16px`).
 * @cssprop --mm-session-roster-sessions-width - Width of the list of classes beside the roster (default `18rem`).
 * @cssprop --mm-session-roster-selected-bg - Background of the chosen class and client (default `--mm-color-surface`).
 * @cssprop --mm-session-roster-badge-bg - Background of a badge (default `--mm-color-surface`).
 * @cssprop --mm-session-roster-alert-fg - Text and border colour of an alert (default `--mm-color-warning`).
 * @cssprop --mm-session-roster-alert-bg - Background of an alert (default a tint of the alert colour).
 * @cssprop --mm-session-roster-avatar-size - Avatar size (default `40px`).
 */
export class MmSessionRoster extends CrmElement {
  static override styles = [hostStyles, styles];

  /**
   * Whose classes: a teacher's user id, or `all`. Default: the signed-in user's, when they
   * teach in this CRM, else every teacher's. A mentor CRM has only its owner's.
   */
  @property() teacher?: string;

  /** The class whose roster is shown; default the next one. */
  @property({ attribute: 'session-id' }) sessionId?: string;

  /** The client chosen in the roster (read by followers with `for=`). */
  @property({ attribute: false }) selectedClientId: string | null = null;

  /** The clock for "Today" and "Tomorrow" (ms since the epoch); the current time when unset. */
  @property({ attribute: false }) now?: number;

  /** The client row that holds the roster's tab stop. */
  @state() private activeClient = 0;

  #sessions = new Task(this, {
    task: async (
      [client, crm, teacher],
      { signal },
    ): Promise<SessionsData | typeof initialState> => {
      if (!client || !crm) return initialState;
      const [info, user] = await Promise.all([crmInfo(client, crm, signal), me(client, signal)]);
      const teachers = info.kind === 'studio' ? await client.listTeachers(crm, { signal }) : [];
      const own = teachers.some((t) => t.id === user.user.id) ? user.user.id : ALL;
      const chosen =
        info.kind !== 'studio'
          ? ALL
          : teacher === ALL || teachers.some((t) => t.id === teacher)
            ? teacher!
            : own;
      const sessions: SessionSummary[] = [];
      let cursor: string | undefined;
      do {
        const page = await listSessions(
          client,
          crm,
          {
            limit: PAGE,
            ...(chosen !== ALL ? { teacher: chosen } : {}),
            ...(cursor ? { cursor } : {}),
          },
          { signal },
        );
        sessions.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { crm: info, teachers, teacher: chosen, sessions };
    },
    args: () => [this.crmConfig?.client, this.crmConfig?.crm, this.teacher] as const,
    onError: (error) => reportError(this, error),
  });

  #roster = new Task(this, {
    task: async (
      [client, crm, sessionId],
      { signal },
    ): Promise<SessionDetail | typeof initialState> => {
      if (!client || !crm || !sessionId) return initialState;
      return getSession(client, crm, sessionId, { signal });
    },
    args: () => [this.crmConfig?.client, this.crmConfig?.crm, this.#chosenSessionId] as const,
    onError: (error) => reportError(this, error),
  });

  get #data(): SessionsData | undefined {
    return this.#sessions.value && this.#sessions.status !== TaskStatus.ERROR
      ? this.#sessions.value
      : undefined;
  }

  /** The class shown: the one asked for, else the next one. */
  get #chosenSessionId(): string | undefined {
    return this.sessionId ?? this.#data?.sessions[0]?.id;
  }

  get #detail(): SessionDetail | undefined {
    const value = this.#roster.value;
    return value && value.id === this.#chosenSessionId ? value : undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('sessionId')) this.activeClient = 0;
  }

  override render() {
    const busy =
      this.#sessions.status === TaskStatus.PENDING || this.#roster.status === TaskStatus.PENDING;
    return html`<div class="layout" aria-busy=${busy ? 'true' : 'false'}>${this.#body()}</div>`;
  }

  #body() {
    const config = this.crmConfig;
    if (!config) {
      return this.#message(
        'Not configured: set api-base and crm, or place this element in an <mm-crm-provider>.',
      );
    }
    if (!config.client) return this.#message(errorMessage({ code: 'no_token' }));
    if (this.#sessions.status === TaskStatus.ERROR) {
      return errorView(this.#sessions.error, () => void this.#sessions.run());
    }
    const data = this.#data;
    if (!data) return this.#skeleton();
    return html`${this.#sessionList(data)}${this.#rosterPane(data)}`;
  }

  #message(text: string) {
    return html`<p class="message muted" part="error">${text}</p>`;
  }

  #skeleton() {
    return html`<div class="sessions" part="sessions" aria-label="Loading classes">
      ${[0, 1, 2, 3].map(() => html`<div class="session skeleton-row"><div class="skeleton"></div></div>`)}
    </div>`;
  }

  // -- the list of classes --------------------------------------------------------------

  #sessionList(data: SessionsData) {
    const studio = data.crm.kind === 'studio';
    const chosen = this.#chosenSessionId;
    const days = groupByDay(data.sessions, data.crm.timeZone, this.locale, this.now ?? Date.now());
    return html`<section class="sessions" part="sessions" aria-labelledby="sessions-heading">
      <div class="toolbar">
        <h2 id="sessions-heading">Upcoming classes</h2>
        ${studio ? this.#teacherFilter(data) : nothing}
      </div>
      ${
        data.sessions.length === 0
          ? html`<p class="empty muted">No classes in the next 7 days</p>`
          : html`<div
              class="session-list"
              role="listbox"
              aria-labelledby="sessions-heading"
              @keydown=${this.#onSessionKey}
            >
              ${days.map(
                (day) =>
                  html`<div class="day-group" role="group" aria-label=${day.label}>
                    <div class="day" part="day" aria-hidden="true">${day.label}</div>
                    ${day.sessions.map((s) =>
                      this.#sessionOption(
                        s,
                        s.id === chosen,
                        studio && data.teacher === ALL,
                        data.crm,
                      ),
                    )}
                  </div>`,
              )}
            </div>`
      }
    </section>`;
  }

  #teacherFilter(data: SessionsData) {
    return html`<label class="filter">
      <span>Teacher</span>
      <select
        part="teacher-filter"
        @change=${(e: Event) => {
          this.teacher = (e.target as HTMLSelectElement).value;
          this.sessionId = undefined;
        }}
      >
        <option value=${ALL} ?selected=${data.teacher === ALL}>All teachers</option>
        ${data.teachers.map(
          (t) => html`<option value=${t.id} ?selected=${data.teacher === t.id}>${t.name}</option>`,
        )}
      </select>
    </label>`;
  }

  /** `teacher`: name the teacher (every teacher's classes are listed). */
  #sessionOption(s: SessionSummary, selected: boolean, teacher: boolean, crm: CrmSummary) {
    const time = formatTime(
      new Date(s.startsAt),
      this.locale,
      crm.timeZone,
      differsFromViewer(crm.timeZone, Date.parse(s.startsAt)),
    );
    return html`<div
      class="session"
      part="session"
      role="option"
      id=${`session-${s.id}`}
      data-session-id=${s.id}
      aria-selected=${selected ? 'true' : 'false'}
      tabindex=${selected ? 0 : -1}
      @click=${() => this.#chooseSession(s.id)}
    >
      <span class="time">${time}</span>
      <span class="what">
        <span class="title">${s.classTitle}</span>
        <span class="where muted small">${s.location}${teacher ? ` · ${s.teacher.name}` : ''}</span>
      </span>
      <span class="counts small">
        <span>${s.booked} booked</span>
        ${s.firstTimers ? html`<span class="first">${s.firstTimers} new</span>` : nothing}
        ${
          s.withAlerts
            ? html`<span class="alerting"
                ><span aria-hidden="true">⚠</span> ${s.withAlerts} with alerts</span
              >`
            : nothing
        }
      </span>
    </div>`;
  }

  #chooseSession(id: string, focus = false) {
    if (id !== this.#chosenSessionId) this.sessionId = id;
    if (focus) {
      void this.updateComplete.then(() =>
        this.renderRoot
          .querySelector<HTMLElement>(`[data-session-id="${CSS.escape(id)}"]`)
          ?.focus(),
      );
    }
  }

  #onSessionKey = (e: KeyboardEvent) => {
    const ids = this.#data?.sessions.map((s) => s.id) ?? [];
    const at = ids.indexOf(this.#chosenSessionId ?? '');
    const to = move(e.key, at, ids.length);
    if (to === undefined) return;
    e.preventDefault();
    this.#chooseSession(ids[to]!, true);
  };

  // -- the roster -----------------------------------------------------------------------

  #rosterPane(data: SessionsData) {
    if (data.sessions.length === 0 && !this.sessionId) return nothing;
    if (this.#roster.status === TaskStatus.ERROR) {
      return html`<section class="roster" part="roster">
        ${errorView(this.#roster.error, () => void this.#roster.run())}
      </section>`;
    }
    const detail = this.#detail;
    if (!detail) {
      return html`<section class="roster" part="roster" aria-label="Loading the roster">
        ${[0, 1, 2].map(() => html`<div class="client skeleton-row"><div class="skeleton"></div></div>`)}
      </section>`;
    }
    return this.#rosterView(detail, data.crm);
  }

  #rosterView(s: SessionDetail, crm: CrmSummary) {
    const when = `${formatDate(s.startsAt, this.locale, crm.timeZone)}, ${formatTime(
      new Date(s.startsAt),
      this.locale,
      crm.timeZone,
      differsFromViewer(crm.timeZone, Date.parse(s.startsAt)),
    )}`;
    const active = Math.min(this.activeClient, Math.max(0, s.roster.length - 1));
    return html`<section class="roster" part="roster" aria-labelledby="roster-heading">
      <header class="roster-header" part="roster-header">
        <div>
          <h2 id="roster-heading">${s.classTitle}</h2>
          <p class="muted">
            <time datetime=${s.startsAt}>${when}</time> · ${s.location} · ${s.teacher.name} ·
            ${s.booked} booked
          </p>
        </div>
        <button type="button" class="print" part="print-button" @click=${() => window.print()}>
          Print
        </button>
      </header>
      ${
        s.roster.length === 0
          ? html`<p class="empty muted">Nobody is booked in this class.</p>`
          : html`<ul
              class="clients"
              aria-label="Clients in this class"
              @keydown=${this.#onClientKey}
            >
              ${s.roster.map((entry, i) => this.#client(entry, i, i === active))}
            </ul>`
      }
    </section>`;
  }

  #client(entry: RosterEntry, index: number, active: boolean) {
    const c = entry.client;
    const name = c.erased ? ERASED_NAME : c.name;
    const chosen = c.id === this.selectedClientId;
    const tab = active ? 0 : -1;
    return html`<li class="client" part="client" data-client-id=${c.id} ?data-chosen=${chosen}>
      ${avatar(name, c.erased ? null : c.avatarUrl)}
      <div class="main">
        <div class="line">
          <button
            type="button"
            class="name"
            part="client-button"
            tabindex=${tab}
            data-index=${index}
            aria-current=${chosen ? 'true' : 'false'}
            @click=${() => this.#chooseClient(c.id, index)}
          >
            ${name}
          </button>
          ${statusPill(c.status)} ${badges(entry)}
        </div>
        ${entry.alerts.length ? this.#alerts(entry.alerts) : nothing}
        <div class="notes">
          ${
            entry.note
              ? html`<p class="note" part="note">${excerpt(entry.note.excerpt)}</p>`
              : html`<p class="note none muted">No notes yet.</p>`
          }
          ${
            c.erased
              ? nothing
              : html`<button
                  type="button"
                  class="open-notes"
                  part="open-notes"
                  tabindex=${tab}
                  aria-label=${`Open notes: ${name}`}
                  @click=${() => {
                    this.#chooseClient(c.id, index);
                    emit(this, 'mm-open-notes', { clientId: c.id });
                  }}
                >
                  Open notes
                </button>`
          }
        </div>
      </div>
    </li>`;
  }

  #alerts(alerts: ClientAlert[]) {
    return html`<ul class="alerts" aria-label="Alerts">
      ${alerts.map(
        (a) =>
          html`<li class="alert" part="alert">
            <span class="icon" aria-hidden="true">⚠</span>
            <span><span class="visually-hidden">Alert: </span>${a.text}</span>
            ${
              a.until
                ? html`<span class="until small"
                    >until ${formatDate(`${a.until}T12:00:00Z`, this.locale, 'UTC')}</span
                  >`
                : nothing
            }
          </li>`,
      )}
    </ul>`;
  }

  #chooseClient(clientId: string, index: number) {
    this.activeClient = index;
    this.selectedClientId = clientId;
    emit(this, 'mm-client-select', { clientId });
  }

  #onClientKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (!target.matches('button')) return;
    const count = this.#detail?.roster.length ?? 0;
    const to = move(e.key, this.activeClient, count);
    if (to === undefined) return;
    e.preventDefault();
    this.activeClient = to;
    // The same button of the next row (a deleted client has no Open notes: its name).
    const selector = target.classList.contains('open-notes') ? '.open-notes' : '.name';
    void this.updateComplete.then(() => {
      const row = this.renderRoot.querySelectorAll<HTMLElement>('.client')[to];
      (
        row?.querySelector<HTMLElement>(selector) ?? row?.querySelector<HTMLElement>('.name')
      )?.focus();
    });
  };
}

/** The index an arrow, Home or End key moves to from `at` among `count`; undefined for others. */
function move(key: string, at: number, count: number): number | undefined {
  if (count === 0) return undefined;
  switch (key) {
    case 'ArrowDown':
      return Math.min(count - 1, at + 1);
    case 'ArrowUp':
      return Math.max(0, at - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}

const ordinal = (n: number) => {
  const suffix = { one: 'st', two: 'nd', few: 'rd', other: 'th' } as const;
  const rule = new Intl.PluralRules('en', { type: 'ordinal' }).select(n) as keyof typeof suffix;
  return `${n}${suffix[rule] ?? 'th'}`;
};

/** "9 weeks" up to 12 weeks, then months, then years. */
export function awayFor(days: number): string {
  if (days < 84) return `${Math.round(days / 7)} weeks`;
  if (days < 365) return `${Math.round(days / 30.44)} months`;
  const years = Math.floor(days / 365);
  return years === 1 ? '1 year' : `${years} years`;
}

function badges(entry: RosterEntry): TemplateResult[] {
  const out: TemplateResult[] = [];
  const badge = (icon: string, text: string, kind: string) =>
    html`<span class="badge" part="badge" data-kind=${kind}
      ><span aria-hidden="true">${icon}</span>${text}</span
    >`;
  if (entry.firstTime) out.push(badge('✦', 'First class', 'first'));
  if (entry.milestone) out.push(badge('★', `${ordinal(entry.milestone)} class`, 'milestone'));
  if (entry.returningAfterDays !== null) {
    out.push(badge('↩', `Back after ${awayFor(entry.returningAfterDays)}`, 'returning'));
  }
  return out;
}

/** The excerpt, with an ellipsis when it is the whole 280 code points (the note goes on). */
const excerpt = (text: string) => (Array.from(text).length >= 280 ? `${text}…` : text);

/** Sessions by calendar day in the CRM's time zone, "Today" and "Tomorrow" named. */
function groupByDay(
  sessions: SessionSummary[],
  timeZone: string,
  locale: string | undefined,
  now: number,
): Day[] {
  const key = new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' });
  let label: Intl.DateTimeFormat;
  try {
    label = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
    });
  } catch {
    label = new Intl.DateTimeFormat(undefined, {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
    });
  }
  const today = key.format(now);
  const tomorrow = key.format(now + 86_400_000);
  const days: Day[] = [];
  for (const s of sessions) {
    const at = new Date(s.startsAt);
    const k = key.format(at);
    let day = days.at(-1);
    if (day?.key !== k) {
      const name = label.format(at);
      const prefix = k === today ? 'Today · ' : k === tomorrow ? 'Tomorrow · ' : '';
      day = { key: k, label: `${prefix}${name}`, sessions: [] };
      days.push(day);
    }
    day.sessions.push(s);
  }
  return days;
}
