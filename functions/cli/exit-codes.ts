/** The `verdict` CLI's exit codes — documented in `verdict --help` and stable for scripts. */
export const EXIT = {
  ok: 0,
  /** The API answered 5xx, or something unexpected failed (also: `collect` when a source failed). */
  failed: 1,
  /** Unknown command or option, missing argument, or input the API rejected (400, 422). */
  usage: 2,
  /** No such experiment (404). */
  notFound: 3,
  /** Not allowed in the experiment's current status (409): the message says why. */
  conflict: 4,
  /** Missing or rejected API token (401). */
  unauthorized: 5,
  /** The API could not be reached (connection refused, DNS, timeout). */
  unreachable: 6,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  failed: server error or unexpected problem (collect: a source failed)
  2  usage: unknown command/option, missing argument, or input the API rejected
  3  not found
  4  not allowed in the experiment's current status (the message says why)
  5  unauthorized: missing or wrong API token
  6  the API could not be reached`;

/** The exit code for an HTTP status the API answered with. */
export function exitCodeForStatus(status: number): number {
  if (status === 400 || status === 422 || status === 413 || status === 405) return EXIT.usage;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 401 || status === 403) return EXIT.unauthorized;
  return EXIT.failed;
}
