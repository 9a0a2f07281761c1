/**
 * The reference server as a separate process, started the way a person starts it
 * (`node --import tsx demo/server/main.ts`, or `npm run server`), for what only a real
 * process shows: signals, `kill -9`, a second process on the same data, start-up errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_NOW, TEST_PLATFORM_TOKEN } from './platform.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the first output line matching `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The server's URL, once it says it is listening. */
  url(timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  /** Environment on top of the test defaults (`CRM_NOW`, `CRM_PLATFORM_TOKEN`, `PORT=0`). */
  env?: Record<string, string | undefined>;
  /** `npm run server` instead of node directly (what the package.json script says). */
  viaNpm?: boolean;
  /** In a process group of its own, as a terminal runs it: `kill(-pid)` reaches all of it. */
  group?: boolean;
  /** Another entry point, relative to the repository (default demo/server/main.ts). */
  script?: string;
}

export function spawnServer(options: SpawnOptions = {}): ServerProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    CRM_NOW: TEST_NOW,
    CRM_PLATFORM_TOKEN: TEST_PLATFORM_TOKEN,
    ...options.env,
  };
  delete env.NODE_OPTIONS; // the test runner's own flags are not the server's
  delete env.NODE_TEST_CONTEXT;
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = options.viaNpm
    ? spawn('npm', ['run', '--silent', 'server'], { cwd: ROOT, env, detached: !!options.group })
    : spawn(process.execPath, ['--import', 'tsx', options.script ?? 'demo/server/main.ts'], {
        cwd: ROOT,
        env,
        detached: !!options.group,
      });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const check of waiters) check();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  // 'close', not 'exit': by then everything the process wrote has been read.
  let closed = false;
  const exited = once(child, 'close').then(([code, signal]) => {
    closed = true;
    for (const check of waiters) check();
    return { code: code as number | null, signal: signal as NodeJS.Signals | null };
  });

  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolveMatch, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`No ${pattern} within ${timeoutMs} ms. Output:\n${text}`));
      }, timeoutMs);
      const check = () => {
        const match = pattern.exec(text);
        if (match) {
          clearTimeout(timer);
          waiters.delete(check);
          resolveMatch(match);
        } else if (closed) {
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`The server exited before ${pattern}. Output:\n${text}`));
        }
      };
      waiters.add(check);
      check();
    });

  return {
    child,
    output: () => text,
    waitFor,
    url: async (timeoutMs) => (await waitFor(/listening on (http:\/\/\S+)/, timeoutMs))[1]!,
    exited,
  };
}
