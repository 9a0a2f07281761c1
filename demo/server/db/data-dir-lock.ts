/**
 * One process per PGlite data directory. Two PGlite instances on the same files do not see
 * each other's writes and corrupt the directory (found: a second `npm start` took the next
 * port and opened `.data/crm` too; every later start failed). PGlite takes no lock itself.
 *
 * The lock is a file in the directory, `crm-server.lock`, created exclusively (`wx`) and
 * holding the holder's pid, host, start time and, once it listens, its URL. A lock left by a
 * process that no longer runs (a `kill -9`, a crash, a reboot) is taken over; the takeover
 * is itself serialised by a short-lived `.takeover` file, so two starts racing for a stale
 * lock cannot both win.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StartupError } from '../startup-error.js';

export const LOCK_FILE = 'crm-server.lock';

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
  /** Where it serves, once it listens. */
  url: string | null;
  nonce: string;
}

export interface DataDirLock {
  readonly path: string;
  /** Records where this process serves, for the message a second process prints. */
  setUrl(url: string): void;
  /** Removes the lock (if it is still ours). */
  release(): void;
}

/** Locks taken by this process: a lock naming our own pid is ours only if it is in here. */
const heldHere = new Set<string>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE);
  const takeover = `${path}.takeover`;
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    url: null,
    nonce: randomBytes(8).toString('hex'),
  };
  for (let attempt = 0; attempt < 50; attempt++) {
    if (tryCreate(path, me)) return held(path, me);
    const seen = readHolder(path);
    if (seen === 'missing') continue;
    if (seen === 'unreadable') {
      // Being written this very moment by another start, or garbage left by a crash.
      if (ageMs(path) < 2000) {
        await sleep(50);
        continue;
      }
    } else if (isAlive(seen, path)) {
      throw new StartupError(heldMessage(dataDir, path, seen));
    }
    // Stale: take it over, one process at a time.
    if (!tryCreate(takeover, me)) {
      if (ageMs(takeover) > 10_000) unlinkQuietly(takeover); // left by a crash mid-takeover
      await sleep(50);
      continue;
    }
    try {
      const again = readHolder(path);
      const same =
        again === seen ||
        (typeof again === 'object' && typeof seen === 'object' && again.nonce === seen.nonce);
      if (same) unlinkQuietly(path);
    } finally {
      unlinkQuietly(takeover);
    }
  }
  throw new StartupError(
    `Could not lock the PGlite data directory ${dataDir}: ${path} keeps changing. ` +
      'Is another server starting on it? Try again in a moment.',
  );
}

function held(path: string, me: Holder): DataDirLock {
  heldHere.add(path);
  const ours = () => {
    const now = readHolder(path);
    return typeof now === 'object' && now.nonce === me.nonce;
  };
  const release = () => {
    process.off('exit', release);
    heldHere.delete(path);
    if (ours()) unlinkQuietly(path);
  };
  // Also on process.exit() without a clean close; a kill -9 leaves it, to be taken over.
  process.on('exit', release);
  return {
    path,
    setUrl(url) {
      if (!ours()) return;
      const tmp = `${path}.${me.nonce}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...me, url }));
      renameSync(tmp, path);
    },
    release,
  };
}

function tryCreate(path: string, holder: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StartupError(
      `Cannot create the lock file ${path} (${(error as Error).message}): ` +
        'the data directory must be writable by this user.',
    );
  }
  try {
    writeFileSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(path: string): Holder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    if (Number.isInteger(h.pid) && typeof h.host === 'string' && typeof h.nonce === 'string') {
      return {
        pid: h.pid!,
        host: h.host,
        nonce: h.nonce,
        startedAt: String(h.startedAt ?? ''),
        url: typeof h.url === 'string' ? h.url : null,
      };
    }
  } catch {
    // fall through
  }
  return 'unreadable';
}

/**
 * Whether the holder still runs. A lock from another host is taken as held (its pid means
 * nothing here). Our own pid is alive only if this process took the lock: after a restart in
 * a container the new process often gets the pid of the one that died.
 */
function isAlive(holder: Holder, path: string): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // runs, as another user
  }
}

function heldMessage(dataDir: string, path: string, h: Holder): string {
  const where = h.url ? `serving ${h.url}` : 'starting';
  const since = h.startedAt ? ` since ${h.startedAt.slice(0, 19).replace('T', ' ')} UTC` : '';
  const who = h.host === hostname() ? `process ${h.pid}` : `process ${h.pid} on ${h.host}`;
  const stop = h.host === hostname() ? `stop it (kill ${h.pid})` : 'stop it';
  return (
    `The PGlite data directory ${dataDir} is in use by ${who} (${where}${since}). ` +
    `Use that server, ${stop}, or start this one on another directory (CRM_DATA_DIR=...). ` +
    `If ${who} is not a CRM server, delete ${path}.`
  );
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function unlinkQuietly(path: string) {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
