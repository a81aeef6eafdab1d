/**
 * Where the dashboard's files come from at runtime. In Lambda they are part of the bundle: the stack
 * builds them at synth (buildDashboardAssetsSync) and injects a module exporting
 * `__VERDICT_DASHBOARD_ASSETS__` (their JSON text, brotli-compressed, base64) with esbuild's `inject`, so
 * the function never builds and never carries esbuild; they are unpacked on the first dashboard request. Everywhere else (local runtime, tests) they are built once, on first
 * request, and cached.
 */
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import type { DashboardAssets } from './build';

declare const __VERDICT_DASHBOARD_ASSETS__: string | undefined;

let cached: Promise<DashboardAssets> | undefined;

export function dashboardAssets(): Promise<DashboardAssets> {
  if (cached) return cached;
  const inlined = typeof __VERDICT_DASHBOARD_ASSETS__ === 'string' ? __VERDICT_DASHBOARD_ASSETS__ : undefined;
  cached = inlined !== undefined
    ? Promise.resolve().then(() => JSON.parse(brotliDecompressSync(Buffer.from(inlined, 'base64')).toString('utf8')) as DashboardAssets)
    : Promise.resolve().then(() => loadBuilder().buildDashboardAssets());
  // A failed build is not cached: the next request tries again.
  cached.catch(() => { cached = undefined; });
  return cached;
}

/**
 * The builder, required by a computed path on purpose: a bundler cannot follow it, so the Lambda bundle
 * (where the assets are injected) never contains build.ts or esbuild. tsx and jest resolve the .ts file.
 */
function loadBuilder(): typeof import('./build') {
  const builder = join(__dirname, 'build');
  return require(builder) as typeof import('./build');
}
