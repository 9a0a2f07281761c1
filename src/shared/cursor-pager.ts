import { TaskStatus, type Task } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { action } from './action.js';

/** A page of a cursor-paginated list, as the API sends it. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A list the API sends page by page (the clients list, a client's booking history): the
 * items loaded so far and the next page's cursor. The first page comes with the element's
 * own load (a Task keyed on what is shown) and is handed to `start()`; `loadMore()` fetches
 * the next one, one at a time. A new first page or the element leaving the page aborts the
 * page on its way; a failed page stays in `error` (and is reported as `mm-error`) until the
 * next try.
 */
export class CursorPager<T, P extends CursorPage<T> = CursorPage<T>> implements ReactiveController {
  /** Every item loaded, in order. */
  items: T[] = [];
  /** The next page's cursor; null at the end. */
  next: string | null = null;
  /** Why the last page failed, until the next try or a new first page. */
  error: unknown;
  readonly #more: Task<[string], P>;

  /** `onPage`: a next page arrived and its items were added. */
  constructor(
    host: ReactiveControllerHost & EventTarget,
    fetchPage: (cursor: string, signal: AbortSignal) => Promise<P>,
    onPage?: (page: P) => void,
  ) {
    host.addController(this);
    this.#more = action(host, ([cursor], signal) => fetchPage(cursor, signal), {
      done: (page) => {
        this.items = [...this.items, ...page.items];
        this.next = page.nextCursor;
        onPage?.(page);
      },
      failed: (error) => (this.error = error),
    });
  }

  hostDisconnected(): void {
    this.#more.abort();
  }

  /** A next page is on its way. */
  get loading(): boolean {
    return this.#more.status === TaskStatus.PENDING;
  }

  /** Drops the page on its way and a failed page's error; the items stay. */
  abort(): void {
    this.#more.abort();
    this.error = undefined;
  }

  /** Takes a new first page (none: an empty list), dropping the pages after the old one. */
  start(page?: CursorPage<T>): void {
    this.abort();
    this.items = page?.items ?? [];
    this.next = page?.nextCursor ?? null;
  }

  /** Fetches the next page, unless there is none or one is on its way; true when it came. */
  async loadMore(): Promise<boolean> {
    const cursor = this.next;
    if (!cursor || this.loading) return false;
    this.error = undefined;
    await this.#more.run([cursor]);
    return this.#more.status === TaskStatus.COMPLETE;
  }
}
