/**
 * The one way functions/ imports zod: zod/mini (functional API, tree-shaken to what a bundle uses —
 * classic zod's method chains pull in ~97 KB whatever a schema needs) with zod's English error
 * messages, which zod/mini, unlike classic zod, does not load by itself.
 *
 * Import it as a namespace — `import * as z from '../domain/zod-mini'` — never as `{ z }`: the `z`
 * object zod exports is every export at once, which no bundler can shake (≈ 420 KB with all locales).
 */
import { config, globalRegistry, type ZodMiniType } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';

/**
 * `schema` with a description (the OpenAPI document and MCP tool schemas show it), as classic zod's
 * `.describe()` did: a copy registered in the global registry. Not `.check(z.describe())`, which adds
 * a check, and object schemas with checks can no longer be extended, picked or made partial.
 */
export function described<T extends ZodMiniType>(schema: T, description: string): T {
  const copy = schema.clone();
  globalRegistry.add(copy, { description });
  return copy;
}
