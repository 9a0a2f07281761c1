/** Request validation with the shared zod/mini schemas; failures become 400 problems. */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { invalid } from './problem.js';

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

/** Parses a JSON request body; a missing or malformed body is a 400. */
export async function jsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text) throw invalid([{ path: '', message: 'A JSON body is required' }]);
  try {
    return JSON.parse(text);
  } catch {
    throw invalid([{ path: '', message: 'The body is not valid JSON' }]);
  }
}
