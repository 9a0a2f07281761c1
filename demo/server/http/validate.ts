/** Request validation with the shared zod/mini schemas; failures become 400 problems. */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { nulErrors, nulPaths } from './nul.js';
import { ApiError, invalid } from './problem.js';

// zod/mini ships without messages; the English locale makes 400 field messages readable.
z.config(en());

export function parseOr400<S extends z.ZodMiniType>(schema: S, input: unknown): z.infer<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  throw invalid(
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  );
}

/** `application/json`, or a `+json` type, with any parameters (`; charset=utf-8`). */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * Parses a JSON request body. Not `application/json`: 415 `unsupported_media_type` (a note
 * saved from a `text/plain` body used to be taken). Missing or malformed: 400. A NUL
 * character (U+0000) in any string or key: 400 naming each field (SPEC section 9).
 */
export async function jsonBody(req: Request): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!JSON_TYPE.test(type)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Send the body as application/json${type ? `, not ${type.split(';')[0]}` : ''}`,
    );
  }
  const text = await req.text();
  if (!text) throw invalid([{ path: '', message: 'A JSON body is required' }]);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid([{ path: '', message: 'The body is not valid JSON' }]);
  }
  const nul = nulPaths(body);
  if (nul.length) throw invalid(nulErrors(nul));
  return body;
}
