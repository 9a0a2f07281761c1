/**
 * PGlite with its writes on disk: fsync on, and every fsync reaching the disk.
 *
 * PGlite starts PostgreSQL with `-F` (fsync off), and on Node even fsync on would not reach
 * the disk: Emscripten's NODEFS has no `fsync` (its `fd_sync` answers success without
 * syncing) and `fdatasync`, PostgreSQL's default `wal_sync_method` on Linux, is a stub. So
 * a commit is in the operating system's cache only: it survives a crash of this process
 * (`kill -9`), not an OS crash or a power cut. Here: PostgreSQL's start parameters without
 * `-F` and with `wal_sync_method=fsync`, and a NODEFS `fsync` that calls `fs.fsyncSync`.
 * Measured: one fsync per commit, as PostgreSQL does.
 */
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

type InitResult = Awaited<ReturnType<NodeFS['init']>>;
type PreRun = (mod: { NODEFS: { stream_ops: Record<string, unknown> } }) => void;

class DurableNodeFS extends NodeFS {
  override async init(...args: Parameters<NodeFS['init']>): Promise<InitResult> {
    const result = await super.init(...args);
    const preRun = ([] as unknown[]).concat(result.emscriptenOpts.preRun ?? []);
    const syncToDisk: PreRun = (mod) => {
      const ops = mod.NODEFS?.stream_ops;
      if (!ops)
        throw new Error('PGlite changed: NODEFS.stream_ops is gone; fsync cannot be turned on');
      ops.fsync = (stream: { nfd: number }) => {
        fs.fsyncSync(stream.nfd);
        return 0;
      };
    };
    result.emscriptenOpts.preRun = [...preRun, syncToDisk] as typeof result.emscriptenOpts.preRun;
    return result;
  }
}

/** PGlite's start-up options for `dataDir` with fsync on. */
export function durablePGliteOptions(dataDir: string) {
  return {
    fs: new DurableNodeFS(dataDir),
    startParams: [
      ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
      '-c',
      'wal_sync_method=fsync',
    ],
  };
}
