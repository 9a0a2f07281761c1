import { Task } from '@lit/task';
import type { ReactiveControllerHost } from 'lit';
import { reportError } from './report-error.js';

export interface ActionCallbacks<A, R> {
  /** The work succeeded (not called for an aborted or superseded run). */
  done?: (value: R, args: A) => void;
  /** The work failed (not called for an aborted run); `mm-error` follows. */
  failed?: (error: unknown, args: A) => void;
}

/**
 * A one-shot action of an element (save the tags, send a message, the next page, the CSV
 * export): a `@lit/task` Task that runs only when asked. `run(args)` starts it and aborts
 * the run in flight, `abort()` drops it, `status === TaskStatus.PENDING` is the busy flag,
 * and the host re-renders when it starts and ends.
 *
 * What this adds to a bare Task: an aborted run (the element left the page, another client,
 * a new first page) ends as an abort whatever its request did, so neither its result nor
 * its failure reaches the element (a Task would still call `onComplete` for a response that
 * arrived just before the abort, and `onError` for the abort itself); and every other failure
 * is reported as `mm-error`, after the host was asked to render the failure. `done` and
 * `failed` run synchronously with that check, and get the run's arguments.
 */
export function action<A extends readonly unknown[], R>(
  host: ReactiveControllerHost & EventTarget,
  work: (args: A, signal: AbortSignal) => Promise<R>,
  { done, failed }: ActionCallbacks<A, R>,
): Task<A, R> {
  return new Task<A, R>(host, {
    autoRun: false,
    task: async (args, { signal }) => {
      let value: R;
      try {
        value = await work(args, signal);
      } catch (error) {
        signal.throwIfAborted();
        failed?.(error, args);
        // Rendered by the time an `mm-error` listener awaits the host's next update.
        host.requestUpdate();
        reportError(host, error);
        throw error;
      }
      signal.throwIfAborted();
      done?.(value, args);
      host.requestUpdate();
      return value;
    },
  });
}
