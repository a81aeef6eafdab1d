/**
 * Builds any source, including those with a collector entry of their own (see registry.ts): for the
 * local runtime, which runs every collector in one process, and for tests.
 */
import type { SourceName } from '../shared/app-config';
import { createCitationSource, isCitationSource } from './citation-sources';
import { createSource, type SourceBuildOptions } from './registry';
import type { Credentials, Source } from './source';
import { createStripeSourceFromConfig } from './stripe';
import { createXSourceFromConfig } from './x';

export function createAnySource(name: SourceName, credentials: Credentials, options: SourceBuildOptions): Source {
  if (name === 'stripe') return createStripeSourceFromConfig(credentials, options);
  if (name === 'x') return createXSourceFromConfig(credentials, options);
  if (isCitationSource(name)) return createCitationSource(name, credentials, options);
  return createSource(name, credentials, options);
}
