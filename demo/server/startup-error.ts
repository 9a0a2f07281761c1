/**
 * A start-up failure a person can act on: the message is one line that says what happened,
 * where, and what to do. The entry points (`npm run server`, `npm start`) print only that
 * line and exit 1; any other error is a bug and keeps its stack.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Prints a start-up error the way the entry points do, and exits. */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof StartupError) console.error(error.message);
  else console.error(error);
  process.exit(1);
}
