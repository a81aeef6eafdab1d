/**
 * The note a running `verdict start` leaves in its data directory (DIR/runtime.json), so the CLI in
 * another terminal finds the runtime's URL and token file by itself — also with --port or --demo.
 * Only node:fs here: the CLI reads it on every start.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RuntimeNote {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  /** The process serving it; a note whose process is gone is ignored. */
  pid: number;
  /** Where the token is kept; absent when the token came from VERDICT_API_TOKEN. */
  tokenFile?: string;
  /** The database directory (DIR, or DIR/demo for the demo). */
  dataDir: string;
  demo: boolean;
}

export function runtimeNotePath(baseDir: string): string {
  return join(baseDir, 'runtime.json');
}

export function writeRuntimeNote(baseDir: string, note: RuntimeNote): string {
  const file = runtimeNotePath(baseDir);
  mkdirSync(baseDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(note, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** Removes the note, but only if it is still this process's (a second runtime may have replaced it). */
export function removeRuntimeNote(baseDir: string, pid = process.pid): void {
  if (readRuntimeNote(baseDir, { checkAlive: false })?.pid === pid) rmSync(runtimeNotePath(baseDir), { force: true });
}

/** The note, if there is one and its process still runs (unless checkAlive is false). */
export function readRuntimeNote(baseDir: string, options: { checkAlive?: boolean } = {}): RuntimeNote | undefined {
  const file = runtimeNotePath(baseDir);
  if (!existsSync(file)) return undefined;
  let note: RuntimeNote;
  try {
    note = JSON.parse(readFileSync(file, 'utf8')) as RuntimeNote;
  } catch {
    return undefined;
  }
  if (typeof note?.url !== 'string' || !Number.isInteger(note.pid)) return undefined;
  if (options.checkAlive !== false && !processRuns(note.pid)) return undefined;
  return note;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
