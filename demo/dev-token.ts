/**
 * The demo pages' token source: the dev server's `/dev/token?user=...` mints a short-lived
 * token through the platform API, as a studio's backend would behind its own session
 * cookie. The elements call it when they need a token and once more after a 401.
 */
import type { TokenSource } from '../src/index.js';

export function devToken(user: string): TokenSource {
  return async () => {
    const res = await fetch(`/dev/token?user=${encodeURIComponent(user)}`, { cache: 'no-store' });
    if (!res.ok) throw new Error(`No demo token for ${user}: HTTP ${res.status}`);
    const body = (await res.json()) as { token: string };
    return body.token;
  };
}

/** Writes every `mm-*` event that reaches `target` into the `log` element, newest first. */
export function logEvents(target: EventTarget, log: HTMLElement): void {
  const names = [
    'mm-client-select',
    'mm-open-notes',
    'mm-note-saved',
    'mm-note-conflict',
    'mm-tags-changed',
    'mm-message-sent',
    'mm-auth-required',
    'mm-error',
  ] as const;
  for (const name of names) {
    target.addEventListener(name, (event) => {
      const { detail } = event as CustomEvent<Record<string, unknown>>;
      const { error: _error, ...shown } = detail;
      const line = document.createElement('div');
      line.textContent = `${new Date().toLocaleTimeString()}  ${name}  ${JSON.stringify(shown)}`;
      log.prepend(line);
      while (log.childElementCount > 50) log.lastElementChild?.remove();
    });
  }
}

/**
 * Keeps the list's selection in the page's URL (`?client=<id>`), so that a reload or a shared
 * link opens the same client: the list's `selectedClientId` (attribute `selected-client-id`)
 * is set from the URL before the elements first render, and each `mm-client-select` writes it
 * back. Set before the first render, the card and notes that follow the list (`for=`) open it.
 */
export function keepSelectionInUrl(list: HTMLElement & { selectedClientId: string | null }) {
  const url = new URL(location.href);
  const chosen = url.searchParams.get('client');
  if (chosen) list.selectedClientId = chosen;
  list.addEventListener('mm-client-select', (event) => {
    url.searchParams.set('client', (event as CustomEvent<{ clientId: string }>).detail.clientId);
    history.replaceState(history.state, '', url);
  });
}
