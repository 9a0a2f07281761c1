/**
 * The client's address: the peer of the Node server's socket. Forwarded headers are not
 * trusted (anyone can send them); behind a reverse proxy every client is the proxy.
 */
import type { Context } from 'hono';

export function clientIp(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
