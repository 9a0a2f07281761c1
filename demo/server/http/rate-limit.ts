/**
 * Failed authentication, rate-limited per client IP (SPEC section 9): past `limit` failed
 * authentications (401 answers) from one address within a minute, every request from it
 * under the guarded paths is 429 `rate_limited` with `Retry-After`, valid token or not (an
 * answer that depended on the token would let a guesser go on), until the oldest failure
 * is a minute old. `limit` 0 turns it off (`CRM_AUTH_FAILURES_PER_MINUTE`, default 100).
 *
 * In memory, per process: a sliding window of failure times per address, at most `limit`
 * of them, addresses forgotten a minute after their last failure. Real time, not the
 * server's clock (`CRM_NOW` fixes that one for tests and demos).
 */
import { createMiddleware } from 'hono/factory';
import { clientIp } from './client-ip.js';
import { ApiError } from './problem.js';

const WINDOW_MS = 60_000;

export function authFailureLimit(limit: number, now: () => number = Date.now) {
  const failures = new Map<string, number[]>();
  let lastSweep = now();
  /** Failure times of `ip` within the window (older ones dropped). */
  const recent = (ip: string, t: number) => {
    const times = failures.get(ip);
    if (!times) return [];
    while (times.length && times[0]! <= t - WINDOW_MS) times.shift();
    if (!times.length) failures.delete(ip);
    return times;
  };
  const sweep = (t: number) => {
    if (t - lastSweep < WINDOW_MS) return;
    lastSweep = t;
    for (const ip of [...failures.keys()]) recent(ip, t);
  };

  return createMiddleware(async (c, next) => {
    if (limit <= 0) return next();
    const ip = clientIp(c);
    const t = now();
    sweep(t);
    const times = recent(ip, t);
    if (times.length >= limit) {
      const retryAfter = Math.max(1, Math.ceil((times[0]! + WINDOW_MS - t) / 1000));
      c.res = new ApiError(
        429,
        'rate_limited',
        `Too many failed authentications from this address; try again in ${retryAfter} s`,
        { headers: { 'retry-after': String(retryAfter) } },
      ).toResponse();
      return;
    }
    await next();
    if (c.res.status === 401) {
      const list = failures.get(ip) ?? [];
      list.push(now());
      if (list.length > limit) list.shift();
      failures.set(ip, list);
    }
  });
}
