/**
 * One Verdict per data directory, and the directory private to its user. The embedded DynamoDB keeps its
 * files there and answers anyone who can reach it, so the directory is 0700 and its files 0600 (older
 * installs are tightened at start); a lock file naming the holder's pid keeps a second runtime from
 * opening the same database (dynalite would fail later with "Database is closed").
 */
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Another live process holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`Another Verdict (pid ${pid}) holds the data directory ${dataDir}; stop it first, or use --data-dir for a separate one`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock { release(): void }

const LOCK_FILE = 'verdict.lock';

/** Creates (or tightens) `dataDir` to 0700 with every file in it 0600, and takes its lock. */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  makePrivate(dataDir);
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) throw new DataDirLockedError(dataDir, holder);
      rmSync(file, { force: true }); // left by a process that died: take it over
    }
  }
  return {
    release() {
      try {
        if (Number.parseInt(readFileSync(file, 'utf8'), 10) === process.pid) rmSync(file, { force: true });
      } catch { /* already gone */ }
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** 0700 for `dir` and every directory under it, 0600 for every file. */
function makePrivate(dir: string): void {
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) makePrivate(path);
    else if (stat.isFile()) chmodSync(path, 0o600);
  }
}
