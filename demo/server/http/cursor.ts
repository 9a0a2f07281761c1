/**
 * Opaque, tamper-proof pagination cursors: `base64url(JSON payload).base64url(HMAC)`.
 *
 * The payload names what it continues (kind, CRM, sort, order, a hash of the filters) so a
 * cursor cannot be replayed against another query, and the HMAC-SHA256 tag makes forging
 * one impossible without the secret. A cursor that fails any check is a 400
 * `invalid_request`. The secret is `CRM_CURSOR_SECRET` when set, otherwise random per
 * process: cursors then do not survive a restart (the client starts the list again).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { invalid } from './problem.js';

const VERSION = 1;

export interface CursorScope {
  kind: 'clients' | 'bookings' | 'sessions' | 'noteVersions';
  /** Everything the continued page depends on: CRM, client, sort, order, filters. */
  query: unknown;
}

export class CursorCodec {
  readonly #secret: Buffer;

  constructor(secret?: string) {
    this.#secret = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  #tag(body: string) {
    return createHmac('sha256', this.#secret).update(body).digest().subarray(0, 18);
  }

  encode(scope: CursorScope, key: readonly (string | number)[]): string {
    const body = Buffer.from(
      JSON.stringify({ v: VERSION, k: scope.kind, q: scopeHash(scope.query), key }),
    ).toString('base64url');
    return `${body}.${this.#tag(body).toString('base64url')}`;
  }

  /** The key the cursor continues after; 400 when forged, tampered with or for another query. */
  decode(cursor: string, scope: CursorScope): (string | number)[] {
    const bad = (message: string) => invalid([{ path: 'cursor', message }]);
    const [body, tag, extra] = cursor.split('.');
    if (!body || !tag || extra !== undefined) throw bad('Malformed cursor');
    const given = Buffer.from(tag, 'base64url');
    const expected = this.#tag(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw bad('Invalid cursor (tampered with, or from an earlier server run)');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw bad('Malformed cursor');
    }
    const p = payload as { v?: unknown; k?: unknown; q?: unknown; key?: unknown };
    if (p.v !== VERSION || !Array.isArray(p.key)) throw bad('Unsupported cursor format');
    if (p.k !== scope.kind || p.q !== scopeHash(scope.query)) {
      throw bad('This cursor belongs to a different query; start again without a cursor');
    }
    if (!p.key.every((v) => typeof v === 'string' || typeof v === 'number')) {
      throw bad('Malformed cursor');
    }
    return p.key as (string | number)[];
  }
}

function scopeHash(query: unknown) {
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
}
