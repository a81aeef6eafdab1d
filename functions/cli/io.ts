/** The terminal a command talks to; tests pass their own. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/**
 * The process's own terminal. stdin is a getter: Node builds process.stdin (and loads its stream
 * modules, a few milliseconds) on first access, and only the prompting commands read it.
 */
export const processIo: CliIo = {
  get stdin() { return process.stdin; },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
};
