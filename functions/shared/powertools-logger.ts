/** Powertools' Logger, behind a module of our own so logger.ts can load it on first use (see there). */
export { Logger } from '@aws-lambda-powertools/logger';
