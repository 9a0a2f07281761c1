/**
 * The compose dialog of `<mm-client-card>`: a modal `<dialog>` (the platform traps focus and
 * closes it on Escape) with subject and body, their limits, a warning before a fourth
 * message in 90 days that needs an explicit confirmation, and the failure shown with the
 * user's text kept.
 */
import { TaskStatus, type Task } from '@lit/task';
import { css, html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { LIMITS, type ClientDetail, type MessageCreate } from '../../api/schemas.js';
import { action } from '../../shared/action.js';
import {
  actionError,
  CardDialog,
  charCount,
  fieldMessage,
  hasControlChars,
  ordinal,
  type CardHost,
  type CardScope,
} from './card-shared.js';
import { formatCount } from '../../shared/format.js';

export function subjectProblem(subject: string): string | undefined {
  const n = charCount(subject);
  if (!n) return 'Enter a subject.';
  if (n > LIMITS.subjectMaxChars)
    return `A subject is at most ${LIMITS.subjectMaxChars} characters.`;
  if (hasControlChars(subject.trim()))
    return 'A subject cannot contain tabs or other control characters.';
  return undefined;
}

export function bodyProblem(body: string): string | undefined {
  const n = charCount(body);
  if (!n) return 'Write a message.';
  if (n > LIMITS.messageBodyMaxChars) {
    return `A message is at most ${formatCount(LIMITS.messageBodyMaxChars, 'en')} characters.`;
  }
  return undefined;
}

/** True when sending one more would go past "1-3 per quarter". */
export const overQuarterlyGuide = (detail: ClientDetail) =>
  detail.messages.sentLast90Days >= LIMITS.messagesPerQuarter;

export interface ComposeOptions {
  /** The client's details now (name, messages sent). */
  detail: () => ClientDetail | undefined;
  /** Called after the server accepted the message. */
  onSent: (scope: CardScope) => void;
  /** Where focus goes when the dialog closes. */
  opener: () => HTMLElement | null | undefined;
}

/** Its own styles, adopted with the chunk (not in the card's, in the main bundle). */
const styles = css`
  .warning-box {
    border: 1px solid var(--_warning);
    border-radius: calc(var(--_radius) - 2px);
    padding: var(--_space) calc(var(--_space) * 1.5);
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
`;

export class ComposeDialog extends CardDialog {
  subject = '';
  body = '';
  /** The user confirmed a message beyond the quarterly guide. */
  confirmed = false;
  /** Fields the user has left (empty-field messages show from then on). */
  touched = new Set<'subject' | 'body'>();
  submitted = false;
  /** The last failure, and the server's messages per field. */
  error = '';
  serverErrors: { subject?: string; body?: string } = {};
  readonly #send: Task<[CardScope, MessageCreate], unknown>;

  constructor(
    host: CardHost,
    private readonly options: ComposeOptions,
  ) {
    super(host, 'compose-dialog');
    const root = host.shadowRoot;
    if (root && styles.styleSheet) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet];
    }
    this.#send = action(
      host,
      ([scope, message], signal) =>
        scope.client.sendMessage(scope.crm, scope.clientId, message, { signal }),
      {
        done: (_, [scope]) => {
          this.reset();
          this.options.onSent(scope);
        },
        failed: (error) => {
          this.error = `Message not sent. ${actionError(error, 'message')} Your text is kept: try again when you are ready.`;
          this.serverErrors = {
            subject: fieldMessage(error, 'subject'),
            body: fieldMessage(error, 'body'),
          };
        },
      },
    );
  }

  get #sending(): boolean {
    return this.#send.status === TaskStatus.PENDING;
  }

  override hostDisconnected(): void {
    this.#send.abort();
  }

  /** Forgets the draft (another client, or after sending). */
  reset(): void {
    this.#send.abort();
    this.subject = '';
    this.body = '';
    this.confirmed = false;
    this.touched = new Set();
    this.submitted = false;
    this.error = '';
    this.serverErrors = {};
    this.close();
  }

  open(): void {
    this.error = '';
    this.show();
  }

  async #submit(event: SubmitEvent, scope: CardScope | undefined) {
    event.preventDefault();
    const detail = this.options.detail();
    if (!scope || !detail || this.#sending) return;
    this.submitted = true;
    const needsConfirm = overQuarterlyGuide(detail) && !this.confirmed;
    const invalid = subjectProblem(this.subject)
      ? '#compose-subject'
      : bodyProblem(this.body)
        ? '#compose-body'
        : needsConfirm
          ? '#compose-confirm'
          : undefined;
    if (invalid) {
      this.host.requestUpdate();
      await this.host.updateComplete;
      this.dialog?.querySelector<HTMLElement>(invalid)?.focus();
      return;
    }
    this.error = '';
    this.serverErrors = {};
    void this.#send.run([scope, { subject: this.subject.trim(), body: this.body }]);
  }

  #fieldMessage(field: 'subject' | 'body', problem: string | undefined): string | undefined {
    const server = this.serverErrors[field];
    if (server) return server;
    if (!problem) return undefined;
    const empty = charCount(field === 'subject' ? this.subject : this.body) === 0;
    return empty && !this.submitted && !this.touched.has(field) ? undefined : problem;
  }

  /** A labelled control with its character counter and its message. */
  #field(
    field: 'subject' | 'body',
    label: string,
    control: TemplateResult,
    max: number,
    message: string | undefined,
    locale: string | undefined,
  ) {
    const id = `compose-${field}`;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${control}
      <span id=${`${id}-count`} class="counter muted small"
        >${formatCount(charCount(this[field]), locale)} / ${formatCount(max, locale)}
        characters</span
      >
      <p id=${`${id}-msg`} class="error small">${message ?? ''}</p>
    </div>`;
  }

  render(scope: CardScope | undefined, locale: string | undefined) {
    const detail = this.options.detail();
    const name = detail?.name ?? 'this client';
    const subjectMsg = this.#fieldMessage('subject', subjectProblem(this.subject));
    const bodyMsg = this.#fieldMessage('body', bodyProblem(this.body));
    const warn = detail && overQuarterlyGuide(detail);
    const sent = detail?.messages.sentLast90Days ?? 0;
    const confirmMsg =
      warn && this.submitted && !this.confirmed
        ? 'Confirm to send this message anyway.'
        : undefined;
    const onInput = (field: 'subject' | 'body') => (e: Event) => {
      this[field] = (e.target as HTMLInputElement | HTMLTextAreaElement).value;
      this.serverErrors = { ...this.serverErrors, [field]: undefined };
      this.host.requestUpdate();
    };
    const onBlur = (field: 'subject' | 'body') => () => {
      this.touched.add(field);
      this.host.requestUpdate();
    };
    return html`<dialog
      id="compose-dialog"
      part="dialog"
      aria-labelledby="compose-title"
      aria-describedby="compose-about"
      @close=${() => this.options.opener()?.focus()}
    >
      <form novalidate @submit=${(e: SubmitEvent) => this.#submit(e, scope)}>
        <h2 id="compose-title">Message ${name}</h2>
        <p id="compose-about" class="muted small">
          Sent by email through MoveMentors. Replies go to your own email address.
        </p>
        ${
          warn
            ? html`<div class="warning-box" id="compose-warning">
                <p>
                  You've sent ${sent} ${sent === 1 ? 'message' : 'messages'} to ${name} in the last
                  90 days; 1-3 per quarter is the guide, and more can feel pushy. This would be the
                  ${ordinal(sent + 1)}.
                </p>
                <label class="check">
                  <span class="control"
                    ><input
                      id="compose-confirm"
                      type="checkbox"
                      .checked=${live(this.confirmed)}
                      aria-invalid=${confirmMsg ? 'true' : 'false'}
                      aria-describedby="compose-warning compose-confirm-msg"
                      @change=${(e: Event) => {
                        this.confirmed = (e.target as HTMLInputElement).checked;
                        this.host.requestUpdate();
                      }}
                  /></span>
                  <span class="choice">Send it anyway</span>
                </label>
                <p id="compose-confirm-msg" class="error small">${confirmMsg ?? ''}</p>
              </div>`
            : nothing
        }
        ${this.#field(
          'subject',
          'Subject',
          html`<input
            id="compose-subject"
            autofocus
            autocomplete="off"
            .value=${live(this.subject)}
            aria-invalid=${subjectMsg ? 'true' : 'false'}
            aria-describedby="compose-subject-count compose-subject-msg"
            @input=${onInput('subject')}
            @blur=${onBlur('subject')}
          />`,
          LIMITS.subjectMaxChars,
          subjectMsg,
          locale,
        )}
        ${this.#field(
          'body',
          'Message',
          html`<textarea
            id="compose-body"
            rows="8"
            .value=${live(this.body)}
            aria-invalid=${bodyMsg ? 'true' : 'false'}
            aria-describedby="compose-body-count compose-body-msg"
            @input=${onInput('body')}
            @blur=${onBlur('body')}
          ></textarea>`,
          LIMITS.messageBodyMaxChars,
          bodyMsg,
          locale,
        )}
        <p class="error" role="alert">${this.error}</p>
        <div class="dialog-buttons">
          <button type="button" @click=${() => this.close()}>Cancel</button>
          <button type="submit" class="primary" ?disabled=${this.#sending || !scope}>
            ${this.#sending ? 'Sending…' : 'Send message'}
          </button>
        </div>
      </form>
    </dialog>`;
  }
}
