/**
 * Builds the answer-engine sources (perplexity, openai, gemini, claude): the citation collector entry
 * (functions/handlers/collector-citations.ts) and createAnySource go through here. Kept apart from
 * ./registry.ts so the shared collector carries none of their adapters, brand matching or spend counting.
 */
import type { SourceName } from '../shared/app-config';
import { ConfigurationError } from '../shared/errors';
import { CITATION_SOURCES } from './collector-entries';
import { createClaudeSource, createGeminiSource } from './gemini-claude';
import { createOpenAiSource } from './openai';
import { createPerplexitySource } from './perplexity';
import type { SourceBuildOptions } from './registry';
import type { Credentials, Source } from './source';

export function isCitationSource(name: SourceName): boolean {
  return CITATION_SOURCES.includes(name);
}

/** Builds the answer-engine adapter for `name`; any other source is a ConfigurationError. */
export function createCitationSource(name: SourceName, credentials: Credentials, options: SourceBuildOptions): Source {
  const baseUrl = options.endpoints?.[name];
  const { sources, citations } = options.config;
  const now = options.now;
  switch (name) {
    case 'perplexity':
      return createPerplexitySource(credentials, { model: sources.perplexity.model, citations, baseUrl }, now);
    case 'openai':
      return createOpenAiSource(credentials, { model: sources.openai.model, citations, baseUrl }, now);
    case 'gemini':
      return createGeminiSource(credentials, { ...sources.gemini, citations, baseUrl }, now);
    case 'claude':
      return createClaudeSource(credentials, { ...sources.claude, citations, baseUrl }, now);
    default:
      throw new ConfigurationError(`${name} is not an answer engine; the citation collector collects ${CITATION_SOURCES.join(', ')}`);
  }
}
