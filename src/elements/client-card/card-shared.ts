/**
 * What the parts of `<mm-client-card>` share: the scope of a request (client, CRM, client
 * id) and the words for an action's failure.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CrmClient } from '../../api/client.js';
import { CrmApiError } from '../../api/errors.js';
import { errorMessage } from '../../shared/ui.js';

/** Who is asking about which client. */
export interface CardScope {
  client: CrmClient;
  crm: string;
  clientId: string;
}

export type CardHost = ReactiveControllerHost & HTMLElement;

const ACTIONS = {
  tags: { what: 'change tags', scope: 'crm:write' },
  message: { what: 'send messages', scope: 'crm:message' },
  merge: { what: 'request merges', scope: 'crm:write' },
  alerts: { what: 'change alerts', scope: 'crm:write' },
} as const;

/**
 * What the user reads when an action fails: a missing scope named, the server's own field
 * messages for a 400, otherwise the general message for the error's code.
 */
export function actionError(error: unknown, action: keyof typeof ACTIONS): string {
  const e = error instanceof CrmApiError ? error : undefined;
  if (e?.code === 'insufficient_scope') {
    const { what, scope } = ACTIONS[action];
    return `You do not have permission to ${what}: your access does not include the ${scope} scope.`;
  }
  if (e?.code === 'invalid_request' && e.fieldErrors.length) {
    return e.fieldErrors.map((f) => f.message).join(' ');
  }
  return errorMessage(error);
}

/** The server's message for one field of a 400 (`subject`, `tags.3`, ...). */
export function fieldMessage(error: unknown, field: string): string | undefined {
  if (!(error instanceof CrmApiError)) return undefined;
  return error.fieldErrors.find((f) => f.path === field || f.path.startsWith(`${field}.`))?.message;
}

/** Characters as the server counts them (UTF-16 code units, after trimming). */
export const charCount = (value: string) => value.trim().length;

export const hasControlChars = (value: string) => /\p{Cc}/u.test(value);

/** `1st`, `2nd`, `4th`, in English. */
export function ordinal(n: number): string {
  const rule = new Intl.PluralRules('en', { type: 'ordinal' }).select(n);
  const suffix = { one: 'st', two: 'nd', few: 'rd' }[rule as 'one' | 'two' | 'few'] ?? 'th';
  return `${n}${suffix}`;
}

/**
 * A modal `<dialog>` of the card, rendered by a controller: found by id in the card's shadow
 * root, shown with `showModal()` once rendered (the platform traps focus and closes it on
 * Escape).
 */
export abstract class CardDialog implements ReactiveController {
  constructor(
    protected readonly host: CardHost,
    private readonly dialogId: string,
  ) {
    host.addController(this);
  }

  abstract hostDisconnected(): void;

  get dialog(): HTMLDialogElement | null | undefined {
    return this.host.shadowRoot?.querySelector<HTMLDialogElement>(`#${this.dialogId}`);
  }

  /** Renders, then opens the dialog. */
  protected show(): void {
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => {
      const dialog = this.dialog;
      if (dialog && !dialog.open) dialog.showModal();
    });
  }

  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }
}
