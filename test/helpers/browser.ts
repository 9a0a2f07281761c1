/**
 * Browser-side test helpers: the reference server is on this page's origin (the test
 * runner forwards /v1 to it), seeded through the platform API.
 */
import { Platform, TEST_NOW, TEST_PLATFORM_TOKEN } from './platform.js';

declare global {
  interface Window {
    __CRM_TEST__?: { now: string; platformToken: string };
  }
}

export const apiBase = window.location.origin;
/** `window.fetch` before any test replaced it. */
export const realFetch = window.fetch;
export const platform = new Platform(
  apiBase,
  window.__CRM_TEST__?.platformToken ?? TEST_PLATFORM_TOKEN,
);
export const now = Date.parse(window.__CRM_TEST__?.now ?? TEST_NOW);

export * from './platform.js';

/** Resolves when `check` returns a truthy value (polling each animation frame), or throws. */
export async function until<T>(
  check: () => T | Promise<T>,
  what = 'condition',
  timeout = 10_000,
): Promise<NonNullable<T>> {
  const start = performance.now();
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() - start > timeout) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => requestAnimationFrame(r));
  }
}

/** Every text in a shadow root, whitespace folded: what a user reads. */
export const textOf = (el: Element | ShadowRoot | null | undefined) =>
  (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Stands for a failing server: a 500 problem response with `detail`. */
export const serverError = (detail = 'boom') =>
  Promise.resolve(
    new Response(
      JSON.stringify({ title: 'Internal Server Error', status: 500, code: 'internal', detail }),
      { status: 500, headers: { 'content-type': 'application/problem+json' } },
    ),
  );

/**
 * Makes every request whose URL contains `part` answer 500 while `failing()` is true (the
 * rest reaches the real server). Undo with `window.fetch = realFetch`.
 */
export function failRequests(part: string, failing: () => boolean, detail?: string): void {
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    return failing() && url.includes(part) ? serverError(detail) : realFetch(input, init);
  };
}
