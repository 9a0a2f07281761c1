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
