/**
 * No NUL character (U+0000) reaches the database (SPEC section 9): PostgreSQL refuses it in
 * text, so it used to surface as a 500. A NUL in the path or the query string is a 400
 * `invalid_request` naming the field here, before any route runs: a path segment is named by
 * the one before it (`/clients/<id>` is `clientId`), a query parameter by its key. JSON
 * bodies are checked where they are parsed (`jsonBody` in validate.ts), field by field.
 */
import { createMiddleware } from 'hono/factory';
import type { FieldError } from '../../../src/api/schemas.js';
import { invalid } from './problem.js';

const NUL = '\u0000';
const MESSAGE = 'Must not contain the NUL character (U+0000)';

export const rejectNul = () =>
  createMiddleware(async (c, next) => {
    const url = new URL(c.req.url);
    const errors: FieldError[] = [];
    const segments = url.pathname.split('/');
    for (const [i, raw] of segments.entries()) {
      if (!decoded(raw).includes(NUL)) continue;
      const before = segments[i - 1] ?? '';
      errors.push({
        path: /^[a-z]+s$/.test(before) ? `${before.slice(0, -1)}Id` : 'path',
        message: MESSAGE,
      });
    }
    for (const [key, value] of url.searchParams) {
      if (key.includes(NUL)) errors.push({ path: 'query', message: MESSAGE });
      else if (value.includes(NUL)) errors.push({ path: key, message: MESSAGE });
    }
    if (errors.length) throw invalid(errors);
    await next();
  });

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The dotted paths of every string (or key) holding a NUL in a parsed JSON value. */
export function nulPaths(value: unknown, path: string[] = [], found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes(NUL)) found.push(path.join('.'));
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulPaths(item, [...path, String(i)], found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL)) found.push(path.join('.'));
      else nulPaths(item, [...path, key], found);
    }
  }
  return found;
}

export const nulErrors = (paths: string[]): FieldError[] =>
  paths.map((path) => ({ path, message: MESSAGE }));
