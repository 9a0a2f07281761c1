/**
 * 405 for the methods a path does not have: called after a route module's routes, it adds
 * to each routed path a handler that answers any other method with a problem and an `Allow`
 * header listing the methods the path does answer (taken from the routes, so it cannot
 * drift from them).
 */
import type { Env, Hono } from 'hono';
import { ApiError } from './problem.js';

export function methodNotAllowed<E extends Env>(app: Hono<E>): void {
  const methods = new Map<string, Set<string>>();
  // One entry per handler (a route's middleware too); `ALL` is `use()` or `all()`.
  for (const { method, path } of app.routes) {
    if (method === 'ALL') continue;
    methods.set(path, (methods.get(path) ?? new Set()).add(method));
  }
  for (const [path, allowed] of methods) {
    const allow = [...allowed].join(', ');
    app.all(path, () =>
      new ApiError(405, 'method_not_allowed', `Use ${allow} on this path`, {
        headers: { allow },
      }).toResponse(),
    );
  }
}
