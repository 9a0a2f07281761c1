import { CrmApiError, isAbortError } from '../api/errors.js';
import { emit } from './emit.js';
import { errorMessage } from './ui.js';

/**
 * Emits `mm-error` for a failure the user sees, never for an abort (the user no longer waits
 * for it). `code` and `status` are the API's (`unknown` and 0 for anything that is not a
 * `CrmApiError`), `detail` is the message the element shows, `error` the error itself.
 */
export function reportError(host: EventTarget, error: unknown): void {
  if (isAbortError(error)) return;
  const e = error instanceof CrmApiError ? error : undefined;
  emit(host, 'mm-error', {
    code: e?.code ?? 'unknown',
    status: e?.status ?? 0,
    detail: errorMessage(error),
    ...(e ? { error: e } : {}),
  });
}
