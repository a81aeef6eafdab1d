/**
 * Whether an enabled source's collector can collect — asked by the planner so a plan warns at create and
 * at start when nothing will arrive. Two ways to tell, one answer shape (a reason, or undefined when it can
 * or this function cannot tell); neither ever holds or returns a credential's value:
 * - where the credentials are at hand (the local runtime: env and .env), whether they are set;
 * - elsewhere (the deployed API functions, which have no access to the sources' secret), what the source's
 *   last recorded collection run found.
 */
import type { SourceName } from '../shared/app-config';
import { credentialEnvFor } from '../sources/credential-fields';
import type { CredentialsProvider } from '../sources/source';
import type { RunStore } from '../store/run-store';

/** Why `source` (its `account`) cannot collect, e.g. "has no credentials (…)"; undefined: it can, or unknown. */
export type CollectorReadiness = (source: SourceName, account?: string) => Promise<string | undefined>;

/** From credentials at hand (env/.env): the env vars to set when none is. */
export function readinessFromCredentials(credentials: CredentialsProvider): CollectorReadiness {
  return async (source, account) => {
    if (await credentials.credentialsFor(source, account)) return undefined;
    const names = Object.values(credentialEnvFor(source, account));
    return `has no credentials in the environment or .env${names.length > 0 ? ` (none of ${names.join(', ')} is set)` : ''}`;
  };
}

/** From the source's last recorded collection run: it found no credentials, or they were refused. */
export function readinessFromRuns(runs: Pick<RunStore, 'recentRuns'>): CollectorReadiness {
  return async (source, account) => {
    const [last] = await runs.recentRuns(source, 1, account);
    if (!last) return undefined;
    const when = `${last.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
    if (last.outcome === 'not_configured') {
      return `was not configured at its last run (${when}: ${last.message ?? 'no credentials'}; set them with verdict secrets set ${source}${account !== undefined ? ` --account ${account}` : ''} --from-env)`;
    }
    if (last.errorCode === 'unauthorized') return `had its credentials refused at its last run (${when}: unauthorized)`;
    return undefined;
  };
}
