/**
 * What the server logs about a failed request (SPEC section 9: no personal data in logs).
 * A database error carries the SQL, its parameters (emails, names, note texts) and often
 * the values in its message and detail; any error's message may quote input. So a failure
 * is logged as: a reference, the method, the route pattern (`/crms/:crmId/...`, not the
 * ids), the error's class and code, and the stack's frames without its first line.
 */
import { randomBytes } from 'node:crypto';

export function logFailure(method: string, routePath: string, error: unknown): string {
  const ref = randomBytes(4).toString('hex');
  const e = error as { name?: unknown; code?: unknown; stack?: unknown };
  const name = typeof e?.name === 'string' ? e.name : typeof error;
  const code = typeof e?.code === 'string' || typeof e?.code === 'number' ? ` ${e.code}` : '';
  const frames =
    typeof e?.stack === 'string'
      ? e.stack
          .split('\n')
          .filter((line) => /^\s+at /.test(line))
          .join('\n')
      : '';
  console.error(
    `500 [${ref}] ${method} ${routePath}: ${name}${code}${frames ? `\n${frames}` : ''}`,
  );
  return ref;
}
